// The conformance harness's token-adding proxy, between real HTTP servers and
// clients: it must add the bearer token and otherwise change nothing the
// suite checks — a foreign Host or Origin reaches the endpoint as sent, an
// event stream arrives as it is written, a client that leaves ends the stream.
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardedHeaders, startAuthProxy } from './authProxy.mjs';

interface Seen {
	method: string | undefined;
	url: string | undefined;
	headers: IncomingHttpHeaders;
	body: string;
}

const servers: Server[] = [];
const proxies: { close(): Promise<void> }[] = [];

afterEach(async () => {
	for (const proxy of proxies.splice(0)) await proxy.close();
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		await new Promise((done) => server.close(done));
	}
});

/** An upstream that records each request and answers it with `answer`. */
async function upstream(
	answer: (res: import('node:http').ServerResponse, seen: Seen) => void = (res) =>
		res.end('{"ok":true}'),
): Promise<{ port: number; seen: Seen[] }> {
	const seen: Seen[] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => {
			body += chunk;
		});
		req.on('end', () => {
			const entry = { method: req.method, url: req.url, headers: req.headers, body };
			seen.push(entry);
			answer(res, entry);
		});
	});
	servers.push(server);
	await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
	const address = server.address();
	return { port: typeof address === 'object' && address !== null ? address.port : 0, seen };
}

/** A raw request (Host and Origin set as given, which fetch would not allow). */
function send(
	port: number,
	headers: Record<string, string>,
	body = '',
): Promise<{ status: number; text: string }> {
	return new Promise((done, fail) => {
		const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/mcp?x=1', headers });
		req.on('response', (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				text += chunk;
			});
			res.on('end', () => done({ status: res.statusCode ?? 0, text }));
		});
		req.on('error', fail);
		req.end(body);
	});
}

describe('conformance auth proxy', () => {
	it('adds the bearer token and forwards method, path, body and the answer unchanged', async () => {
		const target = await upstream((res) => {
			res.writeHead(202, { 'mcp-session-id': 'abc' });
			res.end('accepted');
		});
		const proxy = await startAuthProxy({ targetPort: target.port, token: 'asmcp_secret' });
		proxies.push(proxy);
		const answer = await send(
			proxy.port,
			{ host: `127.0.0.1:${proxy.port}`, 'content-type': 'application/json' },
			'{"jsonrpc":"2.0","id":1,"method":"ping"}',
		);
		expect(answer).toEqual({ status: 202, text: 'accepted' });
		expect(target.seen).toHaveLength(1);
		expect(target.seen[0]).toMatchObject({
			method: 'POST',
			url: '/mcp?x=1',
			body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
			headers: {
				authorization: 'Bearer asmcp_secret',
				host: `127.0.0.1:${target.port}`,
				'content-type': 'application/json',
			},
		});
	});

	it('rewrites Host and Origin only when they name the proxy; a foreign one reaches the endpoint as sent', async () => {
		const target = await upstream();
		const proxy = await startAuthProxy({ targetPort: target.port, token: 't' });
		proxies.push(proxy);
		await send(proxy.port, {
			host: `localhost:${proxy.port}`,
			origin: `http://localhost:${proxy.port}`,
		});
		await send(proxy.port, { host: 'evil.example.com', origin: 'http://evil.example.com' });
		await send(proxy.port, { host: `127.0.0.1:${proxy.port}`, origin: 'http://evil.example.com' });
		expect(target.seen.map((s) => [s.headers.host, s.headers.origin])).toEqual([
			[`127.0.0.1:${target.port}`, `http://127.0.0.1:${target.port}`],
			['evil.example.com', 'http://evil.example.com'],
			[`127.0.0.1:${target.port}`, 'http://evil.example.com'],
		]);
	});

	it("keeps a client's own Authorization and drops hop-by-hop headers", () => {
		const headers = forwardedHeaders(
			{
				authorization: 'Bearer mine',
				connection: 'keep-alive',
				'keep-alive': 'timeout=5',
				te: 'x',
			},
			{ proxyPort: 1, targetPort: 2, token: 'minted' },
		);
		expect(headers).toEqual({ authorization: 'Bearer mine' });
	});

	it('streams an event stream as it is written, and ends it upstream when the client leaves', async () => {
		let upstreamClosed!: () => void;
		const closed = new Promise<void>((done) => {
			upstreamClosed = done;
		});
		const target = await upstream((res) => {
			res.writeHead(200, { 'content-type': 'text/event-stream' });
			res.write('event: message\ndata: {"first":true}\n\n');
			// Never ended: the client must see the first event while the stream is open.
			res.on('close', () => upstreamClosed());
		});
		const proxy = await startAuthProxy({ targetPort: target.port, token: 't' });
		proxies.push(proxy);
		const controller = new AbortController();
		const response = await fetch(proxy.url, {
			method: 'POST',
			body: '{}',
			headers: { accept: 'text/event-stream' },
			signal: controller.signal,
		});
		expect(response.headers.get('content-type')).toBe('text/event-stream');
		const reader = response.body?.getReader();
		const first = await reader?.read();
		expect(new TextDecoder().decode(first?.value)).toBe('event: message\ndata: {"first":true}\n\n');
		controller.abort();
		await closed;
	});

	it('answers 502 when the endpoint is not there', async () => {
		const target = await upstream();
		const port = target.port;
		const server = servers.pop();
		server?.closeAllConnections();
		await new Promise((done) => server?.close(done));
		const proxy = await startAuthProxy({ targetPort: port, token: 't' });
		proxies.push(proxy);
		const answer = await send(proxy.port, { host: `127.0.0.1:${proxy.port}` });
		expect(answer.status).toBe(502);
		expect(answer.text).toMatch(/conformance proxy: the endpoint did not answer/);
	});
});
