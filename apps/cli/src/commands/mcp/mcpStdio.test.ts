// `agentspace mcp` end to end: the official MCP SDK Client, over its own
// StdioClientTransport, spawning the built CLI — against a real daemon running
// two published MCP servers nobody here wrote (@modelcontextprotocol/
// server-everything and server-filesystem) as sandboxed agents.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxReadiness } from '@agentspace/agents';
import {
	createNpmMcpAgentRepo,
	createTempHome,
	type GitRepo,
	sandboxTestGate,
	type TempHome,
} from '@agentspace/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
	type CallToolResult,
	type JSONRPCMessage,
	type Progress,
	ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, runCliJson, spawnCli } from '../../testCli.js';
import { publishedServerHome } from '../tools/publishedServers.testing.js';

// Needs the OS sandbox: skipped where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

let temp: TempHome;
const repos: GitRepo[] = [];
let shared: string;
const clients: Client[] = [];

const { daemonLog, until, cli, listedTargets } = publishedServerHome(() => temp.home);

interface LoggedCall {
	caller: { type: string; id: string };
	agentId: string;
	tool: string;
	status: string;
	errorCode: string | null;
}

function callsOf(tool: string): LoggedCall[] {
	return runCliJson<{ calls: LoggedCall[] }>(temp.home, ['tools', 'log', '--tool', tool]).json
		.calls;
}

/** An SDK client connected to `agentspace mcp` of the test's home, as an MCP client application starts it. */
async function connectClient(
	name = 'mcp-stdio-test',
): Promise<{ client: Client; stderr: () => string; received: JSONRPCMessage[] }> {
	const transport = new StdioClientTransport({
		command: process.execPath,
		args: [CLI_BIN, '--home', temp.home, 'mcp'],
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
		stderr: 'pipe',
	});
	let stderr = '';
	transport.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString('utf8');
	});
	const client = new Client({ name, version: '1.2.3' });
	await client.connect(transport);
	// Every message as it arrived on stdout, before the SDK's own handling.
	const received: JSONRPCMessage[] = [];
	const deliver = transport.onmessage;
	transport.onmessage = (message) => {
		received.push(message);
		deliver?.(message);
	};
	clients.push(client);
	return { client, stderr: () => stderr, received };
}

const textOf = (result: CallToolResult | unknown) =>
	((result as CallToolResult).content ?? [])
		.map((item) => (item.type === 'text' ? item.text : `[${item.type}]`))
		.join('\n');

describe.skipIf(!sandbox.run)(
	'agentspace mcp: the SDK client against server-everything and server-filesystem, sandboxed',
	() => {
		beforeAll(async () => {
			temp = createTempHome('cli-mcp-stdio');
			shared = mkdtempSync(join(tmpdir(), 'agentspace-mcp-fs-'));
			const everything = createNpmMcpAgentRepo('server-everything');
			const filesystem = createNpmMcpAgentRepo('server-filesystem', {
				args: [shared],
				permissions: [`filesystem:write:${shared}`],
			});
			repos.push(everything, filesystem);
			for (const [repo, id] of [
				[everything, 'everything'],
				[filesystem, 'filesystem'],
			] as const) {
				cli(['agents', 'install', repo.url]);
				cli(['agents', 'build', id, '--yes']);
				cli(['agents', 'enable', id, '--all']);
			}
			// Every tool of server-everything callable; server-filesystem keeps the
			// limited-control default (its read-only tools only).
			cli(['tools', 'allow', 'everything/*']);
			cli(['agents', 'run', 'everything']);
			cli(['agents', 'run', 'filesystem']);
			await until(
				() =>
					[
						'everything/get-sum',
						'everything/simulate-research-query',
						'filesystem/read_text_file',
					].every((target) => listedTargets().includes(target)),
				'both agents to list their tools',
				60_000,
			);
		}, 180_000);

		afterEach(async () => {
			for (const client of clients.splice(0)) await client.close();
		});

		afterAll(() => {
			if (temp === undefined) return;
			runCli(temp.home, ['daemon', 'stop', '--timeout', '2']);
			temp.cleanup();
			for (const repo of repos) repo.cleanup();
			rmSync(shared, { recursive: true, force: true });
		});

		it("initialize and tools/list: one server, every running agent's callable tools as <agent>__<tool>", async () => {
			const { client } = await connectClient();
			expect(client.getServerVersion()).toMatchObject({ name: 'agentspace' });
			expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
			const names = (await client.listTools()).tools.map((tool) => tool.name);
			expect(names).toEqual(
				expect.arrayContaining([
					'everything__echo',
					'everything__get-sum',
					'everything__trigger-long-running-operation',
					'filesystem__read_text_file',
					'filesystem__list_allowed_directories',
				]),
			);
			// AgentSpace's own tools, in the same list.
			expect(names).toEqual(
				expect.arrayContaining(['agentspace__list_agents', 'fleet__send_message', 'fleet__inbox']),
			);
			// Denied by the limited-control default (not read-only): not offered.
			expect(names).not.toContain('filesystem__write_file');
			for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
			const sum = (await client.listTools()).tools.find(
				(tool) => tool.name === 'everything__get-sum',
			);
			expect(sum?.description).toMatch(/Returns the sum of two numbers/);
			expect(sum?.inputSchema).toMatchObject({ type: 'object', properties: { a: {}, b: {} } });
		});

		it('tools/call: answers from both agents, recorded in the call log with the MCP client as caller', async () => {
			const { client } = await connectClient('call-test-client');
			const sum = await client.callTool({
				name: 'everything__get-sum',
				arguments: { a: 2, b: 40 },
			});
			expect(sum.isError ?? false).toBe(false);
			expect(textOf(sum)).toBe('The sum of 2 and 40 is 42.');
			const dirs = await client.callTool({
				name: 'filesystem__list_allowed_directories',
				arguments: {},
			});
			expect(textOf(dirs)).toContain(shared);
			expect(callsOf('get-sum')[0]).toMatchObject({
				caller: { type: 'mcp-client', id: 'call-test-client' },
				agentId: 'everything',
				status: 'ok',
			});
			// A built-in tool, through the same session: both agents, running.
			const agents = await client.callTool({ name: 'agentspace__list_agents', arguments: {} });
			expect(agents.isError ?? false).toBe(false);
			expect(
				(agents.structuredContent as { agents: { id: string; running: boolean }[] }).agents,
			).toEqual(
				expect.arrayContaining([
					expect.objectContaining({ id: 'everything', running: true }),
					expect.objectContaining({ id: 'filesystem', running: true }),
				]),
			);
			expect(callsOf('list_allowed_directories')[0]).toMatchObject({
				caller: { type: 'mcp-client', id: 'call-test-client' },
				agentId: 'filesystem',
				status: 'ok',
			});
		});

		it("progress: the agent's notifications/progress reach the client in order, before the result", async () => {
			const { client, received } = await connectClient();
			const progress: Progress[] = [];
			const result = await client.callTool(
				{
					name: 'everything__trigger-long-running-operation',
					arguments: { duration: 1, steps: 5 },
				},
				undefined,
				{ onprogress: (p) => progress.push(p) },
			);
			expect(textOf(result)).toMatch(/Long running operation completed/);
			// On stdout: all five, in order, then the result.
			const arrived = received
				.filter((message) => 'method' in message || 'result' in message)
				.map((message) =>
					'method' in message
						? `${message.method} ${(message.params as Progress).progress}/${(message.params as Progress).total}`
						: 'result',
				);
			expect(arrived.slice(-6)).toEqual([
				...[1, 2, 3, 4, 5].map((step) => `notifications/progress ${step}/5`),
				'result',
			]);
			// The SDK's client (1.x) drops a progress notification it reads in the same
			// chunk as the result (it settles the response first: modelcontextprotocol/
			// typescript-sdk#2580), so the callback may miss the last one.
			expect(progress.map((p) => [p.progress, p.total])).toEqual(
				[
					[1, 5],
					[2, 5],
					[3, 5],
					[4, 5],
					[5, 5],
				].slice(0, progress.length),
			);
			expect(progress.length).toBeGreaterThanOrEqual(4);
		});

		it("cancellation: the client's notifications/cancelled cancels the call at the agent", async () => {
			const { client } = await connectClient();
			const before = daemonLog().length;
			const abort = new AbortController();
			let steps = 0;
			const call = client.callTool(
				{
					name: 'everything__trigger-long-running-operation',
					arguments: { duration: 3, steps: 4 },
				},
				undefined,
				{
					signal: abort.signal,
					onprogress: () => {
						steps += 1;
						if (steps === 1) abort.abort('the user changed their mind');
					},
				},
			);
			await expect(call).rejects.toThrow(/changed their mind|abort/i);
			await until(
				() => callsOf('trigger-long-running-operation')[0]?.status === 'cancelled',
				'the call to be logged cancelled',
			);
			// The operation runs on to its last step (it ignores the abort); had the
			// cancellation not reached it, its answer would arrive for a request the
			// session no longer knows, logged as a response to an unknown message ID.
			await until(
				() => /"progress":4,"total":4/.test(daemonLog().slice(before)),
				'the last progress of the operation',
			);
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(daemonLog().slice(before)).not.toMatch(/unknown message ID/i);
			// The session goes on.
			expect(
				textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'on' } })),
			).toBe('Echo: on');
		});

		it('a client that goes away mid-call: the session ends and the call is cancelled at the agent', async () => {
			const { client } = await connectClient('leaving-client');
			let started = false;
			const call = client
				.callTool(
					{
						name: 'everything__trigger-long-running-operation',
						arguments: { duration: 3, steps: 4 },
					},
					undefined,
					{
						onprogress: () => {
							started = true;
						},
					},
				)
				.catch((error: unknown) => error);
			await until(() => started, 'the first progress');
			// What an MCP application does on quit: close the server's stdin (then wait for it to exit).
			clients.splice(clients.indexOf(client), 1);
			await client.close();
			expect(await call).toBeInstanceOf(Error);
			await until(
				() =>
					callsOf('trigger-long-running-operation').find((c) => c.caller.id === 'leaving-client')
						?.status === 'cancelled',
				'the call to be logged cancelled',
			);
			expect(
				runCliJson<{ mcpSessions: number }>(temp.home, ['daemon', 'status']).json.mcpSessions,
			).toBe(0);
		});

		it("errors: bad arguments and an agent's failure are isError results with codes; an unknown tool is an MCP error", async () => {
			const { client } = await connectClient();
			const invalid = await client.callTool({
				name: 'everything__get-sum',
				arguments: { a: 'two' },
			});
			expect(invalid.isError).toBe(true);
			expect(textOf(invalid)).toMatch(
				/^error\[VALIDATION_FAILED\]: invalid arguments for everything\/get-sum/,
			);
			expect(textOf(invalid)).toMatch(/\nhint: /);
			expect(invalid._meta).toMatchObject({ 'agentspace/code': 'VALIDATION_FAILED' });
			expect(callsOf('get-sum')[0]).toMatchObject({
				status: 'invalid',
				errorCode: 'VALIDATION_FAILED',
			});
			// The server's own error (no such file), passed through as the tool's error.
			const missing = await client.callTool({
				name: 'filesystem__read_text_file',
				arguments: { path: join(shared, 'no-such-file.txt') },
			});
			expect(missing.isError).toBe(true);
			expect(textOf(missing)).toMatch(/ENOENT|no such file/i);
			await expect(client.callTool({ name: 'nobody__nothing', arguments: {} })).rejects.toThrow(
				/unknown tool/,
			);
			// A denied tool is not offered, and not callable either.
			await expect(
				client.callTool({
					name: 'filesystem__write_file',
					arguments: { path: join(shared, 'x.txt'), content: 'x' },
				}),
			).rejects.toThrow(/unknown tool/);
			expect(existsSync(join(shared, 'x.txt'))).toBe(false);
		});

		it('notifications/tools/list_changed when an agent stops and starts again', async () => {
			const { client } = await connectClient();
			let changes = 0;
			client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
				changes += 1;
			});
			const names = async () => (await client.listTools()).tools.map((tool) => tool.name);
			expect(await names()).toContain('filesystem__read_text_file');
			// The list as the client sees it once it has changed (the agent's session may end just after `agents stop` returns).
			const listedOnce = async (done: (listed: string[]) => boolean, what: string) => {
				const deadline = Date.now() + 30_000;
				for (;;) {
					const listed = await names();
					if (done(listed)) return listed;
					if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${listed}`);
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			};
			cli(['agents', 'stop', 'filesystem']);
			const afterStop = await listedOnce(
				(listed) => !listed.some((name) => name.startsWith('filesystem__')),
				'its tools to go',
			);
			// The client was told before its listing showed the change.
			expect(changes).toBeGreaterThanOrEqual(1);
			expect(afterStop).toContain('everything__get-sum');
			const seen = changes;
			cli(['agents', 'run', 'filesystem']);
			await until(() => changes > seen, 'list_changed after the agent started', 60_000);
			await until(() => listedTargets().includes('filesystem/read_text_file'), 'its tools');
			expect(await names()).toContain('filesystem__read_text_file');
			expect(
				textOf(
					await client.callTool({ name: 'filesystem__list_allowed_directories', arguments: {} }),
				),
			).toContain(shared);
		}, 90_000);
	},
);

/** `agentspace mcp` spawned as a client would, its stdin and stdout raw. */
const spawnMcp = (home: string) => spawnCli(home, ['mcp'], {}, { stdin: 'pipe' });

const INITIALIZE = `${JSON.stringify({
	jsonrpc: '2.0',
	id: 1,
	method: 'initialize',
	params: {
		protocolVersion: '2025-06-18',
		capabilities: {},
		clientInfo: { name: 'raw', version: '0' },
	},
})}\n`;

describe('agentspace mcp: the relay', () => {
	let home: TempHome;
	afterEach(() => {
		runCli(home.home, ['daemon', 'stop', '--timeout', '2']);
		home.cleanup();
	});

	it('starts the daemon when needed, writes only protocol on stdout, and exits 0 when the client closes stdin', async () => {
		home = createTempHome('cli-mcp-relay');
		const mcp = spawnMcp(home.home);
		mcp.child.stdin?.write(INITIALIZE);
		const deadline = Date.now() + 30_000;
		while (!mcp.stdout().includes('\n') && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 20));
		mcp.child.stdin?.end();
		expect((await mcp.exited).code).toBe(0);
		const lines = mcp.stdout().split('\n').filter(Boolean);
		expect(lines).toHaveLength(1);
		expect(JSON.parse(lines[0] as string)).toMatchObject({
			jsonrpc: '2.0',
			id: 1,
			result: {
				serverInfo: { name: 'agentspace' },
				capabilities: { tools: { listChanged: true } },
			},
		});
		// The note that it started the daemon went to stderr.
		expect(mcp.stderr()).toMatch(/started the AgentSpace daemon/);
		expect(
			runCliJson<{ mcpSessions: number }>(home.home, ['daemon', 'status']).json.mcpSessions,
		).toBe(0);
	});

	it('says on stderr, never stdout, that the daemon went away, and exits with CONFLICT (4)', async () => {
		home = createTempHome('cli-mcp-relay-gone');
		const mcp = spawnMcp(home.home);
		mcp.child.stdin?.write(INITIALIZE);
		const deadline = Date.now() + 30_000;
		while (!mcp.stdout().includes('\n') && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect(
			runCliJson<{ mcpSessions: number }>(home.home, ['daemon', 'status']).json.mcpSessions,
		).toBe(1);
		expect(runCli(home.home, ['daemon', 'stop', '--timeout', '2']).status).toBe(0);
		expect((await mcp.exited).code).toBe(4);
		expect(mcp.stderr()).toMatch(/error\[CONFLICT\]: the AgentSpace daemon ended the MCP session/);
		for (const line of mcp.stdout().split('\n').filter(Boolean))
			expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
	});
});
