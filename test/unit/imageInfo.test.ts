import sharp from 'sharp';

import { binaryImage, checkInputImage } from '../../nodes/SparkPortrait/images/imageCheck';
import { inspectImage } from '../../nodes/SparkPortrait/images/imageInfo';

function blank(width: number, height: number) {
	return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 90 } } });
}

describe('inspectImage', () => {
	it('reads format and size of JPEG and PNG', async () => {
		expect(inspectImage(await blank(640, 480).jpeg().toBuffer())).toStrictEqual({ format: 'jpeg', width: 640, height: 480 });
		expect(inspectImage(await blank(33, 2049).png().toBuffer())).toStrictEqual({ format: 'png', width: 33, height: 2049 });
		expect(inspectImage(await blank(100, 80).jpeg({ progressive: true }).toBuffer())).toMatchObject({ width: 100, height: 80 });
	});

	it('recognises GIF and WebP, and nothing in text', async () => {
		expect(inspectImage(await blank(10, 10).gif().toBuffer()).format).toBe('gif');
		expect(inspectImage(await blank(10, 10).webp().toBuffer()).format).toBe('webp');
		expect(inspectImage(Buffer.from('hello')).format).toBe('unknown');
	});
});

describe('checkInputImage', () => {
	it('accepts a JPG within the limits', async () => {
		expect(() => checkInputImage(Buffer.alloc(0))).toThrow('not a JPG or PNG');
		const jpeg = await blank(800, 600).jpeg().toBuffer();
		expect(checkInputImage(jpeg)).toEqual({ format: 'jpeg', width: 800, height: 600 });
	});

	it('names the binary field for binary input, with the same limits', async () => {
		const gif = await blank(10, 10).gif().toBuffer();
		expect(() => checkInputImage(gif, binaryImage('photo'))).toThrow(
			'Input Binary Field "photo" holds a GIF image; the API accepts only JPG/JPEG or PNG',
		);
		expect(() => checkInputImage(Buffer.alloc(6 * 1024 * 1024), binaryImage('data'))).toThrow(
			'Input Binary Field "data" holds a 6 MB file; the API accepts at most 5 MB',
		);
	});

	it('refuses images over 4096 x 4096, over 5 MB, and other formats', async () => {
		expect(() => checkInputImage(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024)]))).toThrow('at most 5 MB');
		const huge = await blank(4100, 10).png().toBuffer();
		expect(() => checkInputImage(huge)).toThrow('4100 x 10 image; the API accepts at most 4096 x 4096');
		const gif = await blank(10, 10).gif().toBuffer();
		expect(() => checkInputImage(gif)).toThrow('a GIF image; the API accepts only JPG/JPEG or PNG');
	});
});
