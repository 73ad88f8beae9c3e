// The conformance suite's client sends no Authorization header, while the
// AgentSpace MCP endpoint refuses every request without a bearer token. This
// proxy stands between them: it adds the token and forwards everything else
// as it came, so what the suite checks is the endpoint's own behaviour.
import { createServer, request } from 'node:http';

// Headers about one connection (RFC 9110 §7.6.1), not the request: never forwarded.
const HOP_BY_HOP = new Set([
	'connection',
	'keep-alive',
	'proxy-authenticate',
	'proxy-authorization',
	'proxy-connection',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade',
]);

/**
 * The headers to send upstream: `headers` without hop-by-hop ones, with
 * `Authorization: Bearer <token>` added when the client sent none, and Host
 * and Origin rewritten to the target only when they name the proxy itself
 * (`127.0.0.1:<proxyPort>` or `localhost:<proxyPort>`). A foreign Host or
 * Origin goes through unchanged, so the endpoint's DNS-rebinding refusal is
 * what the client sees.
 *
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {{ proxyPort: number, targetPort: number, token: string }} route
 * @returns {Record<string, string | string[]>}
 */
export function forwardedHeaders(headers, { proxyPort, targetPort, token }) {
	const own = [`127.0.0.1:${proxyPort}`, `localhost:${proxyPort}`];
	/** @type {Record<string, string | string[]>} */
	const out = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || HOP_BY_HOP.has(name)) continue;
		out[name] = value;
	}
	const host = typeof out.host === 'string' ? out.host.toLowerCase() : undefined;
	if (host !== undefined && own.includes(host)) out.host = `127.0.0.1:${targetPort}`;
	const origin = typeof out.origin === 'string' ? out.origin.toLowerCase() : undefined;
	if (origin !== undefined && own.some((address) => origin === `http://${address}`)) {
		out.origin = `http://127.0.0.1:${targetPort}`;
	}
	if (out.authorization === undefined) out.authorization = `Bearer ${token}`;
	return out;
}

/**
 * Starts the proxy on 127.0.0.1 (a free port the kernel picks): every request
 * is sent to `127.0.0.1:<targetPort>` with the same method, path and body and
 * {@link forwardedHeaders}; the response comes back as it arrives (an event
 * stream chunk by chunk, never buffered). A client that goes away ends its
 * upstream request, so an abandoned event stream is closed at the endpoint too.
 *
 * @param {{ targetPort: number, token: string }} options
 * @returns {Promise<{ port: number, url: string, close(): Promise<void> }>}
 */
export async function startAuthProxy({ targetPort, token }) {
	let proxyPort = 0;
	const server = createServer((req, res) => {
		const upstream = request({
			host: '127.0.0.1',
			port: targetPort,
			method: req.method,
			path: req.url,
			headers: forwardedHeaders(req.headers, { proxyPort, targetPort, token }),
		});
		upstream.on('response', (answer) => {
			/** @type {Record<string, string | string[]>} */
			const headers = {};
			for (const [name, value] of Object.entries(answer.headers)) {
				if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
			}
			res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
			// Headers now, not with the first chunk: an event stream may stay quiet.
			res.flushHeaders();
			answer.pipe(res);
		});
		upstream.on('error', (error) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`conformance proxy: the endpoint did not answer (${error.message})\n`);
		});
		res.on('close', () => {
			if (!res.writableFinished) upstream.destroy();
		});
		req.pipe(upstream);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(undefined));
	});
	const address = server.address();
	proxyPort = typeof address === 'object' && address !== null ? address.port : 0;
	return {
		port: proxyPort,
		url: `http://127.0.0.1:${proxyPort}/mcp`,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
