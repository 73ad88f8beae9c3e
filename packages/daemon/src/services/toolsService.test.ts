// The tools service in a real daemon: the fixture MCP agent (@agentspace/testing)
// installed, enabled and run by the daemon's supervisor, its tools recorded and
// called over the daemon's socket — progress lines in order, and a call
// cancelled at the agent when the client closes its connection.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { runStatus } from '@agentspace/agents';
import { defaultConfig, saveConfig } from '@agentspace/core';
import { getAuditEvents } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import {
	listTools,
	MAX_TOOL_CALL_TIMEOUT_MS,
	queryToolCalls,
	recordToolCall,
} from '@agentspace/tools';
import { describe, expect, it } from 'vitest';
import { callDaemon, type DaemonConnection, streamDaemon } from '../daemonClient.js';
import { daemonServices } from './daemonServices.js';
import { actor, runAgent, serviceHarness } from './serviceHarness.testing.js';
import { MAX_TOOLS_CALL_TIMEOUT_MS } from './toolsMethods.js';
import type { ToolsServiceOptions } from './toolsService.js';

const h = serviceHarness('daemon-tools');
const { token, logLines, until } = h;

/** A daemon running the fixture MCP agent (unsandboxed; the CLI's test runs it sandboxed), all its tools allowed. */
async function startWithFixture(args: readonly string[] = [], tools: ToolsServiceOptions = {}) {
	await h.installMcpFixture(args);
	const connection = await h.startDaemon(daemonServices({ env: process.env, tools }));
	await runAgent(connection, 'mcp-fixture');
	return connection;
}

/** Waits until the daemon's status shows the fixture connected. */
async function waitConnected(connection: DaemonConnection) {
	for (let i = 0; i < 400; i++) {
		const status = await callDaemon(connection, 'status', {});
		const agent = status.mcpAgents.find((a) => a.id === 'mcp-fixture');
		if (agent !== undefined) return agent;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`the fixture never connected; daemon log:\n${logLines.join('\n')}`);
}

function runLog(): string {
	const dir = join(h.temp.home, 'logs', 'mcp-fixture');
	return readdirSync(dir)
		.filter((name) => name.endsWith('.log') && name !== 'build.log')
		.map((name) => readFileSync(join(dir, name), 'utf8'))
		.join('');
}

describe('the tools service', () => {
	it('connects to an MCP run, records its tools, routes calls, and clears the tools when the run stops', async () => {
		const connection = await startWithFixture();
		const agent = await waitConnected(connection);
		expect(agent).toMatchObject({
			server: { name: 'agentspace-mcp-fixture' },
			health: 'healthy',
		});
		expect(agent.tools).toBeGreaterThanOrEqual(4);
		// The handshake is in the event log, not only in the daemon's memory.
		const handshakes = queryEvents(h.temp.db, { types: ['agent_mcp_connected'] });
		expect(handshakes).toHaveLength(1);
		expect(handshakes[0]).toMatchObject({
			agent_id: 'mcp-fixture',
			run_id: agent.runId,
			protocol_version: agent.protocolVersion,
			server: { name: 'agentspace-mcp-fixture' },
			capabilities: { tools: { listChanged: true } },
		});
		expect(agent.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		const names = listTools(h.temp.db, { securityMode: 'limited-control' }).map((t) => t.name);
		expect(names).toEqual(expect.arrayContaining(['add', 'echo', 'fail', 'slow']));

		const sum = await callDaemon(connection, 'toolsCall', {
			target: 'mcp-fixture/add',
			args: { a: 2, b: 40 },
			caller: actor,
		});
		expect(sum).toMatchObject({ isError: false, structuredContent: { sum: 42 } });
		expect(queryToolCalls(h.temp.db, { limit: 10 })[0]).toMatchObject({
			status: 'ok',
			tool: 'add',
			caller: { type: 'user', id: 'tester' },
		});
		// A refusal crosses the socket with its code and issues.
		await expect(
			callDaemon(connection, 'toolsCall', {
				target: 'mcp-fixture/add',
				args: { a: 'two' },
				caller: actor,
			}),
		).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

		await callDaemon(connection, 'stop', { id: 'mcp-fixture', graceMs: 2000, actor });
		await until(
			() =>
				listTools(h.temp.db, { securityMode: 'full-control' }).length === 0 ? true : undefined,
			'the tools to be cleared',
		);
		const status = await callDaemon(connection, 'status', {});
		expect(status.mcpAgents).toEqual([]);
	});

	it('streams a call’s progress lines in order before its answer', async () => {
		const connection = await startWithFixture();
		await waitConnected(connection);
		const progress: unknown[] = [];
		const result = await streamDaemon(
			connection,
			'toolsCall',
			{ target: 'mcp-fixture/slow', args: { steps: 4, delayMs: 10 }, caller: actor },
			{ onProgress: (p) => progress.push(p) },
		);
		expect(result.content).toEqual([{ type: 'text', text: 'done after 4 steps' }]);
		expect(progress).toEqual(
			[1, 2, 3, 4].map((step) => ({ progress: step, total: 4, message: `step ${step}` })),
		);
		// Other methods answer with one line, as always: a plain call of a streaming method still works.
		const plain = await callDaemon(connection, 'toolsCall', {
			target: 'mcp-fixture/echo',
			args: { text: 'hi' },
			caller: actor,
		});
		expect(plain.content).toEqual([{ type: 'text', text: 'hi' }]);
	});

	it('cancels the call at the agent when the client closes its connection mid-call', async () => {
		const connection = await startWithFixture();
		await waitConnected(connection);
		const socket = createConnection(connection.socket);
		socket.setEncoding('utf8');
		const firstProgress = new Promise<string>((resolve) => {
			socket.once('data', (chunk: string) => resolve(chunk));
		});
		socket.write(
			`${JSON.stringify({
				token,
				method: 'toolsCall',
				params: {
					target: 'mcp-fixture/slow',
					args: { steps: 1000, delayMs: 20 },
					caller: actor,
				},
			})}\n`,
		);
		expect(await firstProgress).toMatch(/^\{"progress":\{"progress":1,/);
		socket.destroy();
		await until(
			() => (/slow cancelled/.test(runLog()) ? true : undefined),
			'the agent to see the cancellation',
		);
		await until(
			() => (queryToolCalls(h.temp.db, { limit: 1 })[0]?.status === 'cancelled' ? true : undefined),
			'the call to be recorded cancelled',
		);
		// The agent and the daemon carry on.
		const echoed = await callDaemon(connection, 'toolsCall', {
			target: 'mcp-fixture/echo',
			args: { text: 'still here' },
			caller: actor,
		});
		expect(echoed.content).toEqual([{ type: 'text', text: 'still here' }]);
	});

	it('fails a run that does not complete the handshake in time, with the reason; the daemon carries on', async () => {
		const connection = await startWithFixture(['--never-initialize'], { handshakeTimeoutMs: 300 });
		const ended = await until(() => {
			const status = runStatus(h.temp.db).find((agent) => agent.id === 'mcp-fixture');
			return status?.reason === null || status === undefined ? undefined : status;
		}, 'the run to be failed');
		expect(ended.reason).toMatch(/mcp handshake failed: timed out after 0.3 s/);
		expect((await callDaemon(connection, 'status', {})).mcpAgents).toEqual([]);
	});

	it('records a list_changed: the changed tool is held back as drifted and refused', async () => {
		const connection = await startWithFixture(['--change-tools']);
		await waitConnected(connection);
		await callDaemon(connection, 'toolsCall', {
			target: 'mcp-fixture/echo',
			args: { text: 'first' },
			caller: actor,
		});
		await until(() => {
			const echo = listTools(h.temp.db, { securityMode: 'full-control' }).find(
				(t) => t.name === 'echo',
			);
			return echo?.state === 'drifted' ? echo : undefined;
		}, 'echo to drift');
		await expect(
			callDaemon(connection, 'toolsCall', {
				target: 'mcp-fixture/echo',
				args: { text: 'second' },
				caller: actor,
			}),
		).rejects.toMatchObject({ code: 'PERMISSION_DRIFT' });
	});

	it('fails an agent that stops answering pings as unhealthy, and clears its tools', async () => {
		const connection = await startWithFixture(['--ignore-pings'], { pingIntervalMs: 100 });
		await waitConnected(connection);
		const ended = await until(() => {
			const status = runStatus(h.temp.db).find((agent) => agent.id === 'mcp-fixture');
			return status?.reason === null || status === undefined ? undefined : status;
		}, 'the run to be failed unhealthy');
		expect(ended.reason).toMatch(/unhealthy: 3 pings unanswered/);
		await until(
			() =>
				listTools(h.temp.db, { securityMode: 'full-control' }).length === 0 ? true : undefined,
			'the tools to be cleared',
		);
		expect((await callDaemon(connection, 'status', {})).mcpAgents).toEqual([]);
	});

	it('fails a run whose agent breaks the protocol while running (endless garbage), with the reason', async () => {
		const connection = await startWithFixture(['--garbage-forever']);
		const ended = await until(() => {
			const status = runStatus(h.temp.db).find((agent) => agent.id === 'mcp-fixture');
			return status?.reason === null || status === undefined ? undefined : status;
		}, 'the run to be failed');
		expect(ended.reason).toMatch(/garbage|unparsable|protocol/i);
		// The daemon carries on.
		expect((await callDaemon(connection, 'status', {})).pid).toBe(process.pid);
	});

	it('audits the denials its router still folds when the daemon stops (ToolRouter.close)', async () => {
		const connection = await h.startDaemon(daemonServices({ env: process.env }));
		for (let i = 0; i < 3; i++)
			await expect(
				callDaemon(connection, 'toolsCall', { target: 'ghost/echo', args: {}, caller: actor }),
			).rejects.toMatchObject({ code: 'NOT_FOUND' });
		const denials = () => getAuditEvents(h.temp.db, { type: 'security.denied', order: 'asc' });
		// The first denial is an entry; the other two are folded for the 10 s window.
		expect(await denials()).toHaveLength(1);
		await h.closeDaemon();
		const after = await denials();
		expect(after).toHaveLength(2);
		expect(after[1]?.metadata).toMatchObject({ agentId: 'ghost', tool: 'echo', foldedBefore: 2 });
	});

	it('loads its MCP client and router on the first MCP channel, not when the daemon starts', async () => {
		let loads = 0;
		const connection = await startWithFixture([], {
			loadRuntime: () => {
				loads += 1;
				return import('./toolsRuntime.js');
			},
		});
		await waitConnected(connection);
		expect(loads).toBe(1);
		const sum = await callDaemon(connection, 'toolsCall', {
			target: 'mcp-fixture/add',
			args: { a: 1, b: 2 },
			caller: actor,
		});
		expect(sum).toMatchObject({ structuredContent: { sum: 3 } });
		expect(loads).toBe(1);
	});

	it('loads nothing for a daemon without MCP agents until a call; a failed load is retried', async () => {
		let loads = 0;
		const connection = await h.startDaemon(
			daemonServices({
				env: process.env,
				tools: {
					loadRuntime: () => {
						loads += 1;
						if (loads === 1)
							return Promise.reject(new Error("Cannot find module 'toolsRuntime.js'"));
						return import('./toolsRuntime.js');
					},
				},
			}),
		);
		expect((await callDaemon(connection, 'status', {})).mcpAgents).toEqual([]);
		expect(loads).toBe(0);
		const call = { target: 'nobody/echo', args: {}, caller: actor };
		await expect(callDaemon(connection, 'toolsCall', call)).rejects.toMatchObject({
			code: 'COMMAND_FAILED',
			message: expect.stringMatching(/cannot load its MCP client/),
		});
		// Loaded now: the router refuses the unknown agent, and records the refusal.
		await expect(callDaemon(connection, 'toolsCall', call)).rejects.toMatchObject({
			code: 'NOT_FOUND',
		});
		expect(loads).toBe(2);
		await expect(callDaemon(connection, 'toolsCall', call)).rejects.toMatchObject({
			code: 'NOT_FOUND',
		});
		expect(loads).toBe(2);
	});

	it('bounds a call’s timeout as the router does (the daemon keeps a copy of its maximum)', () => {
		expect(MAX_TOOLS_CALL_TIMEOUT_MS).toBe(MAX_TOOL_CALL_TIMEOUT_MS);
	});
});

describe('the tools settings of config.json', () => {
	const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
	const oldCall = (at: string) =>
		recordToolCall(h.temp.db, {
			at,
			caller: { type: 'user', id: 'tester' },
			agentId: 'somebody',
			tool: 'echo',
			args: {},
			status: 'ok',
			durationMs: 1,
		});
	const audit = () => getAuditEvents(h.temp.db, { order: 'asc' });
	const prunes = async () =>
		(await audit()).filter((entry) => entry.eventType === 'tool_calls.pruned');

	async function start(tools: ToolsServiceOptions = {}) {
		return h.startDaemon(daemonServices({ env: process.env, tools }));
	}

	it('prunes the call log to tools.callLogRetentionDays at start (audited with the count), then on its timer', async () => {
		saveConfig(
			{ home: h.temp.home },
			{
				...defaultConfig(),
				tools: { callTimeoutMs: 60_000, callLogRetentionDays: 5, pingIntervalMs: 15_000 },
			},
		);
		for (const days of [40, 10, 6, 1]) oldCall(daysAgo(days));
		const before = (await audit()).map((entry) => entry.id);
		await start({ pruneIntervalMs: 50 });
		expect(queryToolCalls(h.temp.db, {})).toHaveLength(1);
		expect((await prunes())[0]).toMatchObject({
			actor: { type: 'system', id: 'agentspace-daemon' },
			metadata: { deleted: 3, olderThanDays: 5 },
		});
		// The audit log is never pruned: every entry written before is still there.
		expect((await audit()).map((entry) => entry.id)).toEqual(expect.arrayContaining(before));
		// The timer prunes again, with the retention config.json says then.
		oldCall(daysAgo(7));
		await until(
			() => (queryToolCalls(h.temp.db, {}).length === 1 ? true : undefined),
			'the timer to prune the call log',
		);
		expect(logLines.join('\n')).toMatch(/tool call log: pruned 3 calls .*\(5 days kept\)/);
	});

	it('keeps working with a config.json written before the tools section: 30 days kept', async () => {
		writeFileSync(
			join(h.temp.home, 'config.json'),
			JSON.stringify({ createdAt: '2026-01-01T00:00:00.000Z', securityMode: 'full-control' }),
		);
		for (const days of [31, 29]) oldCall(daysAgo(days));
		await start();
		expect(queryToolCalls(h.temp.db, {})).toHaveLength(1);
		expect((await prunes())[0]).toMatchObject({ metadata: { deleted: 1, olderThanDays: 30 } });
	});

	it('pings each MCP agent every tools.pingIntervalMs: one that ignores pings is failed unhealthy', async () => {
		// 1 s: three missed pings take 3.9 s from the connection; at the default 15 s they would take 55 s.
		saveConfig(
			{ home: h.temp.home },
			{
				...defaultConfig(),
				tools: { callTimeoutMs: 60_000, callLogRetentionDays: 30, pingIntervalMs: 1000 },
			},
		);
		const connection = await startWithFixture(['--ignore-pings']);
		await waitConnected(connection);
		let ended: ReturnType<typeof runStatus>[number] | undefined;
		for (let i = 0; i < 120 && ended === undefined; i++) {
			await new Promise((resolve) => setTimeout(resolve, 250));
			const status = runStatus(h.temp.db).find((agent) => agent.id === 'mcp-fixture');
			if (status?.reason !== null && status !== undefined) ended = status;
		}
		expect(ended?.reason).toMatch(/unhealthy: 3 pings unanswered/);
	});

	it('gives the router tools.callTimeoutMs as the default timeout of a call', async () => {
		saveConfig(
			{ home: h.temp.home },
			{
				...defaultConfig(),
				tools: { callTimeoutMs: 1000, callLogRetentionDays: 30, pingIntervalMs: 15_000 },
			},
		);
		const connection = await startWithFixture();
		await waitConnected(connection);
		await expect(
			callDaemon(connection, 'toolsCall', {
				target: 'mcp-fixture/slow',
				args: { steps: 200, delayMs: 50 },
				caller: actor,
			}),
		).rejects.toMatchObject({ message: expect.stringMatching(/timed out after 1000 ms/) });
		expect(queryToolCalls(h.temp.db, { limit: 1 })[0]).toMatchObject({
			tool: 'slow',
			status: 'timeout',
		});
	});
});
