import { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE } from './constants';
import { inspectImage } from './imageInfo';
import { InputError } from './validation';

const FIELD = 'Image URL (image_input)';

/** The document's input limits, applied to the downloaded input image (Check Image First). */
export function checkInputImage(data: Buffer): void {
	const megabytes = (data.length / 1024 / 1024).toFixed(1);
	if (data.length > IMAGE_MAX_BYTES) {
		throw new InputError(FIELD, `${FIELD} points to a ${megabytes} MB file; the API accepts at most 5 MB`);
	}
	const info = inspectImage(data);
	if (info.format !== 'jpeg' && info.format !== 'png') {
		const found = info.format === 'unknown' ? 'not a JPG or PNG image' : `a ${info.format.toUpperCase()} image`;
		throw new InputError(FIELD, `${FIELD} points to ${found}; the API accepts only JPG/JPEG or PNG`);
	}
	if (info.width === undefined || info.height === undefined) {
		throw new InputError(FIELD, `${FIELD} points to a ${info.format.toUpperCase()} file whose size cannot be read`);
	}
	if (info.width > IMAGE_MAX_SIDE || info.height > IMAGE_MAX_SIDE) {
		throw new InputError(
			FIELD,
			`${FIELD} points to a ${info.width} x ${info.height} image; the API accepts at most ${IMAGE_MAX_SIDE} x ${IMAGE_MAX_SIDE} pixels`,
		);
	}
}
