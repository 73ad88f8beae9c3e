import type { Context, MiddlewareHandler } from 'hono';
import type { UiEnv } from '../uiContext.js';

/** What {@link bodyLimit} answers with. */
export interface BodyLimitRefusals {
	/** The body is over the limit (by its Content-Length, or once read that far). */
	readonly tooLarge: (c: Context<UiEnv>) => Response | Promise<Response>;
	/** The body could not be read (a broken chunked encoding, the client gone). */
	readonly unreadable: (c: Context<UiEnv>) => Response | Promise<Response>;
}

/**
 * Reads at most `maxBytes` of a stream: the bytes, or undefined once it goes
 * over (the rest is left unread; the Node adapter drains it).
 */
async function readAtMost(
	body: ReadableStream<Uint8Array>,
	maxBytes: number,
): Promise<Uint8Array | undefined> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel().catch(() => {});
			return undefined;
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

/**
 * Refuses request bodies over `maxBytes`. A body with a Content-Length is
 * judged by it (Node's parser holds the client to it); one without (chunked,
 * or none at all, as in a bare `DELETE`) is read here, up to the limit, and
 * handed on as a request rebuilt from its URL, method and headers.
 *
 * Why not Hono's `bodyLimit`: it rebuilds with `new Request(c.req.raw, …)`.
 * With `overrideGlobalObjects: false` (the daemon keeps Node's own Request),
 * `c.req.raw` is the Node adapter's lightweight request, which Node's Request
 * constructor takes for a real one and fails on (`Cannot read properties of
 * undefined (reading 'window')`): every request without a Content-Length
 * answered 500, unaudited, and a valid chunked form post never ran.
 */
export function bodyLimit(maxBytes: number, refusals: BodyLimitRefusals): MiddlewareHandler<UiEnv> {
	return async (c, next) => {
		const raw = c.req.raw;
		if (raw.method === 'GET' || raw.method === 'HEAD') return next();
		const length = raw.headers.get('content-length');
		if (length !== null && !raw.headers.has('transfer-encoding')) {
			return Number(length) > maxBytes ? refusals.tooLarge(c) : next();
		}
		const body = raw.body;
		if (body === null) return next();
		let bytes: Uint8Array | undefined;
		try {
			bytes = await readAtMost(body, maxBytes);
		} catch {
			return refusals.unreadable(c);
		}
		if (bytes === undefined) return refusals.tooLarge(c);
		// Copied entry by entry: the adapter's lightweight Headers is no more a real one than its Request.
		const headers = new Headers(Array.from(raw.headers));
		c.req.raw = new Request(raw.url, { method: raw.method, headers, body: bytes });
		return next();
	};
}
