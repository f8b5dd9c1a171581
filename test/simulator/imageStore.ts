/** Result images, newest kept, so a long benchmark run cannot grow memory without bound. */
export class ImageStore {
	private readonly images = new Map<string, Buffer>();

	constructor(private readonly capacity = 500) {}

	put(key: string, bytes: Buffer): void {
		this.images.delete(key);
		this.images.set(key, bytes);
		while (this.images.size > this.capacity) {
			const oldest = this.images.keys().next().value;
			if (oldest === undefined) break;
			this.images.delete(oldest);
		}
	}

	get(key: string): Buffer | undefined {
		return this.images.get(key);
	}
}
