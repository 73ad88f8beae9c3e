import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { createEvent, EventStore } from '@agentspace/events';
import {
	createTempHome,
	type McpFixtureAgentProcess,
	startMcpFixtureAgent,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryToolCalls } from '../callLog/queryToolCalls.js';
import { connectMcpAgent, type McpAgentSession } from '../session/connectMcpAgent.js';
import type { RoutableTool, RoutedSession, ToolProgress } from './routedSession.js';
import { ToolRouter } from './toolRouter.js';

// The router is tested against the fixture MCP agent running as a real child
// process, through the real session (connectMcpAgent: the SDK's Client over
// the agent's stdin/stdout). The session is wrapped only to count the calls
// that reach it.

interface Harness {
	readonly session: RoutedSession;
	readonly agent: McpFixtureAgentProcess;
	/** Calls that reached the session (and so the agent). */
	readonly forwarded: string[];
	close(): Promise<void>;
}

async function connect(agentId: string, runId: string, flags: string[] = []): Promise<Harness> {
	const agent = startMcpFixtureAgent(flags);
	const real: McpAgentSession = await connectMcpAgent(agent.channel, { agentId, runId });
	const forwarded: string[] = [];
	const session: RoutedSession = {
		agentId,
		runId,
		ended: real.ended,
		callTool(name, args, options) {
			forwarded.push(name);
			return real.callTool(name, args, options);
		},
	};
	return {
		session,
		agent,
		forwarded,
		async close() {
			await real.close();
			await agent.stop();
		},
	};
}

let home: TempHome;
let db: AgentSpaceDb;
let harnesses: Harness[];
// The registry's answers for this test: tools by `<agent>/<tool>`.
let registry: Map<string, RoutableTool>;

// Definition hashes unique across tests: compiled schemas are cached by hash.
let offers = 0;
function offer(agentId: string, name: string, tool: Partial<RoutableTool> = {}): void {
	offers += 1;
	registry.set(`${agentId}/${name}`, {
		agentId,
		name,
		inputSchema: { type: 'object' },
		definitionHash: `${agentId}-${name}-${offers}`,
		state: 'offered',
		policy: 'allow',
		...tool,
	});
}

async function discover(agentId: string): Promise<void> {
	await EventStore.fromDb(db).append(
		createEvent('agent_discovered', {
			project_key: '/p',
			agent_id: agentId,
			name: agentId,
			version: '1',
			manifest_path: '/m',
			manifest_hash: 'a'.repeat(64),
			permissions_hash: 'b'.repeat(64),
			requested_permissions: [],
		}),
	);
}

function newRouter(defaultTimeoutMs?: number): ToolRouter {
	return new ToolRouter({
		db,
		securityMode: () => 'full-control',
		lookupTool: (_db, agentId, tool) => registry.get(`${agentId}/${tool}`),
		...(defaultTimeoutMs === undefined ? {} : { defaultTimeoutMs }),
	});
}

async function running(router: ToolRouter, agentId = 'fx', flags: string[] = []): Promise<Harness> {
	await discover(agentId);
	const harness = await connect(agentId, `run_${agentId}`, flags);
	harnesses.push(harness);
	router.attach(harness.session);
	return harness;
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
	try {
		await promise;
	} catch (error) {
		return error as Record<string, unknown>;
	}
	throw new Error('expected the call to fail');
}

const user = { type: 'user', id: 'alice' } as const;

beforeEach(() => {
	home = createTempHome('router');
	db = openDb({ path: join(home.home, 'agentspace.db') });
	harnesses = [];
	registry = new Map();
	offer('fx', 'echo', {
		inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
	});
	offer('fx', 'add', {
		inputSchema: {
			type: 'object',
			properties: { a: { type: 'number' }, b: { type: 'number' } },
			required: ['a', 'b'],
			additionalProperties: false,
		},
		outputSchema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] },
	});
	offer('fx', 'slow');
	offer('fx', 'fail');
});

afterEach(async () => {
	for (const harness of harnesses) await harness.close();
	closeDb(db);
	home.cleanup();
});

describe('ToolRouter.callTool', () => {
	it('forwards a call and records it', async () => {
		const router = newRouter();
		const harness = await running(router);
		const result = await router.callTool(user, 'fx/echo', { text: 'hello' });
		expect(result).toMatchObject({ isError: false, content: [{ type: 'text', text: 'hello' }] });
		const [call] = queryToolCalls(db);
		expect(call).toMatchObject({
			callId: result.callId,
			caller: { type: 'user', id: 'alice' },
			agentId: 'fx',
			runId: 'run_fx',
			tool: 'echo',
			status: 'ok',
			errorCode: null,
			summary: '{"text":"hello"}',
		});
		expect(harness.forwarded).toEqual(['echo']);
	});

	it('returns structured content that matches the output schema', async () => {
		const router = newRouter();
		await running(router);
		const result = await router.callTool(user, 'fx/add', { a: 2, b: 3 });
		expect(result.structuredContent).toEqual({ sum: 5 });
	});

	it('refuses an unknown agent, one not running, an unknown tool — without reaching any agent', async () => {
		const router = newRouter();
		const harness = await running(router);
		await discover('idle');
		offer('idle', 'echo');
		const cases: [string, string, RegExp][] = [
			['ghost/echo', 'NOT_FOUND', /no agent "ghost"/],
			['idle/echo', 'CONFLICT', /agent idle is not running/],
			['fx/nope', 'NOT_FOUND', /agent fx offers no tool "nope"/],
		];
		for (const [target, code, message] of cases) {
			const error = await failure(router.callTool(user, target, {}));
			expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
			expect(error.hint).toEqual(expect.any(String));
		}
		expect(harness.forwarded).toEqual([]);
		const calls = queryToolCalls(db);
		expect(calls.map((c) => [c.agentId, c.tool, c.status, c.errorCode])).toEqual([
			['fx', 'nope', 'denied', 'NOT_FOUND'],
			['idle', 'echo', 'denied', 'CONFLICT'],
			['ghost', 'echo', 'denied', 'NOT_FOUND'],
		]);
		const denials = await getAuditEvents(db, { type: 'security.denied' });
		expect(denials).toHaveLength(3);
	});

	it('refuses a drifted tool and a denied one, audited', async () => {
		const router = newRouter();
		const harness = await running(router);
		offer('fx', 'echo', { state: 'drifted' });
		offer('fx', 'add', { policy: 'deny' });
		expect(await failure(router.callTool(user, 'fx/echo', { text: 'x' }))).toMatchObject({
			code: 'PERMISSION_DRIFT',
			hint: expect.stringContaining('agentspace tools accept fx/echo'),
		});
		expect(await failure(router.callTool(user, 'fx/add', { a: 1, b: 2 }))).toMatchObject({
			code: 'PERMISSION_DENIED',
			hint: expect.stringContaining('agentspace tools allow fx/add'),
		});
		expect(harness.forwarded).toEqual([]);
		const denials = await getAuditEvents(db, { type: 'security.denied', order: 'asc' });
		expect(denials.map((d) => [d.subject?.id, d.metadata.errorCode])).toEqual([
			['fx/echo', 'PERMISSION_DRIFT'],
			['fx/add', 'PERMISSION_DENIED'],
		]);
	});

	it('folds a flood of denials in the audit log: every call logged, one entry and then a count', async () => {
		const router = new ToolRouter({
			db,
			securityMode: () => 'full-control',
			lookupTool: (_db, agentId, tool) => registry.get(`${agentId}/${tool}`),
			denialWindowMs: 200,
		});
		const harness = await running(router);
		offer('fx', 'add', { policy: 'deny' });
		const refusals = await Promise.all(
			Array.from({ length: 30 }, () => failure(router.callTool(user, 'fx/add', { a: 1, b: 2 }))),
		);
		expect(refusals.every((e) => e.code === 'PERMISSION_DENIED')).toBe(true);
		expect(harness.forwarded).toEqual([]);
		expect(queryToolCalls(db, { status: 'denied' })).toHaveLength(30);
		expect(await getAuditEvents(db, { type: 'security.denied' })).toHaveLength(1);
		// Once the window ends, the 29 folded denials are one count entry, without another call.
		await vi.waitFor(
			async () => expect(await getAuditEvents(db, { type: 'security.denied' })).toHaveLength(2),
			{ timeout: 10_000, interval: 50 },
		);
		const [count] = await getAuditEvents(db, { type: 'security.denied' });
		expect(count?.metadata).toMatchObject({ agentId: 'fx', tool: 'add', foldedBefore: 29 });
		router.close();
		expect(await getAuditEvents(db, { type: 'security.denied' })).toHaveLength(2);
	});

	it('refuses an unhealthy agent until a new run attaches', async () => {
		const router = newRouter();
		const harness = await running(router);
		router.markUnhealthy('fx', '3 pings unanswered');
		expect(router.isRunning('fx')).toBe(false);
		expect(await failure(router.callTool(user, 'fx/echo', { text: 'x' }))).toMatchObject({
			code: 'CONFLICT',
			message: expect.stringContaining('unhealthy (3 pings unanswered)'),
		});
		router.attach(harness.session);
		expect((await router.callTool(user, 'fx/echo', { text: 'x' })).isError).toBe(false);
	});

	it('lists every bad argument by JSON pointer and never reaches the agent', async () => {
		const router = newRouter();
		const harness = await running(router);
		const error = await failure(router.callTool(user, 'fx/add', { a: 'one', extra: true }));
		expect(error).toMatchObject({
			code: 'VALIDATION_FAILED',
			issues: [
				{ path: '/b', message: 'is required' },
				{ path: '/extra', message: 'is not allowed' },
				{ path: '/a', message: 'must be number' },
			],
		});
		expect(await failure(router.callTool(user, 'fx/add', [1, 2]))).toMatchObject({
			code: 'VALIDATION_FAILED',
			issues: [{ path: '', message: 'must be object' }],
		});
		expect(harness.forwarded).toEqual([]);
		expect(queryToolCalls(db).map((c) => c.status)).toEqual(['invalid', 'invalid']);
		// Invalid input is the caller's mistake, not a security event.
		expect(await getAuditEvents(db, { type: 'security.denied' })).toEqual([]);
	});

	it('refuses a tool whose input schema is unusable, with the reason', async () => {
		const router = newRouter();
		await running(router);
		offer('fx', 'echo', { inputSchema: { $ref: 'https://example.com/schema.json' } });
		expect(await failure(router.callTool(user, 'fx/echo', { text: 'x' }))).toMatchObject({
			code: 'VALIDATION_FAILED',
			message: expect.stringMatching(/input schema is unusable \(the schema does not compile/),
		});
	});

	it('withholds a result that breaks the declared output schema', async () => {
		const router = newRouter();
		await running(router);
		// The pinned definition promises `total`; the agent answers `sum`.
		offer('fx', 'add', {
			inputSchema: { type: 'object' },
			outputSchema: { type: 'object', required: ['total'] },
		});
		const error = await failure(router.callTool(user, 'fx/add', { a: 1, b: 2 }));
		expect(error).toMatchObject({
			code: 'VALIDATION_FAILED',
			issues: [{ path: '/structuredContent/total', message: 'is required' }],
		});
		expect(queryToolCalls(db)[0]).toMatchObject({
			status: 'error',
			errorCode: 'VALIDATION_FAILED',
		});
		// A result without structured content breaks a declared schema too.
		offer('fx', 'echo', { outputSchema: { type: 'object' } });
		expect(await failure(router.callTool(user, 'fx/echo', { text: 'x' }))).toMatchObject({
			issues: [{ path: '/structuredContent', message: 'is required' }],
		});
	});

	it("returns the tool's own error (isError) and records it as an error", async () => {
		const router = newRouter();
		await running(router);
		const result = await router.callTool(user, 'fx/fail', {});
		expect(result).toMatchObject({ isError: true, content: [{ text: 'fail: failed on purpose' }] });
		expect(queryToolCalls(db)[0]).toMatchObject({
			status: 'error',
			errorCode: null,
			summary: '{} → isError: fail: failed on purpose',
		});
	});

	it("records an agent's JSON-RPC error as a failed call", async () => {
		const router = newRouter();
		await running(router);
		// The registry's schema lets it through; the agent refuses it itself.
		offer('fx', 'echo');
		const error = await failure(router.callTool(user, 'fx/echo', { text: 5 }));
		expect(error).toMatchObject({
			code: 'COMMAND_FAILED',
			message: expect.stringContaining('echo: text must be a string'),
		});
		expect(queryToolCalls(db)[0]).toMatchObject({ status: 'error', errorCode: 'COMMAND_FAILED' });
	});

	it('forwards progress in order', async () => {
		const router = newRouter();
		await running(router);
		const progress: ToolProgress[] = [];
		const result = await router.callTool(
			user,
			'fx/slow',
			{ steps: 8, delayMs: 1 },
			{ onProgress: (p) => progress.push(p) },
		);
		expect(result.content).toEqual([{ type: 'text', text: 'done after 8 steps' }]);
		expect(progress.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(progress[0]).toEqual({ progress: 1, total: 8, message: 'step 1' });
	});

	it('cancels the call at the agent when the signal aborts', async () => {
		const router = newRouter();
		const harness = await running(router);
		const controller = new AbortController();
		const call = router.callTool(
			user,
			'fx/slow',
			{ steps: 1000, delayMs: 10 },
			{ signal: controller.signal, onProgress: () => controller.abort() },
		);
		expect(await failure(call)).toMatchObject({ code: 'INTERRUPTED' });
		await harness.agent.waitForStderr(/slow cancelled/);
		expect(queryToolCalls(db)[0]).toMatchObject({ status: 'cancelled', errorCode: 'INTERRUPTED' });
		// A signal aborted before the call: nothing reaches the agent.
		expect(
			await failure(
				router.callTool(user, 'fx/echo', { text: 'x' }, { signal: AbortSignal.abort() }),
			),
		).toMatchObject({ code: 'INTERRUPTED' });
		expect(harness.forwarded).toEqual(['slow']);
	});

	it('times a call out (per call, and by the default), cancelling it at the agent', async () => {
		const router = newRouter(60_000);
		const harness = await running(router);
		const error = await failure(
			router.callTool(user, 'fx/slow', { steps: 1000, delayMs: 10 }, { timeoutMs: 50 }),
		);
		expect(error).toMatchObject({
			code: 'COMMAND_FAILED',
			message: expect.stringMatching(/timed out after 50 ms/),
		});
		await harness.agent.waitForStderr(/slow cancelled/);
		expect(queryToolCalls(db)[0]).toMatchObject({ status: 'timeout', errorCode: 'COMMAND_FAILED' });
		const short = newRouter(50);
		short.attach(harness.session);
		expect(
			await failure(short.callTool(user, 'fx/slow', { steps: 1000, delayMs: 10 })),
		).toMatchObject({
			message: expect.stringMatching(/timed out after 50 ms/),
		});
		expect(
			await failure(router.callTool(user, 'fx/echo', { text: 'x' }, { timeoutMs: 0 })),
		).toMatchObject({
			code: 'VALIDATION_FAILED',
			issues: [{ path: 'timeoutMs', message: expect.any(String) }],
		});
	});

	it('runs many calls to one agent at once: a slow call holds up no other', async () => {
		const router = newRouter();
		await running(router);
		const controller = new AbortController();
		let slowSettled = false;
		const slow = router
			.callTool(user, 'fx/slow', { steps: 100_000, delayMs: 10 }, { signal: controller.signal })
			.catch((error: unknown) => error)
			.finally(() => {
				slowSettled = true;
			});
		const quick = await Promise.all(
			Array.from({ length: 20 }, (_, i) => router.callTool(user, 'fx/add', { a: i, b: 1 })),
		);
		expect(quick.map((r) => r.structuredContent?.sum)).toEqual(
			Array.from({ length: 20 }, (_, i) => i + 1),
		);
		expect(slowSettled).toBe(false);
		controller.abort();
		expect(await slow).toMatchObject({ code: 'INTERRUPTED' });
		expect(queryToolCalls(db, { status: 'ok' })).toHaveLength(20);
	});

	it('stops routing to an agent whose session ended', async () => {
		const router = newRouter();
		const harness = await running(router);
		expect(router.isRunning('fx')).toBe(true);
		await harness.close();
		await harness.session.ended;
		expect(router.isRunning('fx')).toBe(false);
		expect(await failure(router.callTool(user, 'fx/echo', { text: 'x' }))).toMatchObject({
			code: 'CONFLICT',
		});
	});

	it('refuses an unnamed caller or a malformed target before recording anything', async () => {
		const router = newRouter();
		await running(router);
		expect(
			await failure(router.callTool({ type: 'robot', id: '' } as never, 'fx/echo', { text: 'x' })),
		).toMatchObject({
			code: 'VALIDATION_FAILED',
			issues: [{ path: 'caller.type' }, { path: 'caller.id' }],
		});
		for (const target of ['echo', '/echo', 'fx/', 42])
			expect(await failure(router.callTool(user, target as string, {}))).toMatchObject({
				code: 'VALIDATION_FAILED',
				hint: expect.stringContaining('<agent>/<tool>'),
			});
		expect(queryToolCalls(db)).toEqual([]);
	});
});
