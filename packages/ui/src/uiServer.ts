import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { shieldHost } from './security/hostShield.js';
import { auditRefusedRequest } from './security/refuseRequest.js';
import { uiHosts } from './security/requestGuards.js';
import { SECURITY_HEADERS } from './security/securityHeaders.js';
import type { AdminUiDeps, UiEnv } from './uiContext.js';

/**
 * A short page with the security headers, for answers the app cannot give.
 * `reason` is one of this file's constants: never text from the request.
 */
function bareRefusal(status: number, reason: string): { head: string; body: string } {
	const title = status === 500 ? 'Something went wrong' : 'Request refused';
	const body = `<!doctype html><title>${title}</title><h1>${title}</h1><p>${reason}.</p>`;
	const lines = [
		`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}`,
		'Content-Type: text/html; charset=utf-8',
		`Content-Length: ${Buffer.byteLength(body)}`,
		'Connection: close',
		...Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
	];
	return { head: `${lines.join('\r\n')}\r\n\r\n`, body };
}

/**
 * The UI's HTTP server: the Hono app behind the Node adapter, with the
 * requests the adapter or Node's parser would refuse on their own brought
 * under the UI's rules — audited (folded like every refusal) and answered
 * with the security headers:
 * - a Host the adapter cannot parse reaches the app's Host guard (shieldHost);
 * - a request target the adapter cannot parse (a backslash in the path) is
 *   refused 400 as `malformed-request`;
 * - a request Node's parser gives up on (a broken chunked body, oversized
 *   headers) is answered 400 (431, 408) with the headers; if the app was not
 *   already reading it, it is audited here as `malformed-request` (else the
 *   app's failed body read audits it as `malformed-body`).
 */
export function createUiServer(
	app: Hono<UiEnv>,
	deps: Pick<AdminUiDeps, 'db' | 'denials' | 'sourceApp' | 'port'>,
): Server {
	const hosts = uiHosts(deps.port);
	// Requests the app is handling, by connection: their refusals are the app's to audit.
	const inFlight = new WeakMap<Socket, ServerResponse>();
	// The request whose adapter call is running: the adapter's errorHandler runs synchronously within it.
	let current: IncomingMessage | undefined;
	const listener = getRequestListener(app.fetch, {
		// The daemon's own fetch/Request/Response stay Node's.
		overrideGlobalObjects: false,
		errorHandler: () => {
			// Outside the adapter's synchronous request parsing (current unset) this is
			// the app's own response failing: a bug, not a malformed request.
			if (current === undefined) {
				const { body } = bareRefusal(500, 'the UI failed to answer; nothing was changed');
				return new Response(body, {
					status: 500,
					headers: { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS },
				});
			}
			const reason = 'malformed request (the request line or URL does not parse)';
			auditRefusedRequest(deps, {
				kind: 'malformed-request',
				reason,
				method: current.method ?? '-',
				path: (current.url ?? '-').split('?')[0] ?? '-',
			});
			const { body } = bareRefusal(400, reason);
			return new Response(body, {
				status: 400,
				headers: { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS },
			});
		},
	});
	const server = createServer((incoming, outgoing) => {
		shieldHost(incoming, hosts);
		const socket = incoming.socket;
		inFlight.set(socket, outgoing);
		outgoing.once('close', () => {
			if (inFlight.get(socket) === outgoing) inFlight.delete(socket);
		});
		current = incoming;
		try {
			void listener(incoming, outgoing);
		} finally {
			current = undefined;
		}
	});
	server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
		const outgoing = inFlight.get(socket);
		if (outgoing === undefined && error.code !== 'ECONNRESET') {
			auditRefusedRequest(deps, {
				kind: 'malformed-request',
				reason: `malformed request (${error.code ?? 'unparsable'})`,
				method: '-',
				path: '-',
			});
		}
		if (!socket.writable || outgoing?.headersSent === true || error.code === 'ECONNRESET') {
			socket.destroy();
			return;
		}
		const status =
			error.code === 'HPE_HEADER_OVERFLOW'
				? 431
				: error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
					? 408
					: 400;
		const { head, body } = bareRefusal(status, 'malformed request');
		socket.end(head + body);
	});
	return server;
}
