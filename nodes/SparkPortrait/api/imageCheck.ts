import { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE } from './constants';
import { inspectImage, type ImageInfo } from './imageInfo';
import { InputError } from './validation';

/** How a message names the image checked: the Image URL field, or an input binary field. */
export interface ImageSubject {
	field: string;
	/** "points to" for a URL, "holds" for binary data. */
	verb: string;
}

export const URL_IMAGE: ImageSubject = { field: 'Image URL (image_input)', verb: 'points to' };

export function binaryImage(binaryField: string): ImageSubject {
	return { field: `Input Binary Field "${binaryField}"`, verb: 'holds' };
}

/**
 * The document's input limits, applied to the input image's bytes (Check Image First, or a
 * binary input before it is uploaded). Returns what was found, for the content type.
 */
export function checkInputImage(data: Buffer, subject: ImageSubject = URL_IMAGE): ImageInfo {
	const { field, verb } = subject;
	const megabytes = (data.length / 1024 / 1024).toFixed(1);
	if (data.length > IMAGE_MAX_BYTES) {
		throw new InputError(field, `${field} ${verb} a ${megabytes} MB file; the API accepts at most 5 MB`);
	}
	const info = inspectImage(data);
	if (info.format !== 'jpeg' && info.format !== 'png') {
		const found = info.format === 'unknown' ? 'not a JPG or PNG image' : `a ${info.format.toUpperCase()} image`;
		throw new InputError(field, `${field} ${verb} ${found}; the API accepts only JPG/JPEG or PNG`);
	}
	if (info.width === undefined || info.height === undefined) {
		throw new InputError(field, `${field} ${verb} a ${info.format.toUpperCase()} file whose size cannot be read`);
	}
	if (info.width > IMAGE_MAX_SIDE || info.height > IMAGE_MAX_SIDE) {
		throw new InputError(
			field,
			`${field} ${verb} a ${info.width} x ${info.height} image; the API accepts at most ${IMAGE_MAX_SIDE} x ${IMAGE_MAX_SIDE} pixels`,
		);
	}
	return info;
}
