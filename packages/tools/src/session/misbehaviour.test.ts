// Each way the fixture MCP agent can misbehave ends in a clear, bounded
// outcome: the handshake fails with a reason, the session ends with a reason,
// or the bad part is dropped with a logged problem while the rest works.
import { AgentSpaceError, canonicalJson } from '@agentspace/core';
import { type McpFixtureAgentProcess, startMcpFixtureAgent } from '@agentspace/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
	MAX_MESSAGE_BYTES,
	MAX_TOOL_DEFINITION_BYTES,
	MAX_TOOL_LIST_BYTES,
	MIN_RELIST_INTERVAL_MS,
} from '../limits.js';
import { connectMcpAgent, type McpAgentSession } from './connectMcpAgent.js';

const agents: McpFixtureAgentProcess[] = [];
const sessions: McpAgentSession[] = [];

afterEach(async () => {
	for (const session of sessions.splice(0)) await session.close();
	for (const agent of agents.splice(0)) await agent.stop();
});

function start(args: string[]) {
	const agent = startMcpFixtureAgent(args);
	agents.push(agent);
	const log: string[] = [];
	const connect = async (handshakeTimeoutMs = 10_000) => {
		const session = await connectMcpAgent(agent.channel, {
			agentId: 'fixture',
			runId: 'run-1',
			handshakeTimeoutMs,
			log: (line) => log.push(line),
		});
		sessions.push(session);
		return session;
	};
	return { agent, log, connect };
}

async function handshakeError(promise: Promise<unknown>): Promise<AgentSpaceError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!(error instanceof AgentSpaceError))
		throw new Error(`expected an AgentSpaceError, got ${String(error)}`);
	return error;
}

describe('a misbehaving MCP agent', () => {
	it('never initializing: the handshake fails with a timeout reason', async () => {
		const { connect } = start(['--never-initialize']);
		const error = await handshakeError(connect(200));
		expect(error.code).toBe('COMMAND_FAILED');
		expect(error.message).toBe('mcp handshake failed: timed out after 0.2 s');
		expect(error.hint).toMatch(/within 0.2 s/);
	});

	it('exiting before the handshake: the handshake fails saying so', async () => {
		const { agent, connect } = start([]);
		await agent.stop();
		const error = await handshakeError(connect());
		expect(error.message).toBe('mcp handshake failed: the agent closed its output (it exited)');
	});

	it('a few garbage lines on stdout: logged (escaped) and dropped, the session works', async () => {
		const { connect, log } = start(['--garbage-stdout']);
		const session = await connect();
		await expect(
			session.callTool('add', { a: 1, b: 1 }, { timeoutMs: 10_000 }),
		).resolves.toMatchObject({
			structuredContent: { sum: 2 },
		});
		const garbage = log.filter((line) => line.includes('not a protocol message'));
		expect(garbage).toHaveLength(3);
		expect(garbage.join('\n')).toContain('\\u{1b}[31m');
		expect(garbage.join('\n')).toContain('\\u{202e}gnp.exe');
		// biome-ignore lint/suspicious/noControlCharactersInRegex: none may reach the log
		expect(log.join('')).not.toMatch(/[\u0000\u0007\u001b\u202e]/);
	});

	it('garbage without end: the session ends with a protocol error', async () => {
		const { connect, log } = start(['--garbage-forever']);
		const session = await connect();
		await expect(session.ended).resolves.toBe(
			'protocol error: more than 10 unparsable lines a second on stdout',
		);
		// Bounded: five lines of garbage logged, then counted.
		expect(log.filter((line) => line.includes('not a protocol message'))).toHaveLength(5);
		expect(log).toContain('mcp fixture: further garbage problems are counted, not logged');
	});

	it('a message over the limit: refused before it is buffered, the session ends with a protocol error', async () => {
		// 64 MiB in one line: buffered whole, it would show in the process's memory.
		const { connect } = start(['--huge-message', String(64 * 1024 * 1024)]);
		const session = await connect();
		const before = process.memoryUsage().arrayBuffers;
		const call = session.callTool('echo', { text: 'x' }, { timeoutMs: 60_000 });
		const reason = await session.ended;
		const grew = process.memoryUsage().arrayBuffers - before;
		expect(reason).toMatch(
			new RegExp(`^protocol error: message over ${MAX_MESSAGE_BYTES} bytes \\(at least \\d+\\)$`),
		);
		expect(grew).toBeLessThan(MAX_MESSAGE_BYTES + 4 * 1024 * 1024);
		await expect(call).rejects.toMatchObject({
			kind: 'session-ended',
			message: `fixture/echo: ${reason}`,
		});
	});

	it('a message over the limit during the handshake (a 10 MB schema): the handshake fails with the reason', async () => {
		const { connect } = start(['--huge-schema', String(10 * 1024 * 1024), '--page-size', '10']);
		const error = await handshakeError(connect());
		expect(error.message).toMatch(
			/^mcp handshake failed: protocol error: message over 4194304 bytes/,
		);
	});

	it('a flood of notifications: dropped over the allowance, and the session ends when it keeps up', async () => {
		const { connect, log } = start(['--flood-notifications']);
		const session = await connect();
		await expect(session.ended).resolves.toMatch(
			/^protocol error: flood of more than 1000 messages a second \(\d+ dropped\)$/,
		);
		expect(
			log.filter((line) => line.includes('over 1000 messages a second')).length,
		).toBeLessThanOrEqual(5);
	});

	it('answers to ids never asked: logged (bounded) and counted, never thrown; the session works', async () => {
		const { connect, log } = start(['--unknown-ids', '20']);
		const session = await connect();
		// The answers come right after initialize; a call after them shows they were all read.
		await session.callTool('echo', { text: 'still here' }, { timeoutMs: 10_000 });
		await session.ping(10_000);
		expect(log.filter((line) => line.includes('unknown message ID'))).toHaveLength(5);
		expect(log).toContain('mcp fixture: further unknown-id problems are counted, not logged');
		await expect(
			session.callTool('add', { a: 2, b: 2 }, { timeoutMs: 10_000 }),
		).resolves.toMatchObject({
			structuredContent: { sum: 4 },
		});
	});

	it('a message nested 100,000 deep: dropped as not a protocol message, the session works', async () => {
		const { connect, log } = start(['--deep-answer']);
		const session = await connect();
		await session.callTool('echo', { text: 'after' }, { timeoutMs: 10_000 });
		// Refused before it is parsed: deep nesting would overflow recursive code
		// downstream (the SDK's own error message for an unknown id did).
		expect(log).toEqual([
			expect.stringMatching(
				/^mcp fixture: dropped a line that is not a protocol message \(nested deeper than 100 levels\): \{"jsonrpc":"2.0","id":990000,"result":\{"a":/,
			),
		]);
	});

	it('list_changed without end: re-listed at most once a second', async () => {
		const { connect } = start(['--list-changed-forever']);
		const session = await connect();
		const listedAt: number[] = [];
		await new Promise<void>((resolve) =>
			session.onToolsChanged(() => {
				if (listedAt.push(performance.now()) === 3) resolve();
			}),
		);
		// Our own timer spaces them: never closer than the interval (1 ms of timer rounding allowed).
		const [first = 0, second = 0, third = 0] = listedAt;
		expect(second - first).toBeGreaterThanOrEqual(MIN_RELIST_INTERVAL_MS - 1);
		expect(third - second).toBeGreaterThanOrEqual(MIN_RELIST_INTERVAL_MS - 1);
	});

	it('100,000 tools: the listing is refused once it passes 1000, and the handshake fails', async () => {
		const { connect } = start(['--many-tools', '100000', '--page-size', '400']);
		const error = await handshakeError(connect());
		expect(error.message).toBe('mcp handshake failed: tools/list: more than 1000 tools offered');
	});

	it('paging without end: refused after 100 pages', async () => {
		const { connect } = start(['--many-tools', '500', '--page-size', '1']);
		const error = await handshakeError(connect());
		expect(error.message).toBe('mcp handshake failed: tools/list: more than 100 pages');
	});

	it('tools that would take the whole list over its size limit are dropped with a bounded logged problem; the rest fit', async () => {
		// 100 tools of ~60 KB each (each within the per-tool limit): ~6 MB together.
		const { connect, log } = start([
			'--many-tools',
			'100',
			'--tool-bytes',
			'60000',
			'--page-size',
			'10',
		]);
		const session = await connect();
		const names = session.tools().map((tool) => tool.name);
		expect(Buffer.byteLength(canonicalJson(session.tools()))).toBeLessThanOrEqual(
			MAX_TOOL_LIST_BYTES,
		);
		// The fixture's own tools come first and are kept, then as many big ones as fit.
		expect(names.slice(0, 4)).toEqual(['echo', 'add', 'slow', 'fail']);
		const kept = names.filter((name) => name.startsWith('tool-')).length;
		expect(kept).toBeGreaterThan(60);
		expect(kept).toBeLessThan(100);
		const dropped = log.filter((line) => line.includes('would take the tool list over'));
		expect(dropped).toHaveLength(5);
		expect(dropped[0]).toContain(
			`tool dropped: tool-${kept + 1} would take the tool list over ${MAX_TOOL_LIST_BYTES} bytes`,
		);
		expect(log.join('\n')).toContain('further tool-list-size problems are counted, not logged');
	});

	it('a tool whose definition is over the size limit: that tool is dropped with a logged problem', async () => {
		const { connect, log } = start(['--huge-schema', String(1024 * 1024)]);
		const session = await connect();
		expect(session.tools().map((tool) => tool.name)).toEqual(['echo', 'add', 'slow', 'fail']);
		expect(log.join('\n')).toMatch(
			new RegExp(
				`tool dropped: tool huge: definition is \\d+ bytes, over the limit of ${MAX_TOOL_DEFINITION_BYTES}`,
			),
		);
	});
});
