// The MCP HTTP endpoint in a real daemon: the fixture MCP agent run by the
// daemon's supervisor, the SDK's Client over StreamableHTTPClientTransport
// listing and calling it through 127.0.0.1, and every refusal the issue
// lists sent as a real HTTP request — answered with its status, audited as
// security.denied (interface mcp-http), nothing called.
import { createServer, request } from 'node:http';
import { hasErrorCode } from '@agentspace/core';
import { freePort } from '@agentspace/testing';
import { mintMcpToken, revokeMcpToken } from '@agentspace/tools/tokens';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { callDaemon } from '../daemonClient.js';
import type { RunningDaemon } from '../runDaemon.js';
import { daemonServices } from './daemonServices.js';
import { actor, runAgent, serviceHarness } from './serviceHarness.testing.js';

const h = serviceHarness('daemon-mcp-http');
const { token, logLines } = h;

type EndpointLimits = { maxSessions?: number; maxSessionsPerToken?: number };

/** The daemon's services, hosting the endpoint (with the home token) under these limits. */
const endpointServices = (limits: EndpointLimits = {}) =>
	daemonServices({
		env: process.env,
		mcpHttp: { authToken: token, limits: { tokenSweepMs: 100, ...limits } },
	});

/** A daemon running the fixture MCP agent (all its tools allowed) and hosting the endpoint. */
async function startEndpoint(limits: EndpointLimits = {}) {
	await h.installMcpFixture();
	const connection = await h.startDaemon(endpointServices(limits));
	await runAgent(connection, 'mcp-fixture');
	for (let i = 0; i < 400; i++) {
		const status = await callDaemon(connection, 'status', {});
		if (status.mcpAgents.some((a) => a.id === 'mcp-fixture')) break;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	const port = await freePort();
	const started = await callDaemon(connection, 'mcpHttpStart', { port, actor });
	return { connection, port, url: started.url, started };
}

/** An SDK client of the endpoint with this bearer token. */
async function connectClient(url: string, bearer: string): Promise<Client> {
	const client = new Client({ name: 'http-test-client', version: '1.2.3' });
	await client.connect(
		new StreamableHTTPClientTransport(new URL(url), {
			requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
		}),
	);
	return client;
}

const toolCalls = () =>
	h.temp.db.$client
		.prepare('SELECT caller_type, caller_id, caller_detail, tool, status FROM tool_calls')
		.all() as { caller_type: string; caller_id: string; caller_detail: string; tool: string }[];

const denials = () =>
	(
		h.temp.db.$client
			.prepare(`SELECT metadata FROM audit_log WHERE event_type = 'security.denied' ORDER BY id`)
			.pluck()
			.all() as string[]
	)
		.map((text) => JSON.parse(text) as Record<string, unknown>)
		.filter((metadata) => metadata.interface === 'mcp-http');

/** A raw HTTP request (fetch will not send a Host of our choosing). */
function rawRequest(
	port: number,
	headers: Record<string, string>,
	body: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers, setHost: false },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => {
					text += chunk;
				});
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
				);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

const initialize = JSON.stringify({
	jsonrpc: '2.0',
	id: 1,
	method: 'initialize',
	params: {
		protocolVersion: '2025-06-18',
		capabilities: {},
		clientInfo: { name: 'raw', version: '1' },
	},
});
const call = (id: number) => ({
	jsonrpc: '2.0',
	id,
	method: 'tools/call',
	params: { name: 'mcp-fixture__echo', arguments: { text: 'hi' } },
});

describe('the MCP HTTP endpoint', () => {
	it('is opened and stopped on request, audited, and a port in use is a CONFLICT with a hint', async () => {
		const connection = await h.startDaemon(endpointServices());
		const [busy, free] = [await freePort(), await freePort()];
		const squatter = createServer();
		await new Promise<void>((resolve) => squatter.listen(busy, '127.0.0.1', resolve));
		try {
			let caught: unknown;
			try {
				await callDaemon(connection, 'mcpHttpStart', { port: busy, actor });
			} catch (error) {
				caught = error;
			}
			expect(hasErrorCode(caught, 'CONFLICT')).toBe(true);
			expect((caught as { hint?: string }).hint).toMatch(/--port/);
		} finally {
			squatter.close();
		}
		expect(await callDaemon(connection, 'mcpHttpStart', { port: free, actor })).toMatchObject({
			started: true,
		});
		expect(await callDaemon(connection, 'mcpHttpStart', { port: free, actor })).toMatchObject({
			started: false,
		});
		expect((await callDaemon(connection, 'status', {})).mcpHttpUrl).toBe(
			`http://127.0.0.1:${free}/mcp`,
		);
		expect(await callDaemon(connection, 'mcpHttpStop', { actor })).toEqual({ closed: true });
		expect(await callDaemon(connection, 'mcpHttpStop', { actor })).toEqual({ closed: false });
		await expect(fetch(`http://127.0.0.1:${free}/mcp`)).rejects.toThrow();
		const audited = h.temp.db.$client
			.prepare(
				`SELECT event_type, actor_id, metadata FROM audit_log WHERE event_type LIKE 'mcp.http_%' ORDER BY id`,
			)
			.all();
		expect(audited).toEqual([
			{
				event_type: 'mcp.http_opened',
				actor_id: 'tester',
				metadata: `{"address":"127.0.0.1:${free}"}`,
			},
			{
				event_type: 'mcp.http_closed',
				actor_id: 'tester',
				metadata: `{"address":"127.0.0.1:${free}"}`,
			},
		]);
	});

	it('serves the gateway to an SDK client with the home token or a minted one, recorded as an http mcp-client', async () => {
		const { url, port, started } = await startEndpoint();
		expect(started).toEqual({ url: `http://127.0.0.1:${port}/mcp`, port, started: true });

		const client = await connectClient(url, token);
		const { tools } = await client.listTools();
		expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['mcp-fixture__echo']));
		const result = await client.callTool({ name: 'mcp-fixture__echo', arguments: { text: 'hi' } });
		expect(result.isError).not.toBe(true);
		expect(JSON.stringify(result.content)).toContain('hi');
		await client.close();

		const minted = mintMcpToken(h.temp.db, { actor, name: 'cursor' });
		const transport = new StreamableHTTPClientTransport(new URL(url), {
			requestInit: { headers: { Authorization: `Bearer ${minted.token}` } },
		});
		const second = new Client({ name: 'http-test-client', version: '1.2.3' });
		await second.connect(transport);
		await second.callTool({ name: 'mcp-fixture__echo', arguments: { text: 'again' } });
		const connection = { socket: (h.daemon as RunningDaemon).socket, token };
		expect((await callDaemon(connection, 'status', {})).mcpHttpSessions).toBe(2);

		// Another bearer cannot use the session: it is not told apart from an unknown one.
		const borrowed = await fetch(url, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				Accept: 'application/json, text/event-stream',
				Authorization: `Bearer ${token}`,
				'Mcp-Session-Id': transport.sessionId as string,
				'Mcp-Protocol-Version': transport.protocolVersion as string,
			},
			body: JSON.stringify(call(7)),
		});
		expect(borrowed.status).toBe(404);
		await borrowed.arrayBuffer();

		// An initialize the SDK's transport refuses (a client that does not accept
		// event streams: 406) leaves no session behind.
		const notAccepted = await fetch(url, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				Accept: 'application/json',
				Authorization: `Bearer ${token}`,
			},
			body: initialize,
		});
		expect(notAccepted.status).toBe(406);
		await notAccepted.arrayBuffer();
		expect((await callDaemon(connection, 'status', {})).mcpHttpSessions).toBe(2);

		// DELETE ends the session (the SDK's terminateSession).
		await transport.terminateSession();
		expect((await callDaemon(connection, 'status', {})).mcpHttpSessions).toBe(1);
		await second.close();

		expect(toolCalls().map((c) => ({ ...c, caller_detail: JSON.parse(c.caller_detail) }))).toEqual([
			{
				caller_type: 'mcp-client',
				caller_id: 'http-test-client',
				caller_detail: { transport: 'http', via: 'home', version: '1.2.3' },
				tool: 'echo',
				status: 'ok',
			},
			{
				caller_type: 'mcp-client',
				caller_id: 'http-test-client',
				caller_detail: { transport: 'http', via: minted.tokenId, version: '1.2.3' },
				tool: 'echo',
				status: 'ok',
			},
		]);
		expect(denials()).toEqual([]);
	});

	it('refuses each bad request with its status, audits it, and calls nothing', async () => {
		const { url, port } = await startEndpoint();
		const expired = mintMcpToken(h.temp.db, {
			actor,
			lifetimeMs: 60_000,
			now: () => new Date(Date.now() - 120_000),
		});
		const revoked = mintMcpToken(h.temp.db, { actor });
		revokeMcpToken(h.temp.db, { tokenId: revoked.tokenId, actor });
		const json = {
			'Content-Type': 'application/json',
			Accept: 'application/json, text/event-stream',
		};
		const auth = { ...json, Authorization: `Bearer ${token}` };
		const post = (headers: Record<string, string>, body: string | ReadableStream) =>
			fetch(url, {
				method: 'POST',
				headers,
				body,
				...(typeof body === 'string' ? {} : { duplex: 'half' }),
			} as RequestInit);

		const cases: [string, () => Promise<Response>, number, string][] = [
			['no token', () => post(json, initialize), 401, 'no-token'],
			[
				'a wrong token',
				() => post({ ...json, Authorization: `Bearer ${'f'.repeat(64)}` }, initialize),
				401,
				'wrong-token',
			],
			[
				'an expired token',
				() => post({ ...json, Authorization: `Bearer ${expired.token}` }, initialize),
				401,
				'expired-token',
			],
			[
				'a revoked token',
				() => post({ ...json, Authorization: `Bearer ${revoked.token}` }, initialize),
				401,
				'revoked-token',
			],
			[
				'a foreign Origin',
				() => post({ ...auth, Origin: 'http://evil.example' }, initialize),
				403,
				'foreign-origin',
			],
			[
				'a body over 4 MiB',
				() => post(auth, JSON.stringify({ ...call(1), pad: 'x'.repeat(4 * 1024 * 1024) })),
				413,
				'too-large',
			],
			['malformed JSON', () => post(auth, '{"jsonrpc": "2.0", "id": 1,'), 400, 'malformed-json'],
			[
				'JSON that is not JSON-RPC',
				() => post(auth, JSON.stringify({ hello: 'world' })),
				400,
				'malformed-jsonrpc',
			],
			[
				'a batch of 10,000 requests',
				() => post(auth, JSON.stringify(Array.from({ length: 10_000 }, (_, i) => call(i)))),
				400,
				'batch',
			],
		];
		for (const [name, send, status] of cases) {
			const response = await send();
			expect(response.status, name).toBe(status);
			expect(response.headers.get('access-control-allow-origin'), name).toBeNull();
			if (status === 401) {
				expect(response.headers.get('www-authenticate'), name).toMatch(
					/^Bearer realm="agentspace"/,
				);
			}
			await response.arrayBuffer();
		}
		// A chunked body (no Content-Length) that grows past the cap is cut off there.
		const chunk = new Uint8Array(1024 * 1024).fill(0x20);
		let sent = 0;
		const endless = new ReadableStream<Uint8Array>({
			pull(controller) {
				sent += 1;
				if (sent > 64) controller.close();
				else controller.enqueue(chunk);
			},
		});
		const chunked = await post(auth, endless).catch((error: unknown) => error as Error);
		if (chunked instanceof Response) expect(chunked.status).toBe(413);
		expect(sent).toBeLessThan(64);

		const wrongHost = await rawRequest(port, { ...auth, Host: 'evil.example:80' }, initialize);
		expect(wrongHost.status).toBe(403);
		const rebound = await rawRequest(port, { ...auth, Host: `attacker.test:${port}` }, initialize);
		expect(rebound.status).toBe(403);

		const kinds = denials().map((d) => d.kind);
		expect(kinds).toEqual([
			'no-token',
			'wrong-token',
			'expired-token',
			'revoked-token',
			'foreign-origin',
			'too-large',
			'malformed-json',
			'malformed-jsonrpc',
			'batch',
			// The chunked body over the cap, folded into the first too-large's window.
			'host',
		]);
		for (const denial of denials()) {
			expect(denial).toMatchObject({ interface: 'mcp-http', address: `127.0.0.1:${port}` });
			// Neither the token nor the body reaches the audit log.
			expect(JSON.stringify(denial)).not.toContain(token);
		}
		expect(toolCalls()).toEqual([]);
		const status = await callDaemon(
			{ socket: (h.daemon as RunningDaemon).socket, token },
			'status',
			{},
		);
		expect(status.mcpHttpSessions).toBe(0);
	});

	it("makes room for a new session by closing the busiest token's oldest, never another token's", async () => {
		const { url } = await startEndpoint({ maxSessions: 4, maxSessionsPerToken: 2 });
		const minted = mintMcpToken(h.temp.db, { name: 'flooder', actor }).token;
		const other = mintMcpToken(h.temp.db, { name: 'other', actor }).token;
		const works = (client: Client) =>
			client.listTools().then(
				() => true,
				() => false,
			);
		const a1 = await connectClient(url, minted);
		const a2 = await connectClient(url, minted);
		const home = await connectClient(url, token);
		// The flooder's third: its own oldest goes (at its cap of 2), the home token's stays.
		const a3 = await connectClient(url, minted);
		expect(await works(a1)).toBe(false);
		expect([await works(a2), await works(a3), await works(home)]).toEqual([true, true, true]);
		// The overall cap (4): a third token's second session closes the busiest token's oldest.
		const c1 = await connectClient(url, other);
		const c2 = await connectClient(url, other);
		expect(await works(a2)).toBe(false);
		expect([await works(a3), await works(home), await works(c1), await works(c2)]).toEqual([
			true,
			true,
			true,
			true,
		]);
		for (const client of [a1, a2, a3, home, c1, c2]) await client.close().catch(() => {});
	});

	it('keeps serving when its token sweep cannot read the tokens (a damaged database): logged, not thrown', async () => {
		const { url } = await startEndpoint();
		const minted = mintMcpToken(h.temp.db, { actor });
		const client = await connectClient(url, minted.token);
		// Damage under the running daemon: the sweep's read fails (a throw out of its timer ended the daemon).
		h.temp.db.$client.exec('DROP TABLE mcp_tokens');
		const line = 'mcp http: could not check the token of a session: no such table: mcp_tokens';
		for (let i = 0; i < 400 && !logLines.includes(line); i++)
			await new Promise((resolve) => setTimeout(resolve, 25));
		expect(logLines).toContain(line);
		const connection = { socket: (h.daemon as RunningDaemon).socket, token };
		expect((await callDaemon(connection, 'status', {})).mcpHttpSessions).toBe(1);
		await client.close().catch(() => {});
	});

	it('refuses a session once its token is revoked: the call reaches no agent', async () => {
		const { url } = await startEndpoint();
		const minted = mintMcpToken(h.temp.db, { actor });
		const client = await connectClient(url, minted.token);
		await client.callTool({ name: 'mcp-fixture__echo', arguments: { text: 'before' } });
		revokeMcpToken(h.temp.db, { tokenId: minted.tokenId, actor });
		await expect(
			client.callTool({ name: 'mcp-fixture__echo', arguments: { text: 'after' } }),
		).rejects.toThrow(/revoked token/);
		// The session itself (its event stream open) is ended, not only its requests refused.
		const connection = { socket: (h.daemon as RunningDaemon).socket, token };
		for (let i = 0; i < 400; i++) {
			if ((await callDaemon(connection, 'status', {})).mcpHttpSessions === 0) break;
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		expect((await callDaemon(connection, 'status', {})).mcpHttpSessions).toBe(0);
		await client.close().catch(() => {});
		expect(toolCalls()).toHaveLength(1);
		expect(denials().map((d) => d.kind)).toEqual(['revoked-token']);
	});
});
