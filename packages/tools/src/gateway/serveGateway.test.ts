import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { ValidationError } from '@agentspace/core';
import {
	type AgentSpaceDb,
	closeDb,
	getAuditEvents,
	openDb,
	withImmediateTransaction,
} from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import {
	createTempHome,
	type McpFixtureAgentProcess,
	startMcpFixtureAgent,
	type TempHome,
} from '@agentspace/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
	type CallToolResult,
	McpError,
	type Progress,
	ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryToolCalls } from '../callLog/queryToolCalls.js';
import { recordToolList } from '../registry/recordToolList.js';
import { setToolPolicy } from '../registry/setToolPolicy.js';
import type { BuiltinToolGroup } from '../router/builtinTools.js';
import { ToolRouter } from '../router/toolRouter.js';
import { connectMcpAgent, type McpAgentSession } from '../session/connectMcpAgent.js';
import { GatewayCatalog } from './gatewayCatalog.js';
import { gatewayStreamTransport } from './gatewayStreamTransport.js';
import { GATEWAY_VERSION } from './gatewayVersion.js';
import {
	type GatewaySession,
	MAX_GATEWAY_LISTS_PER_SECOND,
	type ServeGatewayOptions,
	serveGateway,
} from './serveGateway.js';

// The gateway end to end: the SDK's Client, over a real Unix socket, talks to
// serveGateway (gatewayStreamTransport on the server's end), which routes
// through a real router over a real SQLite database to the fixture MCP agent
// running as a child process (connectMcpAgent). The client's end of the
// socket speaks MCP's stdio framing with the SDK's own StdioServerTransport
// (it is a plain newline-JSON transport over two streams).

const H = (c: string) => c.repeat(64);

let home: TempHome;
let db: AgentSpaceDb;
let router: ToolRouter;
let catalog: GatewayCatalog;
let agents: McpFixtureAgentProcess[];
let sessions: McpAgentSession[];
let gateways: GatewaySession[];
let sockets: Socket[];
let closers: (() => void)[];
let logged: string[];

function emit(type: string, fields: Record<string, unknown>): void {
	withImmediateTransaction(db, (tx) =>
		appendToStream(tx, [
			createEvent(type as never, { project_key: 'agentspace', ...fields } as never),
		]),
	);
}

/** A built-in group as H3's will be: here one tool that reports progress and says who called. */
const fleet: BuiltinToolGroup = {
	id: 'fleet',
	tools: [
		{
			name: 'whoami',
			description: 'Says who calls, after two progress steps',
			inputSchema: {
				type: 'object',
				properties: { callsign: { type: 'string' } },
				required: ['callsign'],
				additionalProperties: false,
			},
			annotations: { readOnlyHint: true },
			async call(args, context) {
				if (args.callsign === 'nobody')
					throw new ValidationError('no pilot nobody', { hint: 'register first' });
				context.onProgress({ progress: 1, total: 2 });
				context.onProgress({ progress: 2, total: 2 });
				const text = `${String(args.callsign)} is ${context.caller.type}:${context.caller.id}`;
				return { isError: false, content: [{ type: 'text', text }], structuredContent: { text } };
			},
		},
	],
};

/** The agent discovered, enabled and running, its session attached to the router and its tools recorded. */
async function runAgent(agentId: string, flags: string[] = []): Promise<McpAgentSession> {
	emit('agent_discovered', {
		agent_id: agentId,
		name: agentId,
		version: '1.0.0',
		manifest_path: `/src/${agentId}/agentspace.agent.json`,
		manifest_hash: H('1'),
		permissions_hash: H('2'),
		requested_permissions: [],
	});
	emit('agent_enabled', {
		agent_id: agentId,
		approved_permissions: [],
		manifest_hash: H('1'),
		permissions_hash: H('2'),
	});
	const runId = `run_${agentId}`;
	emit('agent_run_started', {
		agent_id: agentId,
		run_id: runId,
		pid: 4242,
		sandboxed: false,
		restart_policy: 'no',
	});
	const agent = startMcpFixtureAgent(flags);
	agents.push(agent);
	const session = await connectMcpAgent(agent.channel, { agentId, runId });
	sessions.push(session);
	recordToolList(db, { agentId, runId, tools: session.tools() });
	router.attach(session);
	catalog.refresh();
	return session;
}

/** Two ends of a real Unix socket. */
async function socketPair(): Promise<[server: Socket, client: Socket]> {
	const path = join(home.home, `gw-${sockets.length}.sock`);
	const server = createServer();
	const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
	await new Promise<void>((resolve) => server.listen(path, resolve));
	const { connect } = await import('node:net');
	const client = connect(path);
	const serverEnd = await accepted;
	server.close();
	sockets.push(serverEnd, client);
	return [serverEnd, client];
}

interface Connected {
	readonly client: Client;
	readonly gateway: GatewaySession;
	readonly socket: Socket;
}

/** An SDK Client connected to a new gateway session over a socket. */
async function connectClient(
	options: Partial<ServeGatewayOptions> = {},
	name = 'test-client',
): Promise<Connected> {
	const [serverEnd, clientEnd] = await socketPair();
	const gateway = await serveGateway({
		transport: gatewayStreamTransport(serverEnd, { log: (line) => logged.push(line) }),
		catalog,
		router,
		callerOf: (client) => ({
			type: 'mcp-client',
			id: client?.name ?? 'unknown-client',
			detail: { version: client?.version ?? '', transport: 'test' },
		}),
		log: (line) => logged.push(line),
		...options,
	});
	gateways.push(gateway);
	const client = new Client({ name, version: '9.9.9' });
	await client.connect(new StdioServerTransport(clientEnd, clientEnd));
	closers.push(() => void client.close());
	return { client, gateway, socket: clientEnd };
}

async function rpcError(promise: Promise<unknown>): Promise<McpError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(McpError);
		return error as McpError;
	}
	throw new Error('expected a JSON-RPC error');
}

function text(result: unknown): string {
	const content = (result as CallToolResult).content;
	return content.map((item) => (item.type === 'text' ? item.text : '')).join('');
}

/** Resolves at the client's next notifications/tools/list_changed. */
function nextListChanged(client: Client): Promise<void> {
	return new Promise((resolve) =>
		client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()),
	);
}

beforeEach(() => {
	home = createTempHome('gateway');
	db = openDb({ path: join(home.home, 'agentspace.db') });
	agents = [];
	sessions = [];
	gateways = [];
	sockets = [];
	closers = [];
	logged = [];
	router = new ToolRouter({ db, securityMode: () => 'full-control', builtins: [fleet] });
	catalog = new GatewayCatalog({
		db,
		securityMode: () => 'full-control',
		isRunning: (agentId) => router.isRunning(agentId),
		builtins: router.builtinGroups(),
		// Short, so a test waiting for another connection's write is quick (no assertion on time).
		pollIntervalMs: 20,
		log: (line) => logged.push(line),
	});
});

afterEach(async () => {
	for (const close of closers) close();
	for (const gateway of gateways) await gateway.close();
	for (const socket of sockets) socket.destroy();
	for (const session of sessions) await session.close();
	for (const agent of agents) await agent.stop();
	catalog.close();
	router.close();
	closeDb(db);
	home.cleanup();
});

describe('serveGateway', () => {
	it('introduces itself and lists every running agent’s callable tools and the built-ins, by name', async () => {
		await runAgent('fx');
		const { client } = await connectClient();
		expect(client.getServerVersion()).toEqual({ name: 'agentspace', version: GATEWAY_VERSION });
		expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
		expect(client.getInstructions()).toMatch(/<agent>__<tool>/);
		const { tools, nextCursor } = await client.listTools();
		expect(nextCursor).toBeUndefined();
		expect(tools.map((tool) => tool.name)).toEqual([
			'fleet__whoami',
			'fx__add',
			'fx__echo',
			'fx__fail',
			'fx__slow',
		]);
		const add = tools.find((tool) => tool.name === 'fx__add');
		expect(add?.description).toBe('Adds two numbers');
		expect(add?.outputSchema).toMatchObject({ required: ['sum'] });
		expect(add?.annotations).toEqual({ readOnlyHint: true, idempotentHint: true });
	});

	it('calls through the router, recorded as the client that initialize named', async () => {
		await runAgent('fx');
		const { client } = await connectClient({}, 'claude-code');
		const result = await client.callTool({ name: 'fx__add', arguments: { a: 2, b: 3 } });
		expect(result.structuredContent).toEqual({ sum: 5 });
		expect(result.isError).toBeUndefined();
		const [call] = queryToolCalls(db, { agentId: 'fx' });
		expect(call).toMatchObject({
			tool: 'add',
			status: 'ok',
			caller: {
				type: 'mcp-client',
				id: 'claude-code',
				detail: { version: '9.9.9', transport: 'test' },
			},
		});
		expect(result._meta).toEqual({ 'agentspace/callId': call?.callId });
	});

	it('cuts a client’s long name before it names the caller', async () => {
		await runAgent('fx');
		const { client } = await connectClient({}, 'n'.repeat(1000));
		expect(text(await client.callTool({ name: 'fx__echo', arguments: { text: 'ok' } }))).toBe('ok');
		expect(queryToolCalls(db, { agentId: 'fx' })[0]?.caller.id).toBe('n'.repeat(200));
	});

	it('relays progress in order under the client’s token', async () => {
		await runAgent('fx');
		const { client } = await connectClient();
		const seen: Progress[] = [];
		const result = await client.callTool(
			{ name: 'fx__slow', arguments: { steps: 5, delayMs: 1 } },
			undefined,
			{
				onprogress: (progress) => seen.push(progress),
			},
		);
		expect(text(result)).toBe('done after 5 steps');
		expect(seen.map((progress) => progress.progress)).toEqual([1, 2, 3, 4, 5]);
		expect(seen[4]).toEqual({ progress: 5, total: 5, message: 'step 5' });
	});

	it('cancels the call at the agent when the client cancels it', async () => {
		await runAgent('fx');
		const { client } = await connectClient();
		const controller = new AbortController();
		const call = client.callTool(
			{ name: 'fx__slow', arguments: { steps: 100_000, delayMs: 5 } },
			undefined,
			{
				signal: controller.signal,
				onprogress: () => controller.abort('enough'),
			},
		);
		await expect(call).rejects.toThrow();
		// The agent heard notifications/cancelled: it says so on stderr.
		await agents[0]?.waitForStderr(/slow cancelled/);
		await expect.poll(() => queryToolCalls(db, { agentId: 'fx' })[0]?.status).toBe('cancelled');
	});

	it('answers refusals and failures as isError results with the code, and unknown names as InvalidParams', async () => {
		await runAgent('fx');
		const { client } = await connectClient();
		const invalid = await client.callTool({ name: 'fx__add', arguments: { a: 'one', b: 2 } });
		expect(invalid.isError).toBe(true);
		expect(invalid._meta).toEqual({ 'agentspace/code': 'VALIDATION_FAILED' });
		expect(text(invalid)).toMatch(
			/^error\[VALIDATION_FAILED\]: invalid arguments for fx\/add:\n.*\/a/s,
		);
		expect(text(invalid)).toMatch(/\nhint: fix the listed fields/);
		// The tool's own isError passes through as it is.
		const failed = await client.callTool({ name: 'fx__fail', arguments: {} });
		expect(failed).toMatchObject({
			isError: true,
			content: [{ type: 'text', text: 'fail: failed on purpose' }],
		});
		// The agent became unhealthy after the list was made: the router's refusal reaches the client.
		router.markUnhealthy('fx', '3 pings unanswered');
		const refused = await client.callTool({ name: 'fx__echo', arguments: { text: 'hi' } });
		expect(refused._meta).toEqual({ 'agentspace/code': 'CONFLICT' });
		expect(text(refused)).toMatch(
			/^error\[CONFLICT\]: agent fx is unhealthy \(3 pings unanswered\)/,
		);
		const unknown = await rpcError(client.callTool({ name: 'fx__nothing', arguments: {} }));
		expect(unknown.code).toBe(-32602);
		expect(unknown.message).toMatch(/unknown tool "fx__nothing"/);
		// A built-in's AgentSpaceError is an isError result as well.
		const builtin = await client.callTool({
			name: 'fleet__whoami',
			arguments: { callsign: 'nobody' },
		});
		expect(text(builtin)).toBe('error[VALIDATION_FAILED]: no pilot nobody\nhint: register first');
		expect(queryToolCalls(db, { agentId: 'fleet' })[0]).toMatchObject({
			status: 'invalid',
			runId: null,
		});
	});

	it('calls a built-in with its progress, as the client', async () => {
		const { client } = await connectClient({}, 'cursor');
		const seen: number[] = [];
		const result = await client.callTool(
			{ name: 'fleet__whoami', arguments: { callsign: 'red-1' } },
			undefined,
			{
				onprogress: (progress) => seen.push(progress.progress),
			},
		);
		expect(result.structuredContent).toEqual({ text: 'red-1 is mcp-client:cursor' });
		expect(seen).toEqual([1, 2]);
		const bad = await client.callTool({ name: 'fleet__whoami', arguments: { callsign: 1 } });
		expect(text(bad)).toMatch(
			/^error\[VALIDATION_FAILED\]: invalid arguments for fleet\/whoami:\n.*\/callsign/s,
		);
		expect(queryToolCalls(db, { agentId: 'fleet' }).map((call) => call.status)).toEqual([
			'invalid',
			'ok',
		]);
	});

	it('tells the client when an agent starts and when it stops', async () => {
		await runAgent('fx');
		const { client } = await connectClient();
		await client.listTools();
		const started = nextListChanged(client);
		const fy = await runAgent('fy');
		await started;
		expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('fy__echo');
		const stopped = nextListChanged(client);
		await fy.close();
		await fy.ended;
		catalog.refresh();
		await stopped;
		expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('fy__echo');
	});

	it('tells the client when a policy changes in another connection (the CLI)', async () => {
		await runAgent('fx');
		const { client } = await connectClient();
		const changed = nextListChanged(client);
		const cli = openDb({ path: join(home.home, 'agentspace.db') });
		try {
			setToolPolicy(cli, {
				agentId: 'fx',
				tool: 'echo',
				policy: 'deny',
				actor: { type: 'human', id: 'alice' },
			});
		} finally {
			closeDb(cli);
		}
		await changed;
		expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('fx__echo');
		const gone = await rpcError(client.callTool({ name: 'fx__echo', arguments: { text: 'x' } }));
		expect(gone.message).toMatch(/unknown tool/);
	});

	it('lists and calls only what allows allows; a refusal is recorded and audited as denied', async () => {
		await runAgent('fx');
		const { client } = await connectClient({ allows: (target) => target === 'fx/echo' }, 'agent-b');
		expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['fx__echo']);
		expect(text(await client.callTool({ name: 'fx__echo', arguments: { text: 'hi' } }))).toBe('hi');
		const refused = await rpcError(client.callTool({ name: 'fx__add', arguments: { a: 1, b: 2 } }));
		expect(refused.code).toBe(-32602);
		expect(refused.message).toMatch(/unknown tool "fx__add"/);
		expect(queryToolCalls(db, { agentId: 'fx', tool: 'add' })).toMatchObject([
			{ status: 'denied', errorCode: 'PERMISSION_DENIED', caller: { id: 'agent-b' } },
		]);
		const audit = await getAuditEvents(db, { type: 'security.denied' });
		expect(audit).toHaveLength(1);
		// The agent never saw the refused call.
		expect(agents[0]?.stderr()).not.toMatch(/add/);
	});

	it('answers calls over maxCallsInFlight at once with an error, calling nothing', async () => {
		await runAgent('fx');
		const { client } = await connectClient({ maxCallsInFlight: 2 });
		const controller = new AbortController();
		const progressed: Promise<void>[] = [];
		const slow = [0, 1].map((index) => {
			let started = () => {};
			progressed[index] = new Promise((resolve) => {
				started = resolve;
			});
			return client
				.callTool({ name: 'fx__slow', arguments: { steps: 100_000, delayMs: 5 } }, undefined, {
					signal: controller.signal,
					onprogress: () => started(),
				})
				.catch(() => undefined);
		});
		await Promise.all(progressed);
		const third = await client.callTool({ name: 'fx__echo', arguments: { text: 'x' } });
		expect(third._meta).toEqual({ 'agentspace/code': 'CONFLICT' });
		expect(text(third)).toMatch(
			/too many calls in flight \(at most 2 at once\): fx__echo was not called/,
		);
		expect(queryToolCalls(db, { agentId: 'fx', tool: 'echo' })).toEqual([]);
		controller.abort();
		await Promise.all(slow);
		await expect
			.poll(() => queryToolCalls(db, { agentId: 'fx', status: 'cancelled' }).length)
			.toBe(2);
		// Once calls finished, calls go through again.
		expect(text(await client.callTool({ name: 'fx__echo', arguments: { text: 'y' } }))).toBe('y');
	});

	it('names a tool it had to shorten with its target in the description, and calls it by that name', async () => {
		await runAgent('fx.dot');
		const { client } = await connectClient();
		const { tools } = await client.listTools();
		const echo = tools.find((tool) => tool.description?.includes('fx.dot/echo'));
		expect(echo?.name).toMatch(/^_[0-9a-f]{10}_fx-dot__echo$/);
		expect(echo?.description).toBe(
			'[AgentSpace: fx.dot/echo, name shortened] Echoes its text back',
		);
		expect(text(await client.callTool({ name: echo?.name ?? '', arguments: { text: 'ok' } }))).toBe(
			'ok',
		);
	});

	it('keeps one client’s trouble from another: garbage, a flood and a vanished client', async () => {
		await runAgent('fx');
		const good = await connectClient({}, 'good');
		const gone = await connectClient({}, 'gone');
		// A call in flight when its client vanishes is cancelled at the agent.
		const controller = new AbortController();
		let started = () => {};
		const progressed = new Promise<void>((resolve) => {
			started = resolve;
		});
		void gone.client
			.callTool({ name: 'fx__slow', arguments: { steps: 100_000, delayMs: 5 } }, undefined, {
				signal: controller.signal,
				onprogress: () => started(),
			})
			.catch(() => undefined);
		await progressed;
		gone.socket.destroy();
		await gone.gateway.closed;
		await agents[0]?.waitForStderr(/slow cancelled/);
		// A client writing garbage without end, then a line over the message limit, is cut off.
		const [serverEnd, rawEnd] = await socketPair();
		const bad = await serveGateway({
			transport: gatewayStreamTransport(serverEnd, { log: (line) => logged.push(line) }),
			catalog,
			router,
			callerOf: () => ({ type: 'mcp-client', id: 'bad' }),
		});
		gateways.push(bad);
		rawEnd.on('error', () => {});
		rawEnd.write('not json\n'.repeat(50));
		rawEnd.write('x'.repeat(5 * 1024 * 1024));
		await bad.closed;
		expect(logged.join('\n')).toMatch(/message over \d+ bytes/);
		// The good client never noticed.
		expect(
			text(await good.client.callTool({ name: 'fx__echo', arguments: { text: 'still here' } })),
		).toBe('still here');
	});

	it('cuts off a client that leaves its answers unread, and only it', async () => {
		await runAgent('fx');
		const good = await connectClient({}, 'good');
		const [serverEnd, rawEnd] = await socketPair();
		const lazy = await serveGateway({
			transport: gatewayStreamTransport(serverEnd, {
				log: (line) => logged.push(line),
				maxWriteBufferBytes: 64 * 1024,
			}),
			catalog,
			router,
			callerOf: () => ({ type: 'mcp-client', id: 'lazy' }),
		});
		gateways.push(lazy);
		rawEnd.on('error', () => {});
		// It never reads: its answers fill the socket, then the gateway's buffer.
		rawEnd.pause();
		const initialize = {
			jsonrpc: '2.0',
			id: 0,
			method: 'initialize',
			params: {
				protocolVersion: '2025-06-18',
				capabilities: {},
				clientInfo: { name: 'lazy', version: '1' },
			},
		};
		const lines = [
			JSON.stringify(initialize),
			JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
		];
		for (let id = 1; id <= 2000; id++)
			lines.push(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' }));
		rawEnd.write(`${lines.join('\n')}\n`);
		await lazy.closed;
		expect(logged.join('\n')).toMatch(/left over 65536 bytes of answers unread/);
		expect(
			text(await good.client.callTool({ name: 'fx__echo', arguments: { text: 'fine' } })),
		).toBe('fine');
	});

	it('answers at most MAX_GATEWAY_LISTS_PER_SECOND listings a second to one client', async () => {
		await runAgent('fx');
		const greedy = await connectClient({}, 'greedy');
		const other = await connectClient({}, 'other');
		const answers = await Promise.allSettled(
			Array.from({ length: 100 }, () => greedy.client.listTools()),
		);
		const refused = answers.filter((answer) => answer.status === 'rejected');
		// 100 at once cannot spread over five one-second windows: some are refused.
		expect(refused.length).toBeGreaterThanOrEqual(100 - 4 * MAX_GATEWAY_LISTS_PER_SECOND);
		expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(
			/tools\/list asked more than 20 times a second/,
		);
		// Another client's listings are its own.
		expect((await other.client.listTools()).tools.length).toBe(5);
	});

	it('reports the package’s version', () => {
		const pkg = JSON.parse(
			readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
		) as {
			version: string;
		};
		expect(GATEWAY_VERSION).toBe(pkg.version);
	});
});
