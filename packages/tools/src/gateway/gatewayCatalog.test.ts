import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, openDb, withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordToolList } from '../registry/recordToolList.js';
import { setToolPolicy } from '../registry/setToolPolicy.js';
import type { BuiltinToolGroup } from '../router/builtinTools.js';
import {
	isToolDefinitionProblem,
	type ToolDefinition,
	toolDefinitionOf,
} from '../toolDefinition.js';
import { GatewayCatalog } from './gatewayCatalog.js';

// The catalog over a real database: tools recorded by the registry, running
// agents as a set the test controls (the router's isRunning in the daemon).

const H = (c: string) => c.repeat(64);
const alice = { type: 'human', id: 'alice' } as const;

let home: TempHome;
let db: AgentSpaceDb;
let running: Set<string>;
let catalogs: GatewayCatalog[];

const fleet: BuiltinToolGroup = {
	id: 'fleet',
	tools: [
		{
			name: 'inbox',
			description: 'Messages for a pilot',
			inputSchema: { type: 'object' },
			call: async () => ({ isError: false, content: [] }),
		},
	],
};

function definition(name: string, description = `the ${name} tool`): ToolDefinition {
	const made = toolDefinitionOf({ name, description, inputSchema: { type: 'object' } });
	if (isToolDefinitionProblem(made)) throw new Error(made.problem);
	return made;
}

function emit(type: string, fields: Record<string, unknown>): void {
	withImmediateTransaction(db, (tx) =>
		appendToStream(tx, [
			createEvent(type as never, { project_key: 'agentspace', ...fields } as never),
		]),
	);
}

/** The agent enabled, running, and its tools listed. */
function agentWith(agentId: string, tools: ToolDefinition[]): void {
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
	emit('agent_run_started', {
		agent_id: agentId,
		run_id: `run_${agentId}`,
		pid: 4242,
		sandboxed: false,
		restart_policy: 'no',
	});
	recordToolList(db, { agentId, runId: `run_${agentId}`, tools });
	running.add(agentId);
}

function newCatalog(pollIntervalMs?: number): GatewayCatalog {
	const catalog = new GatewayCatalog({
		db,
		securityMode: () => 'full-control',
		isRunning: (agentId) => running.has(agentId),
		builtins: [fleet],
		...(pollIntervalMs === undefined ? {} : { pollIntervalMs }),
	});
	catalogs.push(catalog);
	return catalog;
}

/** Sets a policy from a second connection, as the CLI does. */
function policyFromCli(agentId: string, tool: string, policy: 'allow' | 'deny'): void {
	const cli = openDb({ path: join(home.home, 'agentspace.db') });
	try {
		setToolPolicy(cli, { agentId, tool, policy, actor: alice });
	} finally {
		closeDb(cli);
	}
}

beforeEach(() => {
	home = createTempHome('catalog');
	db = openDb({ path: join(home.home, 'agentspace.db') });
	running = new Set();
	catalogs = [];
});

afterEach(() => {
	for (const catalog of catalogs) catalog.close();
	closeDb(db);
	home.cleanup();
});

describe('GatewayCatalog', () => {
	it('lists the callable tools of running agents and the built-ins, sorted by name', () => {
		agentWith('beta', [definition('b1'), definition('b2')]);
		agentWith('alpha', [definition('a1')]);
		agentWith('stopped', [definition('s1')]);
		running.delete('stopped');
		// An agent with a built-in group's id: its targets go to the group, so it is not listed.
		agentWith('fleet', [definition('inbox'), definition('other')]);
		setToolPolicy(db, { agentId: 'beta', tool: 'b2', policy: 'deny', actor: alice });
		const catalog = newCatalog();
		expect(catalog.list().map((tool) => [tool.name, tool.target, tool.builtin])).toEqual([
			['alpha__a1', 'alpha/a1', false],
			['beta__b1', 'beta/b1', false],
			['fleet__inbox', 'fleet/inbox', true],
		]);
		expect(catalog.resolve('beta__b1')?.definition.description).toBe('the b1 tool');
		expect(catalog.resolve('beta__b2')).toBeUndefined();
		expect(catalog.resolve('stopped__s1')).toBeUndefined();
	});

	it('lists an agent with a group’s id when that group is not configured (hashed: the id is reserved)', () => {
		agentWith('fleet', [definition('other')]);
		const catalog = new GatewayCatalog({
			db,
			securityMode: () => 'full-control',
			isRunning: (agentId) => running.has(agentId),
			builtins: [],
		});
		catalogs.push(catalog);
		expect(catalog.list()).toMatchObject([
			{ target: 'fleet/other', shortenedFrom: 'fleet__other', builtin: false },
		]);
		expect(catalog.list()[0]?.name).toMatch(/^_[0-9a-f]{10}_fleet__other$/);
	});

	it('tells listeners only when the list changed', () => {
		agentWith('alpha', [definition('a1')]);
		const catalog = newCatalog();
		let changes = 0;
		const stop = catalog.onChange(() => {
			changes += 1;
		});
		const before = catalog.list();
		catalog.refresh();
		expect(changes).toBe(0);
		// Unchanged: the same list (sessions keep what they rendered from it).
		expect(catalog.list()).toBe(before);
		running.delete('alpha');
		catalog.refresh();
		expect(changes).toBe(1);
		expect(catalog.list().map((tool) => tool.name)).toEqual(['fleet__inbox']);
		running.add('alpha');
		catalog.refresh();
		expect(changes).toBe(2);
		// A changed definition is drifted: held back, so listed no more.
		recordToolList(db, {
			agentId: 'alpha',
			runId: 'run_alpha',
			tools: [definition('a1', 'changed')],
		});
		catalog.refresh();
		expect(changes).toBe(3);
		expect(catalog.list().map((tool) => tool.name)).toEqual(['fleet__inbox']);
		stop();
		recordToolList(db, { agentId: 'alpha', runId: 'run_alpha', tools: [definition('a9')] });
		catalog.refresh();
		expect(catalog.list().map((tool) => tool.name)).toEqual(['alpha__a9', 'fleet__inbox']);
		expect(changes).toBe(3);
	});

	it('finds another connection’s write by polling while a listener is subscribed', async () => {
		agentWith('alpha', [definition('a1'), definition('a2')]);
		const catalog = newCatalog(10);
		const changed = new Promise<void>((resolve) => catalog.onChange(resolve));
		policyFromCli('alpha', 'a2', 'deny');
		await changed;
		expect(catalog.list().map((tool) => tool.name)).toEqual(['alpha__a1', 'fleet__inbox']);
	});

	it('finds a write on its own connection (the admin UI in the daemon) by polling too', async () => {
		agentWith('alpha', [definition('a1'), definition('a2')]);
		const catalog = newCatalog(10);
		const changed = new Promise<void>((resolve) => catalog.onChange(resolve));
		setToolPolicy(db, { agentId: 'alpha', tool: 'a2', policy: 'deny', actor: alice });
		await changed;
		expect(catalog.list().map((tool) => tool.name)).toEqual(['alpha__a1', 'fleet__inbox']);
	});

	it('finds by polling an agent stopped or the security mode changed without refresh()', async () => {
		agentWith('alpha', [definition('a1')]);
		agentWith('beta', [definition('b1')]);
		let mode: 'full-control' | 'limited-control' = 'full-control';
		const catalog = new GatewayCatalog({
			db,
			securityMode: () => mode,
			isRunning: (agentId) => running.has(agentId),
			builtins: [fleet],
			pollIntervalMs: 10,
		});
		catalogs.push(catalog);
		let changed = new Promise<void>((resolve) => catalog.onChange(resolve));
		running.delete('beta');
		await changed;
		expect(catalog.list().map((tool) => tool.name)).toEqual(['alpha__a1', 'fleet__inbox']);
		changed = new Promise<void>((resolve) => catalog.onChange(resolve));
		// limited-control allows only read-only tools by default: a1 is not one.
		mode = 'limited-control';
		await changed;
		expect(catalog.list().map((tool) => tool.name)).toEqual(['fleet__inbox']);
	});

	it('sees another connection’s write at the next list when nobody listens', () => {
		agentWith('alpha', [definition('a1'), definition('a2')]);
		const catalog = newCatalog();
		expect(catalog.list()).toHaveLength(3);
		const before = catalog.list();
		// Unchanged: the same table, not a recomputed one.
		expect(catalog.list()).toBe(before);
		policyFromCli('alpha', 'a1', 'deny');
		expect(catalog.list().map((tool) => tool.name)).toEqual(['alpha__a2', 'fleet__inbox']);
	});
});
