import { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE } from './constants';
import { inspectImage } from './imageInfo';
import { InputError } from './validation';

const FIELD = 'Image URL (image_input)';

function megabytes(bytes: number): string {
	return (bytes / 1024 / 1024).toFixed(1);
}

/**
 * The document's size limit. `totalBytes` is the whole size when known; a read that stopped past
 * the limit knows only that it is larger.
 */
export function checkInputImageSize(totalBytes: number | undefined, field = FIELD): void {
	if (totalBytes === undefined) {
		throw new InputError(field, `${field} points to a file larger than 5 MB; the API accepts at most 5 MB`);
	}
	if (totalBytes > IMAGE_MAX_BYTES) {
		throw new InputError(field, `${field} points to a ${megabytes(totalBytes)} MB file; the API accepts at most 5 MB`);
	}
}

/** The document's input limits (size, format, pixel size), applied to the whole input image. */
export function checkInputImage(data: Buffer, field = FIELD): void {
	checkInputImageSize(data.length, field);
	const info = inspectImage(data);
	if (info.format !== 'jpeg' && info.format !== 'png') {
		const found = info.format === 'unknown' ? 'not a JPG or PNG image' : `a ${info.format.toUpperCase()} image`;
		throw new InputError(field, `${field} points to ${found}; the API accepts only JPG/JPEG or PNG`);
	}
	if (info.width === undefined || info.height === undefined) {
		throw new InputError(field, `${field} points to a ${info.format.toUpperCase()} file whose size cannot be read`);
	}
	if (info.width > IMAGE_MAX_SIDE || info.height > IMAGE_MAX_SIDE) {
		throw new InputError(
			field,
			`${field} points to a ${info.width} x ${info.height} image; the API accepts at most ${IMAGE_MAX_SIDE} x ${IMAGE_MAX_SIDE} pixels`,
		);
	}
}
