import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidationError } from '@agentspace/core';
import { type AgentSpaceDb, closeDb, openDb, withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { getAgentToolPolicy } from './agentToolPolicy.js';
import { setToolPolicy } from './setToolPolicy.js';

const USER = { type: 'human', id: 'alice' } as const;
let dir: string;
let db: AgentSpaceDb;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'agentspace-star-policy-'));
	db = openDb({ path: join(dir, 'agentspace.db') });
	withImmediateTransaction(db, (tx) =>
		appendToStream(tx, [
			createEvent('agent_discovered', {
				project_key: 'agentspace',
				agent_id: 'mcp',
				name: 'mcp',
				version: '1.0.0',
				manifest_path: '/src/mcp/agentspace.agent.json',
				manifest_hash: '1'.repeat(64),
				permissions_hash: '2'.repeat(64),
				requested_permissions: [],
			}),
		]),
	);
});
afterEach(() => {
	closeDb(db);
	rmSync(dir, { recursive: true, force: true });
});

it("reads the agent's * policy, and only that row", () => {
	expect(getAgentToolPolicy(db, 'mcp')).toBeUndefined();
	setToolPolicy(db, { agentId: 'mcp', tool: 'write', policy: 'allow', actor: USER });
	expect(getAgentToolPolicy(db, 'mcp')).toBeUndefined();
	setToolPolicy(db, { agentId: 'mcp', tool: '*', policy: 'deny', actor: USER });
	expect(getAgentToolPolicy(db, 'mcp')).toMatchObject({ policy: 'deny', setBy: 'alice' });
	setToolPolicy(db, { agentId: 'mcp', tool: '*', policy: 'allow', actor: USER });
	expect(getAgentToolPolicy(db, 'mcp')?.policy).toBe('allow');
	expect(getAgentToolPolicy(db, 'other')).toBeUndefined();
});

it('refuses an agent id of the wrong shape, with a hint', () => {
	let thrown: unknown;
	try {
		getAgentToolPolicy(db, '../x');
	} catch (error) {
		thrown = error;
	}
	expect(isValidationError(thrown)).toBe(true);
	expect((thrown as { hint?: string }).hint).toMatch(/agent id/);
});
