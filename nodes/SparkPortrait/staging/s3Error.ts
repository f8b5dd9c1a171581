/**
 * Of an S3 error document (<Error><Code>…</Code><Message>…</Message></Error>) only the code and the
 * message are read: the rest can echo the request (a string to sign, a key id) and has no place in a message.
 */
function element(xml: string, name: string): string | undefined {
	const match = new RegExp(`<${name}>([^<]{0,300})</${name}>`).exec(xml);
	return match?.[1].trim() || undefined;
}

export function parseS3Error(body: Buffer | string | undefined): { code?: string; message?: string } {
	const xml = (Buffer.isBuffer(body) ? body.toString('utf8') : body ?? '').slice(0, 10_000);
	return { code: element(xml, 'Code'), message: element(xml, 'Message') };
}
