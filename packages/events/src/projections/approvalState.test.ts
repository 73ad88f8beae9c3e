import { describe, expect, it } from 'vitest';
import { event, expectRows, projectionSpec, type SpecEvent } from '../testing/projectionSpec.js';
import { type ApprovalColumns, approvalHoldsSql, approvalState } from './approvalState.js';

// The one rule "the approval still matches the manifest", case by case,
// through the real projection: the status an install or a build leaves (the
// projection's SQL), the approval the catalogue reads (approvalState), and the
// SQL condition itself on the same row must all say the same.

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const P = 'c'.repeat(64);
const Q = 'd'.repeat(64);

const manifest = (manifest_hash: string, permissions_hash: string) => ({
	agent_id: 'echo',
	name: 'Echo',
	version: '1.0.0',
	manifest_path: '/home/u/Projects/echo/agentspace.agent.json',
	manifest_hash,
	permissions_hash,
	requested_permissions: ['network:egress:example.com'],
});
const installed = (m: string, p: string) =>
	event('agent_installed', {
		...manifest(m, p),
		source: 'https://example.com/echo.git',
		commit: '1'.repeat(40),
		install_path: '/h/agents/echo/src',
		permissions_changed: false,
	});
const discovered = (m: string, p: string) =>
	event('agent_updated', { ...manifest(m, p), previous_manifest_hash: B });
const enabled = (manifest_hash: string, permissions_hash: string) =>
	event('agent_enabled', {
		agent_id: 'echo',
		approved_permissions: ['network:egress:example.com'],
		manifest_hash,
		permissions_hash,
	});
const revoked = event('agent_permissions_revoked', { agent_id: 'echo' });
const built = event('agent_built', { agent_id: 'echo', build_id: 'b1', duration_ms: 5 });

interface Case {
	readonly name: string;
	readonly given: readonly SpecEvent[];
	/** An event whose status depends on the rule: a (re-)install or a build. */
	readonly when: SpecEvent;
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

const given = projectionSpec();

describe('the approval rule', () => {
	it.each(CASES)(
		'$name: $status, $approval',
		async ({ given: history, when, status, approval }) => {
			await given(history)
				.when(when)
				.thenExpect(
					// The projection's SQL decided the status…
					expectRows('SELECT status FROM agents', [{ status }]),
					// …the catalogue reads the approval through the TypeScript rule…
					(db) => {
						const row = db.$client.prepare('SELECT * FROM agents').get() as ApprovalColumns;
						expect(approvalState(row)).toBe(approval);
					},
					// …and the SQL condition agrees with it on the same row.
					expectRows(`SELECT (${approvalHoldsSql()}) AS holds FROM agents`, [
						{ holds: approval === 'approved' ? 1 : 0 },
					]),
				);
		},
	);
});
