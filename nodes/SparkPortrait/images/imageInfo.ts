/**
 * Reads an image's format and pixel size from its first bytes (PNG IHDR, JPEG SOF), without a
 * decoder: enough to refuse a GIF, a WebP or an oversized image before a task is paid for, and to
 * name the MIME type of a downloaded result when the CDN does not.
 */
const KNOWN_FORMATS = ['jpeg', 'png', 'gif', 'webp'] as const;
type KnownFormat = (typeof KNOWN_FORMATS)[number];

export interface ImageInfo {
	format: KnownFormat | 'unknown';
	width?: number;
	height?: number;
}

export const MIME_TYPES = Object.fromEntries(KNOWN_FORMATS.map((format) => [format, `image/${format}`])) as Record<KnownFormat, string>;
export const FILE_EXTENSIONS = Object.fromEntries(KNOWN_FORMATS.map((format) => [format, format === 'jpeg' ? 'jpg' : format])) as Record<KnownFormat, string>;

function jpegSize(data: Buffer): { width: number; height: number } | undefined {
	let offset = 2;
	while (offset + 9 < data.length) {
		if (data[offset] !== 0xff) {
			offset++;
			continue;
		}
		const marker = data[offset + 1];
		// Standalone markers carry no length.
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) {
			offset += marker === 0xff ? 1 : 2;
			continue;
		}
		const length = data.readUInt16BE(offset + 2);
		const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
		if (isStartOfFrame) {
			return { height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
		}
		offset += 2 + length;
	}
	return undefined;
}

export function inspectImage(data: Buffer): ImageInfo {
	if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47 && data.toString('ascii', 12, 16) === 'IHDR') {
		return { format: 'png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
	}
	if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) {
		return { format: 'jpeg', ...jpegSize(data) };
	}
	if (data.length >= 6 && data.toString('ascii', 0, 4) === 'GIF8') return { format: 'gif' };
	if (data.length >= 12 && data.toString('ascii', 0, 4) === 'RIFF' && data.toString('ascii', 8, 12) === 'WEBP') {
		return { format: 'webp' };
	}
	return { format: 'unknown' };
}
