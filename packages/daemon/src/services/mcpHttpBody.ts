import type { IncomingMessage } from 'node:http';

/** The largest request body the endpoint reads: 4 MiB (a tool call's arguments; the SDK's own default). */
export const MAX_MCP_HTTP_BODY_BYTES = 4 * 1024 * 1024;

/** A body read whole, or why not. */
export type ReadBody =
	| { readonly ok: true; readonly text: string }
	| { readonly ok: false; readonly kind: 'too-large' | 'unreadable' };

/**
 * Reads a request's body, at most `maxBytes`: a Content-Length over the cap is
 * refused before a byte is read; a body that grows past it (chunked) is cut
 * off there — nothing more is kept in memory.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<ReadBody> {
	const declared = request.headers['content-length'];
	if (declared !== undefined && Number(declared) > maxBytes) {
		return Promise.resolve({ ok: false, kind: 'too-large' });
	}
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		const finish = (result: ReadBody) => {
			if (done) return;
			done = true;
			request.off('data', onData);
			resolve(result);
		};
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				chunks.length = 0;
				// Stop reading; the response says why and closes the connection.
				request.pause();
				finish({ ok: false, kind: 'too-large' });
				return;
			}
			chunks.push(chunk);
		};
		request.on('data', onData);
		request.once('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
		request.once('error', () => finish({ ok: false, kind: 'unreadable' }));
		request.once('aborted', () => finish({ ok: false, kind: 'unreadable' }));
	});
}
