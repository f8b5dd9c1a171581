import { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE } from '../api/constants';
import { inspectImage, type ImageInfo } from './imageInfo';
import { InputError } from '../errors/failures';
import { megabytes } from '../errors/messages';

/** How a message names the image checked: the Image URL field, or an input binary field. */
export interface ImageSubject {
	field: string;
	verb: string;
}

export const URL_IMAGE: ImageSubject = { field: 'Image URL (image_input)', verb: 'points to' };

export function binaryImage(binaryField: string): ImageSubject {
	return { field: `Input Binary Field "${binaryField}"`, verb: 'holds' };
}

/** The document's size limit. `totalBytes` is undefined when a read stopped past the limit: it is only known to be larger. */
export function checkInputImageSize(totalBytes: number | undefined, subject: ImageSubject = URL_IMAGE): void {
	const { field, verb } = subject;
	if (totalBytes === undefined) {
		throw new InputError(field, `${verb} a file larger than 5 MB; the API accepts at most 5 MB`);
	}
	if (totalBytes > IMAGE_MAX_BYTES) {
		throw new InputError(field, `${verb} a ${megabytes(totalBytes)} file; the API accepts at most 5 MB`);
	}
}

/**
 * The document's input limits, applied to the whole input image: the Image URL's (Check Image
 * First) or a binary input's before it is uploaded. Returns what was found, for the content type.
 */
export function checkInputImage(data: Buffer, subject: ImageSubject = URL_IMAGE): ImageInfo & { format: 'jpeg' | 'png' } {
	const { field, verb } = subject;
	checkInputImageSize(data.length, subject);
	const info = inspectImage(data);
	if (info.format !== 'jpeg' && info.format !== 'png') {
		const found = info.format === 'unknown' ? 'not a JPG or PNG image' : `a ${info.format.toUpperCase()} image`;
		throw new InputError(field, `${verb} ${found}; the API accepts only JPG/JPEG or PNG`);
	}
	if (info.width === undefined || info.height === undefined) {
		throw new InputError(field, `${verb} a ${info.format.toUpperCase()} file whose size cannot be read`);
	}
	if (info.width > IMAGE_MAX_SIDE || info.height > IMAGE_MAX_SIDE) {
		throw new InputError(
			field,
			`${verb} a ${info.width} x ${info.height} image; the API accepts at most ${IMAGE_MAX_SIDE} x ${IMAGE_MAX_SIDE} pixels`,
		);
	}
	return { ...info, format: info.format };
}
