import { join } from 'node:path';
import { PermissionDeniedError } from '@agentspace/core';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryToolCalls } from '../callLog/queryToolCalls.js';
import type { BuiltinTool, BuiltinToolGroup } from './builtinTools.js';
import type { RoutedSession, ToolProgress } from './routedSession.js';
import { ToolRouter } from './toolRouter.js';

// Built-in tool groups through the router: routed as `<group>/<tool>` with no
// agent and no session, arguments checked, progress and cancellation passed
// on, refusals recorded as the router's own, every call in the call log.

let home: TempHome;
let db: AgentSpaceDb;
const alice = { type: 'user', id: 'alice' } as const;
const agentB = { type: 'agent', id: 'agent-b', detail: { runId: 'run_b' } } as const;

function tool(
	name: string,
	call: BuiltinTool['call'],
	extra: Partial<BuiltinTool> = {},
): BuiltinTool {
	return {
		name,
		description: `the ${name} tool`,
		inputSchema: {
			type: 'object',
			properties: { callsign: { type: 'string', minLength: 1 } },
			required: ['callsign'],
			additionalProperties: false,
		},
		call,
		...extra,
	};
}

const fleet: BuiltinToolGroup = {
	id: 'fleet',
	tools: [
		tool(
			'register',
			async (args, context) => {
				if (context.caller.type === 'agent' && context.caller.id !== args.callsign)
					throw new PermissionDeniedError(
						`${context.caller.id} cannot act as ${String(args.callsign)}`,
						{
							hint: 'an agent acts as itself',
						},
					);
				context.onProgress({ progress: 1, total: 1, message: 'registered' });
				return {
					isError: false,
					content: [{ type: 'text', text: `registered ${String(args.callsign)}` }],
					structuredContent: { callsign: args.callsign },
				};
			},
			{
				outputSchema: {
					type: 'object',
					properties: { callsign: { type: 'string' } },
					required: ['callsign'],
				},
			},
		),
		tool('wait', (_args, context) => {
			context.onProgress({ progress: 1 });
			return new Promise((_resolve, reject) => {
				context.signal.addEventListener('abort', () => reject(new Error('stopped waiting')), {
					once: true,
				});
			});
		}),
		tool(
			'broken_output',
			async () => ({ isError: false, content: [], structuredContent: { n: 1 } }),
			{
				outputSchema: { type: 'object', properties: { n: { type: 'string' } } },
			},
		),
	],
};

beforeEach(() => {
	home = createTempHome('builtins');
	db = openDb({ path: join(home.home, 'agentspace.db') });
});

afterEach(() => {
	closeDb(db);
	home.cleanup();
});

function newRouter(): ToolRouter {
	return new ToolRouter({ db, securityMode: () => 'limited-control', builtins: [fleet] });
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
	try {
		await promise;
	} catch (error) {
		return error as Record<string, unknown>;
	}
	throw new Error('expected the call to fail');
}

describe('ToolRouter built-ins', () => {
	it('routes <group>/<tool> to the built-in with its caller and progress, recorded without a run', async () => {
		const router = newRouter();
		expect(router.builtinGroups()).toEqual([fleet]);
		const progress: ToolProgress[] = [];
		const result = await router.callTool(
			agentB,
			'fleet/register',
			{ callsign: 'agent-b' },
			{
				onProgress: (p) => progress.push(p),
			},
		);
		expect(result).toMatchObject({ isError: false, structuredContent: { callsign: 'agent-b' } });
		expect(progress).toEqual([{ progress: 1, total: 1, message: 'registered' }]);
		expect(queryToolCalls(db, { agentId: 'fleet' })).toMatchObject([
			{
				callId: result.callId,
				tool: 'register',
				status: 'ok',
				runId: null,
				caller: { type: 'agent', id: 'agent-b' },
			},
		]);
	});

	it('checks the arguments against the input schema before calling', async () => {
		const router = newRouter();
		const error = await failure(
			router.callTool(alice, 'fleet/register', { callsign: '', extra: 1 }),
		);
		expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect(String(error.message)).toMatch(/\/callsign/);
		expect(queryToolCalls(db, { agentId: 'fleet' })[0]).toMatchObject({ status: 'invalid' });
	});

	it('records a built-in’s PERMISSION_DENIED as denied, audited', async () => {
		const router = newRouter();
		const error = await failure(router.callTool(agentB, 'fleet/register', { callsign: 'agent-a' }));
		expect(error).toMatchObject({ code: 'PERMISSION_DENIED', hint: 'an agent acts as itself' });
		router.close();
		expect(queryToolCalls(db, { agentId: 'fleet' })[0]).toMatchObject({
			status: 'denied',
			errorCode: 'PERMISSION_DENIED',
		});
		expect(await getAuditEvents(db, { type: 'security.denied' })).toHaveLength(1);
	});

	it('refuses a tool the group does not have, naming those it has', async () => {
		const router = newRouter();
		const error = await failure(router.callTool(alice, 'fleet/nothing', { callsign: 'x' }));
		expect(error).toMatchObject({
			code: 'NOT_FOUND',
			hint: 'the fleet tools are register, wait, broken_output',
		});
	});

	it('cancels a built-in’s call through its signal', async () => {
		const router = newRouter();
		const controller = new AbortController();
		const error = await failure(
			router.callTool(
				alice,
				'fleet/wait',
				{ callsign: 'x' },
				{
					signal: controller.signal,
					onProgress: () => controller.abort(),
				},
			),
		);
		expect(error).toMatchObject({ code: 'INTERRUPTED' });
		expect(queryToolCalls(db, { agentId: 'fleet' })[0]).toMatchObject({ status: 'cancelled' });
	});

	it('checks a built-in’s result against its output schema', async () => {
		const router = newRouter();
		const error = await failure(router.callTool(alice, 'fleet/broken_output', { callsign: 'x' }));
		expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect(String(error.message)).toMatch(/\/structuredContent\/n/);
	});

	it('routes a group id to the built-in even when an agent has that id', async () => {
		const router = newRouter();
		let reached = false;
		const session: RoutedSession = {
			agentId: 'fleet',
			runId: 'run_fleet',
			ended: new Promise(() => {}),
			async callTool() {
				reached = true;
				return { isError: false, content: [] };
			},
		};
		router.attach(session);
		await router.callTool(alice, 'fleet/register', { callsign: 'x' });
		expect(reached).toBe(false);
	});

	it('refuses groups and tools a client could not name', () => {
		const make = (groups: BuiltinToolGroup[]) => () =>
			new ToolRouter({ db, securityMode: () => 'full-control', builtins: groups });
		const call = fleet.tools[0]?.call ?? (async () => ({ isError: false, content: [] }));
		expect(make([{ id: 'mine', tools: [] }])).toThrow(/built-in group "mine" is unknown/);
		expect(make([fleet, fleet])).toThrow(/given twice/);
		expect(make([{ id: 'fleet', tools: [tool('a.b', call)] }])).toThrow(/bad or repeated name/);
		expect(make([{ id: 'fleet', tools: [tool('x'.repeat(58), call)] }])).toThrow(
			/bad or repeated name/,
		);
		expect(make([{ id: 'fleet', tools: [tool('a', call), tool('a', call)] }])).toThrow(
			/bad or repeated name/,
		);
		expect(
			make([{ id: 'fleet', tools: [tool('a', call, { inputSchema: { type: 'string' } })] }]),
		).toThrow(/inputSchema must have "type": "object"/);
		expect(make([{ id: 'fleet', tools: [tool('x'.repeat(57), call)] }])).not.toThrow();
	});
});
