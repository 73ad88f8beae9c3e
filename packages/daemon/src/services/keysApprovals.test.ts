// The limited-control gate of the LLM endpoint over a real home database:
// what waits, what passes at once, and what the audit log says.
import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import type { SecurityMode } from '@agentspace/core';
import { hasErrorCode } from '@agentspace/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LlmUseApprovals } from './keysApprovals.js';
import type { RegisteredRun } from './keysRunRegistry.js';
import { RunRegistry } from './keysRunRegistry.js';

const human = { type: 'human', id: 'tester' } as const;
let temp: TempHomeDb;
let mode: SecurityMode;
let approvals: LlmUseApprovals;

const run = (runId: string, remembered = false, agentId = 'writer'): RegisteredRun => ({
	agentId,
	runId,
	llm: [{ provider: 'anthropic', remembered }],
});

const audits = () =>
	temp.db.$client
		.prepare(
			`SELECT event_type, actor_type, actor_id, subject_id, metadata FROM audit_log WHERE event_type LIKE 'llm_use_%' ORDER BY id`,
		)
		.all() as {
		event_type: string;
		actor_type: string;
		actor_id: string;
		subject_id: string;
		metadata: string;
	}[];

/** Resolves once `predicate` holds (the gate's audit writes are not awaited by its callers). */
async function until(predicate: () => boolean): Promise<void> {
	for (let i = 0; i < 400 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
	expect(predicate()).toBe(true);
}

beforeEach(() => {
	temp = openTempHomeDb('daemon-keys-approvals');
	mode = 'limited-control';
	approvals = new LlmUseApprovals({ db: temp.db, securityMode: () => mode });
});
afterEach(() => {
	approvals.close();
	temp.cleanup();
});

describe('LlmUseApprovals', () => {
	it('lets full-control and remembered grants through without asking', async () => {
		expect(
			await approvals.approveFirstUse(run('r1', true), 'anthropic', new AbortController().signal),
		).toBe(true);
		mode = 'full-control';
		expect(
			await approvals.approveFirstUse(run('r2'), 'anthropic', new AbortController().signal),
		).toBe(true);
		expect(approvals.pending()).toEqual([]);
		expect(audits()).toEqual([]);
	});

	it('refuses a provider the run was not approved for, without asking', async () => {
		expect(await approvals.approveFirstUse(run('r1'), 'openai', new AbortController().signal)).toBe(
			false,
		);
		expect(approvals.pending()).toEqual([]);
	});

	it('holds concurrent first uses on one question until approved, then passes the run at once', async () => {
		const first = approvals.approveFirstUse(run('r1'), 'anthropic', new AbortController().signal);
		const second = approvals.approveFirstUse(run('r1'), 'anthropic', new AbortController().signal);
		expect(approvals.pending()).toMatchObject([
			{ agentId: 'writer', runId: 'r1', provider: 'anthropic', waiting: 2 },
		]);
		const decision = await approvals.decide({
			agentId: 'writer',
			provider: 'anthropic',
			deny: false,
			actor: human,
		});
		expect(decision).toEqual({
			agentId: 'writer',
			provider: 'anthropic',
			decision: 'approved',
			runs: ['r1'],
		});
		expect(await first).toBe(true);
		expect(await second).toBe(true);
		expect(
			await approvals.approveFirstUse(run('r1'), 'anthropic', new AbortController().signal),
		).toBe(true);
		expect(approvals.pending()).toEqual([]);
		await until(() => audits().length === 2);
		expect(audits().map((a) => [a.event_type, a.actor_type, a.actor_id, a.subject_id])).toEqual([
			['llm_use_requested', 'agent', 'writer', 'anthropic'],
			['llm_use_approved', 'human', 'tester', 'anthropic'],
		]);
		expect(JSON.parse(audits()[0]?.metadata ?? '{}')).toEqual({
			provider: 'anthropic',
			agentId: 'writer',
			runId: 'r1',
		});
		// Another run of the same agent asks again: an approval holds for its run only.
		const next = approvals.approveFirstUse(run('r2'), 'anthropic', new AbortController().signal);
		expect(approvals.pending()).toMatchObject([{ runId: 'r2' }]);
		approvals.endRun('r2');
		expect(await next).toBe(false);
	});

	it('refuses on --deny, and refuses the rest of the run without asking again', async () => {
		const waiting = approvals.approveFirstUse(run('r1'), 'anthropic', new AbortController().signal);
		await approvals.decide({ agentId: 'writer', provider: 'anthropic', deny: true, actor: human });
		expect(await waiting).toBe(false);
		expect(
			await approvals.approveFirstUse(run('r1'), 'anthropic', new AbortController().signal),
		).toBe(false);
		expect(approvals.pending()).toEqual([]);
		await until(() => audits().length === 2);
		expect(audits().map((a) => [a.event_type, a.actor_id])).toEqual([
			['llm_use_requested', 'writer'],
			['llm_use_denied', 'tester'],
		]);
	});

	it('refuses when nobody answers in time (audited by the daemon), and asks again on the next request', async () => {
		approvals = new LlmUseApprovals({ db: temp.db, securityMode: () => mode, timeoutMs: 50 });
		expect(
			await approvals.approveFirstUse(run('r1'), 'anthropic', new AbortController().signal),
		).toBe(false);
		await until(() => audits().length === 2);
		const denied = audits()[1];
		expect([denied?.event_type, denied?.actor_type, denied?.actor_id]).toEqual([
			'llm_use_denied',
			'system',
			'agentspace-daemon',
		]);
		expect(JSON.parse(denied?.metadata ?? '{}').reason).toMatch(/no answer/);
		const again = approvals.approveFirstUse(run('r1'), 'anthropic', new AbortController().signal);
		expect(approvals.pending()).toMatchObject([{ runId: 'r1', waiting: 1 }]);
		approvals.endRun('r1');
		expect(await again).toBe(false);
	});

	it('stops waiting for a client that went away, and drops the question once nobody waits', async () => {
		const one = new AbortController();
		const two = new AbortController();
		const first = approvals.approveFirstUse(run('r1'), 'anthropic', one.signal);
		const second = approvals.approveFirstUse(run('r1'), 'anthropic', two.signal);
		one.abort();
		expect(await first).toBe(false);
		expect(approvals.pending()).toMatchObject([{ runId: 'r1', waiting: 1 }]);
		two.abort();
		expect(await second).toBe(false);
		expect(approvals.pending()).toEqual([]);
	});

	it('says NOT_FOUND when nothing of that agent and provider waits', async () => {
		const error = await approvals
			.decide({ agentId: 'writer', provider: 'anthropic', deny: false, actor: human })
			.catch((caught: unknown) => caught);
		expect(hasErrorCode(error, 'NOT_FOUND')).toBe(true);
		expect((error as Error).message).toContain('writer');
	});

	it('refuses what waits when the run ends or the daemon closes', async () => {
		const ending = approvals.approveFirstUse(run('r1'), 'anthropic', new AbortController().signal);
		const closing = approvals.approveFirstUse(
			run('r2', false, 'other'),
			'anthropic',
			new AbortController().signal,
		);
		approvals.endRun('r1');
		expect(await ending).toBe(false);
		approvals.close();
		expect(await closing).toBe(false);
		expect(approvals.pending()).toEqual([]);
	});
});

describe('RunRegistry', () => {
	it('knows a run by its token while it lives, then as ended; never by another token', () => {
		const registry = new RunRegistry();
		const ended: string[] = [];
		registry.onEnded((r) => ended.push(r.runId));
		const release = registry.register({
			agentId: 'writer',
			runId: 'r1',
			sessionToken: 'secret-one',
			llm: [{ provider: 'anthropic', remembered: true }],
		});
		expect(registry.lookup('secret-one')).toEqual({
			found: 'live',
			run: { agentId: 'writer', runId: 'r1', llm: [{ provider: 'anthropic', remembered: true }] },
		});
		expect(registry.lookup('secret-two')).toEqual({ found: 'none' });
		release();
		release();
		expect(registry.lookup('secret-one')).toEqual({
			found: 'ended',
			agentId: 'writer',
			runId: 'r1',
		});
		expect(ended).toEqual(['r1']);
		expect(registry.size).toBe(0);
	});
});
