// The seven regression cases of issue 13 at session level, against the fixture
// MCP agent run as a real child process (see serverEverything.test.ts for the
// same cases against a published server).
import { type McpFixtureAgentProcess, startMcpFixtureAgent } from '@agentspace/testing';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../toolDefinition.js';
import { connectMcpAgent, type McpAgentSession, type ToolCallProgress } from './connectMcpAgent.js';
import { monitorHealth } from './healthMonitor.js';
import { isToolCallFailure } from './toolCallFailure.js';

const running: Array<{ agent: McpFixtureAgentProcess; session?: McpAgentSession }> = [];

async function connectFixture(args: string[] = [], log: string[] = []) {
	const agent = startMcpFixtureAgent(args);
	const entry: { agent: McpFixtureAgentProcess; session?: McpAgentSession } = { agent };
	running.push(entry);
	const session = await connectMcpAgent(agent.channel, {
		agentId: 'fixture',
		runId: 'run-1',
		log: (line) => log.push(line),
	});
	entry.session = session;
	return { agent, session, log };
}

afterEach(async () => {
	for (const { agent, session } of running.splice(0)) {
		await session?.close();
		await agent.stop();
	}
});

async function failureOf(promise: Promise<unknown>) {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!isToolCallFailure(error))
		throw new Error(`expected a ToolCallFailure, got ${String(error)}`);
	return error;
}

describe('connectMcpAgent against the fixture MCP agent', () => {
	it('initialize: negotiates the protocol version, records server info and capabilities', async () => {
		const { session } = await connectFixture();
		expect(session.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
		expect(session.serverInfo).toEqual({
			name: 'agentspace-mcp-fixture',
			title: 'AgentSpace MCP fixture',
			version: '1.0.0',
		});
		expect(session.capabilities).toEqual({ tools: { listChanged: true } });
		expect(session.agentId).toBe('fixture');
		expect(session.runId).toBe('run-1');
	});

	it('tools/list: reads every page, and re-lists on list_changed', async () => {
		// Two tools a page: four tools are two pages.
		const { session } = await connectFixture(['--change-tools']);
		expect(session.tools().map((tool) => tool.name)).toEqual(['echo', 'add', 'slow', 'fail']);
		const echo = session.tools()[0] as ToolDefinition;
		expect(echo.annotations).toEqual({ readOnlyHint: true });
		expect(echo.definitionHash).toMatch(/^[0-9a-f]{64}$/);
		const changed = new Promise<readonly ToolDefinition[]>((resolve) =>
			session.onToolsChanged(resolve),
		);
		await session.callTool('echo', { text: 'hi' }, { timeoutMs: 10_000 });
		const tools = await changed;
		const newEcho = tools.find((tool) => tool.name === 'echo') as ToolDefinition;
		expect(newEcho.description).toMatch(/changed/);
		expect(newEcho.definitionHash).not.toBe(echo.definitionHash);
		expect(session.tools()).toBe(tools);
	});

	it('tools/call: answers with content and structured content', async () => {
		const { session } = await connectFixture();
		await expect(session.callTool('add', { a: 2, b: 3 }, { timeoutMs: 10_000 })).resolves.toEqual({
			isError: false,
			content: [{ type: 'text', text: '5' }],
			structuredContent: { sum: 5 },
		});
	});

	it('invalid input: a JSON-RPC error (kind error-response with its code) or an isError result', async () => {
		const { session } = await connectFixture();
		const failure = await failureOf(session.callTool('add', { a: 'two' }, { timeoutMs: 10_000 }));
		expect(failure.kind).toBe('error-response');
		expect(failure.rpcCode).toBe(-32602);
		expect(failure.message).toMatch(/a and b must be numbers/);
		const failed = await session.callTool('fail', {}, { timeoutMs: 10_000 });
		expect(failed.isError).toBe(true);
		expect(failed.content).toEqual([{ type: 'text', text: 'fail: failed on purpose' }]);
	});

	it('progress: notifications reach the caller in order', async () => {
		const { session } = await connectFixture();
		const progress: ToolCallProgress[] = [];
		const outcome = await session.callTool(
			'slow',
			{ steps: 6, delayMs: 1 },
			{ timeoutMs: 10_000, onProgress: (p) => progress.push(p) },
		);
		expect(outcome.content).toEqual([{ type: 'text', text: 'done after 6 steps' }]);
		expect(progress).toEqual(
			[1, 2, 3, 4, 5, 6].map((step) => ({ progress: step, total: 6, message: `step ${step}` })),
		);
	});

	it('cancellation: aborting the signal sends notifications/cancelled, which the agent sees', async () => {
		const { agent, session } = await connectFixture();
		const abort = new AbortController();
		const call = session.callTool(
			'slow',
			{ steps: 100_000, delayMs: 5 },
			{ timeoutMs: 60_000, signal: abort.signal, onProgress: () => abort.abort() },
		);
		const failure = await failureOf(call);
		expect(failure.kind).toBe('cancelled');
		expect(failure.code).toBe('INTERRUPTED');
		await agent.waitForStderr(/slow cancelled \(request \d+\)/);
		// The session goes on.
		await expect(
			session.callTool('echo', { text: 'after' }, { timeoutMs: 10_000 }),
		).resolves.toMatchObject({
			isError: false,
		});
	});

	it('ping: the agent answers; one that never does is marked unhealthy after three misses', async () => {
		const { session } = await connectFixture();
		await session.ping(10_000);
		const { agent: deaf, session: deafSession } = await connectFixture(['--ignore-pings']);
		await expect(deafSession.ping(50)).rejects.toThrow(/timed out/i);
		const reason = await new Promise<string>((resolve) =>
			monitorHealth(deafSession, { intervalMs: 30, missesAllowed: 3, onUnhealthy: resolve }),
		);
		expect(reason).toBe('unhealthy: 3 pings unanswered');
		expect(deaf.stderr()).toMatch(/ping ignored/);
	});

	it('many calls in flight: a slow call does not hold up the others', async () => {
		const { session } = await connectFixture();
		const abort = new AbortController();
		let slowProgressed = false;
		const slow = session.callTool(
			'slow',
			{ steps: 100_000, delayMs: 5 },
			{ timeoutMs: 60_000, signal: abort.signal, onProgress: () => (slowProgressed = true) },
		);
		const answers = await Promise.all(
			Array.from({ length: 16 }, (_, i) =>
				session.callTool('add', { a: i, b: 1 }, { timeoutMs: 10_000 }),
			),
		);
		expect(answers.map((a) => a.structuredContent?.sum)).toEqual(
			Array.from({ length: 16 }, (_, i) => i + 1),
		);
		abort.abort();
		expect((await failureOf(slow)).kind).toBe('cancelled');
		expect(typeof slowProgressed).toBe('boolean');
	});

	it('a call with no answer fails as timeout and is cancelled at the agent', async () => {
		const { session } = await connectFixture(['--hang-tool']);
		const failure = await failureOf(session.callTool('hang', {}, { timeoutMs: 100 }));
		expect(failure.kind).toBe('timeout');
		expect(failure.message).toMatch(/no answer within 100 ms/);
	});

	it('the session ends with a reason when the agent exits, and calls after it fail as session-ended', async () => {
		const { agent, session } = await connectFixture();
		await agent.stop();
		await expect(session.ended).resolves.toBe('the agent closed its output (it exited)');
		expect(
			(await failureOf(session.callTool('echo', { text: 'x' }, { timeoutMs: 1000 }))).kind,
		).toBe('session-ended');
	});

	it('close() ends the session as closed by AgentSpace, and the agent exits on its closed stdin', async () => {
		const { agent, session } = await connectFixture();
		await session.close();
		await expect(session.ended).resolves.toBe('closed by AgentSpace');
		await expect(agent.exited).resolves.toBe(0);
	});

	it('refuses a timeout a timer cannot keep (NaN, 0, fractions, over 24.8 days) before anything is sent', async () => {
		const { session } = await connectFixture();
		for (const timeoutMs of [Number.NaN, 0, -1, 1.5, 2 ** 31])
			await expect(session.callTool('echo', { text: 'x' }, { timeoutMs })).rejects.toMatchObject({
				code: 'VALIDATION_FAILED',
				issues: [{ path: 'timeoutMs', message: `got ${String(timeoutMs)}` }],
			});
		await expect(session.ping(0)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
		expect(() => monitorHealth(session, { intervalMs: 0, onUnhealthy: () => {} })).toThrow(
			/intervalMs/,
		);
		expect(() => monitorHealth(session, { missesAllowed: 0, onUnhealthy: () => {} })).toThrow(
			/missesAllowed/,
		);
		const idle = startMcpFixtureAgent();
		running.push({ agent: idle });
		await expect(
			connectMcpAgent(idle.channel, { agentId: 'x', runId: 'r', handshakeTimeoutMs: 2 ** 40 }),
		).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
	});
});
