import { join } from 'node:path';
import type { SecurityMode } from '@agentspace/core';
import { type AgentSpaceDb, closeDb, openDb, withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import {
	createTempHome,
	type McpFixtureAgentProcess,
	startMcpFixtureAgent,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryToolCalls } from '../callLog/queryToolCalls.js';
import { acceptTool } from '../registry/acceptTool.js';
import { recordToolList } from '../registry/recordToolList.js';
import { setToolPolicy } from '../registry/setToolPolicy.js';
import { connectMcpAgent, type McpAgentSession } from '../session/connectMcpAgent.js';
import { ToolRouter } from './toolRouter.js';

// The router with its default lookup, the registry: tools recorded from the
// fixture agent's real tools/list, pinned, drifted on list_changed, accepted,
// and given policies through the registry's own command handlers.

let home: TempHome;
let db: AgentSpaceDb;
let agents: McpFixtureAgentProcess[];
let sessions: McpAgentSession[];
let mode: SecurityMode;

const H = (c: string) => c.repeat(64);
const user = { type: 'user', id: 'alice' } as const;
const alice = { type: 'human', id: 'alice' } as const;

function emit(type: string, fields: Record<string, unknown>): void {
	withImmediateTransaction(db, (tx) =>
		appendToStream(tx, [
			createEvent(type as never, { project_key: 'agentspace', ...fields } as never),
		]),
	);
}

/** The agent discovered, enabled (approved) and running `runId`, its session connected and its tools recorded. */
async function runAgent(runId: string, flags: string[] = []): Promise<McpAgentSession> {
	emit('agent_discovered', {
		agent_id: 'fx',
		name: 'fx',
		version: '1.0.0',
		manifest_path: '/src/fx/agentspace.agent.json',
		manifest_hash: H('1'),
		permissions_hash: H('2'),
		requested_permissions: [],
	});
	emit('agent_enabled', {
		agent_id: 'fx',
		approved_permissions: [],
		manifest_hash: H('1'),
		permissions_hash: H('2'),
	});
	emit('agent_run_started', {
		agent_id: 'fx',
		run_id: runId,
		pid: 4242,
		sandboxed: false,
		restart_policy: 'no',
	});
	const agent = startMcpFixtureAgent(flags);
	agents.push(agent);
	const session = await connectMcpAgent(agent.channel, { agentId: 'fx', runId });
	sessions.push(session);
	recordToolList(db, { agentId: 'fx', runId, tools: session.tools() });
	return session;
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
	try {
		await promise;
	} catch (error) {
		return error as Record<string, unknown>;
	}
	throw new Error('expected the call to fail');
}

beforeEach(() => {
	home = createTempHome('router-registry');
	db = openDb({ path: join(home.home, 'agentspace.db') });
	agents = [];
	sessions = [];
	mode = 'full-control';
});

afterEach(async () => {
	for (const session of sessions) await session.close();
	for (const agent of agents) await agent.stop();
	closeDb(db);
	home.cleanup();
});

describe('ToolRouter with the registry', () => {
	it('routes by the registry: policy, the security mode, drift and acceptance', async () => {
		const router = new ToolRouter({ db, securityMode: () => mode });
		const session = await runAgent('run1', ['--change-tools']);
		router.attach(session);
		// The agent changes echo's description after the first call and says so.
		const changed = new Promise<void>((resolve) => session.onToolsChanged(() => resolve()));
		expect((await router.callTool(user, 'fx/add', { a: 1, b: 2 })).structuredContent).toEqual({
			sum: 3,
		});
		await changed;
		expect(
			recordToolList(db, { agentId: 'fx', runId: 'run1', tools: session.tools() }).drifted,
		).toEqual(['echo']);
		expect(await failure(router.callTool(user, 'fx/echo', { text: 'x' }))).toMatchObject({
			code: 'PERMISSION_DRIFT',
		});
		acceptTool(db, { agentId: 'fx', tool: 'echo', actor: alice });
		expect((await router.callTool(user, 'fx/echo', { text: 'x' })).content).toEqual([
			{ type: 'text', text: 'x' },
		]);

		setToolPolicy(db, { agentId: 'fx', tool: 'add', policy: 'deny', actor: alice });
		expect(await failure(router.callTool(user, 'fx/add', { a: 1, b: 2 }))).toMatchObject({
			code: 'PERMISSION_DENIED',
		});

		// limited-control: a tool without readOnlyHint is denied by default; a read-only one is not.
		mode = 'limited-control';
		expect(await failure(router.callTool(user, 'fx/slow', { steps: 1 }))).toMatchObject({
			code: 'PERMISSION_DENIED',
		});
		expect((await router.callTool(user, 'fx/echo', { text: 'y' })).isError).toBe(false);

		// The registry's schema (the fixture's own) checks the arguments.
		expect(await failure(router.callTool(user, 'fx/echo', {}))).toMatchObject({
			code: 'VALIDATION_FAILED',
			issues: [{ path: '/text', message: 'is required' }],
		});
		expect(queryToolCalls(db).map((c) => `${c.tool}:${c.status}`)).toEqual([
			'echo:invalid',
			'echo:ok',
			'slow:denied',
			'add:denied',
			'echo:ok',
			'echo:denied',
			'add:ok',
		]);
	});

	it('refuses a tool name the registry cannot hold, as invalid', async () => {
		const router = new ToolRouter({ db, securityMode: () => mode });
		router.attach(await runAgent('run1'));
		expect(await failure(router.callTool(user, 'fx/bad name!', {}))).toMatchObject({
			code: 'VALIDATION_FAILED',
		});
		expect(queryToolCalls(db)[0]).toMatchObject({ status: 'invalid' });
	});

	it('does not route to a run other than the one whose tools the registry holds', async () => {
		const router = new ToolRouter({ db, securityMode: () => mode });
		const session = await runAgent('run1');
		// A later run attached before its tools were recorded: the registry still holds run1's.
		emit('agent_run_started', {
			agent_id: 'fx',
			run_id: 'run2',
			pid: 4243,
			sandboxed: false,
			restart_policy: 'no',
		});
		router.attach({
			...session,
			agentId: 'fx',
			runId: 'run2',
			callTool: session.callTool,
			ended: session.ended,
		});
		expect(await failure(router.callTool(user, 'fx/echo', { text: 'x' }))).toMatchObject({
			code: 'CONFLICT',
			message: expect.stringContaining('listed by run run1, not its current run run2'),
		});
	});
});
