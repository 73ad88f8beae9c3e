import { createInMemoryDb } from '@agentspace/db';
import { describe, expect, it } from 'vitest';
import type { EventPayloadInput, EventType } from '../catalogue/catalogue.js';
import { createEvent } from '../createEvent.js';
import { EventStore } from '../store/EventStore.js';
import { type ApprovalColumns, approvalHoldsSql, approvalState } from './approvalState.js';

// The one rule "the approval still matches the manifest", case by case,
// through the real projection: the status an install or a build leaves (the
// projection's SQL), the approval the catalogue reads (approvalState), and the
// SQL condition itself on the same row must all say the same.

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const P = 'c'.repeat(64);
const Q = 'd'.repeat(64);

type Given = { [T in EventType]: { type: T; payload: EventPayloadInput<T> } }[EventType];

const manifest = (manifest_hash: string, permissions_hash: string) => ({
	agent_id: 'echo',
	name: 'Echo',
	version: '1.0.0',
	manifest_path: '/home/u/Projects/echo/agentspace.agent.json',
	manifest_hash,
	permissions_hash,
	requested_permissions: ['network:egress:example.com'],
});
const installed = (m: string, p: string): Given => ({
	type: 'agent_installed',
	payload: {
		...manifest(m, p),
		source: 'https://example.com/echo.git',
		commit: '1'.repeat(40),
		install_path: '/h/agents/echo/src',
		permissions_changed: false,
	},
});
const discovered = (m: string, p: string): Given => ({
	type: 'agent_updated',
	payload: { ...manifest(m, p), previous_manifest_hash: B },
});
const enabled = (manifest_hash: string, permissions_hash: string): Given => ({
	type: 'agent_enabled',
	payload: {
		agent_id: 'echo',
		approved_permissions: ['network:egress:example.com'],
		manifest_hash,
		permissions_hash,
	},
});
const revoked: Given = { type: 'agent_permissions_revoked', payload: { agent_id: 'echo' } };
const built: Given = {
	type: 'agent_built',
	payload: { agent_id: 'echo', build_id: 'b1', duration_ms: 5 },
};

interface Case {
	readonly name: string;
	readonly given: readonly Given[];
	/** An event whose status depends on the rule: a (re-)install or a build. */
	readonly when: Given;
	readonly status: string;
	readonly approval: 'none' | 'approved' | 'drifted';
}

const approvedA = [installed(A, P), enabled(A, P)];
const CASES: readonly Case[] = [
	{
		name: 'approved, re-installed with the same manifest',
		given: approvedA,
		when: installed(A, P),
		status: 'enabled',
		approval: 'approved',
	},
	{
		name: 'approved, the manifest changed (its permissions did not)',
		given: approvedA,
		when: installed(B, P),
		status: 'installed',
		approval: 'drifted',
	},
	{
		name: 'approved, the permissions changed (the manifest hash did not)',
		given: approvedA,
		when: installed(A, Q),
		status: 'installed',
		approval: 'drifted',
	},
	{
		name: 'drifted, then built',
		given: [...approvedA, installed(B, P)],
		when: built,
		status: 'built',
		approval: 'drifted',
	},
	{
		name: 'drifted by its permissions alone, then built',
		given: [...approvedA, installed(A, Q)],
		when: built,
		status: 'built',
		approval: 'drifted',
	},
	{
		name: 'drifted, then the approved manifest is back, then built',
		given: [...approvedA, installed(B, P), discovered(A, P)],
		when: built,
		status: 'enabled',
		approval: 'approved',
	},
	{
		name: 'never approved, built',
		given: [installed(A, P)],
		when: built,
		status: 'built',
		approval: 'none',
	},
	{
		name: 'revoked, re-installed with the once-approved manifest',
		given: [...approvedA, revoked],
		when: installed(A, P),
		status: 'installed',
		approval: 'none',
	},
	{
		name: 're-enabled after drift, re-installed',
		given: [...approvedA, installed(B, Q), enabled(B, Q)],
		when: installed(B, Q),
		status: 'enabled',
		approval: 'approved',
	},
];

describe('the approval rule', () => {
	it.each(CASES)('$name: $status, $approval', async ({ given, when, status, approval }) => {
		const db = createInMemoryDb();
		const store = EventStore.fromDb(db);
		for (const event of [...given, when]) {
			await store.append(createEvent(event.type, { project_key: '/p', ...event.payload } as never));
		}
		const row = db.$client
			.prepare(`SELECT *, (${approvalHoldsSql()}) AS holds FROM agents WHERE agent_id = 'echo'`)
			.get() as ApprovalColumns & { status: string; holds: number };

		expect({ status: row.status, approval: approvalState(row) }).toEqual({ status, approval });
		expect(row.holds === 1).toBe(approval === 'approved');
	});
});
