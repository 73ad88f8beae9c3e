import { statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, REDACTED, sha256Hex } from '@agentspace/core';
import {
	type AgentSpaceDb,
	closeDb,
	getAuditEvents,
	openDb,
	verifyAuditChain,
} from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneToolCalls } from './pruneToolCalls.js';
import { queryToolCalls } from './queryToolCalls.js';
import { recordToolCall } from './recordToolCall.js';
import { ToolCallWriter } from './toolCallWriter.js';
import { MAX_SUMMARY_BYTES, type ToolCallInput } from './types.js';

let home: TempHome;
let db: AgentSpaceDb;
let dbPath: string;

beforeEach(() => {
	home = createTempHome('calllog');
	dbPath = join(home.home, 'agentspace.db');
	db = openDb({ path: dbPath });
});
afterEach(() => {
	closeDb(db);
	home.cleanup();
});

const user = { type: 'user', id: 'alice' } as const;
function call(overrides: Partial<ToolCallInput> = {}): ToolCallInput {
	return {
		caller: user,
		agentId: 'files',
		runId: 'run_1',
		tool: 'read',
		args: { path: '/tmp/x' },
		status: 'ok',
		durationMs: 3,
		...overrides,
	};
}

describe('recordToolCall', () => {
	it('writes one compact row: hash and redacted summary, never the full arguments', () => {
		const args = {
			path: '/tmp/x',
			token: 'hunter2-secret-value',
			nested: { note: 'Bearer abcdefghijklmnop' },
		};
		const record = recordToolCall(
			db,
			call({ args, caller: { ...user, detail: { ui: 'session 1' } } }),
		);
		expect(record.argsHash).toBe(sha256Hex(canonicalJson(args)));
		const row = db.$client.prepare('SELECT * FROM tool_calls').all() as Record<string, unknown>[];
		expect(row).toHaveLength(1);
		const stored = JSON.stringify(row[0]);
		expect(stored).not.toContain('hunter2');
		expect(stored).not.toContain('abcdefghijklmnop');
		expect(row[0]).toMatchObject({
			call_id: record.callId,
			caller_type: 'user',
			caller_id: 'alice',
			caller_detail: '{"ui":"session 1"}',
			agent_id: 'files',
			run_id: 'run_1',
			tool: 'read',
			status: 'ok',
			error_code: null,
			duration_ms: 3,
		});
		expect(record.summary).toBe(
			`{"path":"/tmp/x","token":"${REDACTED}","nested":{"note":"Bearer ${REDACTED}"}}`,
		);
		// Not a security event: only denials are audited.
		expect(db.$client.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
	});

	it('bounds the summary to 2 KB whatever the size of the arguments, keeping the note', () => {
		const args = { blob: 'é'.repeat(3_000_000), secret: 'x' };
		const record = recordToolCall(db, call({ args, status: 'error', note: 'agent said: no' }));
		expect(Buffer.byteLength(record.summary)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
		expect(record.summary).toMatch(/^\{"blob":"éé+… → agent said: no$/);
	});

	it('redacts a credential cut by the bound rather than keeping its first half', () => {
		const token = `ghp_${'a'.repeat(36)}`;
		const padding = 'p'.repeat(MAX_SUMMARY_BYTES - 30);
		const record = recordToolCall(db, call({ args: { text: `${padding} ${token}` } }));
		expect(record.summary).not.toContain('ghp_aaaa');
	});

	it("audits an MCP client's denial with the client as actor, not as a person", async () => {
		recordToolCall(
			db,
			call({
				caller: { type: 'mcp-client', id: 'claude-code' },
				status: 'denied',
				errorCode: 'PERMISSION_DENIED',
			}),
		);
		const [entry] = await getAuditEvents(db, { type: 'security.denied' });
		expect(entry?.actor).toEqual({ type: 'mcp-client', id: 'claude-code' });
	});

	it('audits a denial as security.denied in the same transaction', async () => {
		const record = recordToolCall(
			db,
			call({ status: 'denied', errorCode: 'PERMISSION_DENIED', note: 'tool files/read is denied' }),
		);
		const audit = await getAuditEvents(db, { type: 'security.denied' });
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			actor: { type: 'human', id: 'user:alice' },
			subject: { type: 'tool', id: 'files/read' },
			severity: 'security',
			correlationId: record.callId,
			metadata: {
				action: 'tool_call',
				errorCode: 'PERMISSION_DENIED',
				reason: 'tool files/read is denied',
			},
		});
		// A failed audit write takes the call's row with it: one transaction.
		db.$client.exec(
			"CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END",
		);
		expect(() =>
			recordToolCall(db, call({ status: 'denied', errorCode: 'PERMISSION_DENIED' })),
		).toThrow(/audit refused/);
		expect(db.$client.prepare('SELECT count(*) AS n FROM tool_calls').get()).toEqual({ n: 1 });
	});

	it('refuses a bad record with every problem, writing nothing', () => {
		const bad = {
			...call(),
			caller: { type: 'robot', id: '' },
			status: 'fine',
			durationMs: -1,
			agentId: '',
		} as unknown as ToolCallInput;
		let error: unknown;
		try {
			recordToolCall(db, bad);
		} catch (caught) {
			error = caught;
		}
		expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
			'caller.type',
			'caller.id',
			'agentId',
			'status',
			'durationMs',
		]);
		expect(db.$client.prepare('SELECT count(*) AS n FROM tool_calls').get()).toEqual({ n: 0 });
	});
});

describe('queryToolCalls', () => {
	function seed() {
		const base = Date.parse('2026-12-01T00:00:00Z');
		const statuses = ['ok', 'error', 'denied', 'timeout'] as const;
		for (let i = 0; i < 40; i++) {
			recordToolCall(
				db,
				call({
					agentId: i % 2 === 0 ? 'files' : 'web',
					tool: i % 4 < 2 ? 'read' : 'write',
					status: statuses[i % 4],
					at: new Date(base + i * 60_000).toISOString(),
				}),
			);
		}
	}

	it('filters by agent, tool, status and time, newest first, up to the limit', () => {
		seed();
		expect(queryToolCalls(db)).toHaveLength(40);
		const files = queryToolCalls(db, { agentId: 'files' });
		expect(files).toHaveLength(20);
		expect(files.every((c) => c.agentId === 'files')).toBe(true);
		expect(files[0]?.at).toBe('2026-12-01T00:38:00.000Z');
		expect(queryToolCalls(db, { tool: 'write', status: 'denied' }).map((c) => c.at)).toEqual(
			Array.from({ length: 10 }, (_, k) =>
				new Date(Date.parse('2026-12-01T00:00:00Z') + (38 - 4 * k) * 60_000).toISOString(),
			),
		);
		expect(queryToolCalls(db, { since: '2026-12-01T00:30:00Z' })).toHaveLength(10);
		expect(
			queryToolCalls(db, { since: '2026-12-01T01:30:00+01:00', before: '2026-12-01T00:32:00Z' }),
		).toHaveLength(2);
		expect(queryToolCalls(db, { limit: 3 })).toHaveLength(3);
	});

	it('uses an index for every filter (no full scan of the log)', () => {
		const plan = (sql: string) =>
			(db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
				.map((r) => r.detail)
				.join('; ');
		const select = 'SELECT call_id FROM tool_calls';
		const order = 'ORDER BY at DESC, rowid DESC LIMIT 100';
		expect(plan(`${select} ${order}`)).toMatch(/USING INDEX tool_calls_at_idx/);
		expect(plan(`${select} WHERE agent_id = 'a' ${order}`)).toMatch(
			/USING INDEX tool_calls_agent_at_idx/,
		);
		expect(plan(`${select} WHERE tool = 't' ${order}`)).toMatch(
			/USING INDEX tool_calls_tool_at_idx/,
		);
		expect(plan(`${select} WHERE status = 'ok' ${order}`)).toMatch(
			/USING INDEX tool_calls_status_at_idx/,
		);
		for (const sql of [`${select} ${order}`, `${select} WHERE agent_id = 'a' ${order}`])
			expect(plan(sql)).not.toMatch(/TEMP B-TREE/);
	});

	it('two filters: one index holds both, so filters that match nothing together read no rows', () => {
		const plan = (sql: string) =>
			(db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
				.map((r) => r.detail)
				.join('; ');
		const select = 'SELECT call_id FROM tool_calls';
		const order = 'ORDER BY at DESC, rowid DESC LIMIT 100';
		const cases: [string, RegExp][] = [
			["agent_id = 'a' AND tool = 't'", /tool_calls_agent_tool_at_idx \(agent_id=\? AND tool=\?\)/],
			[
				"agent_id = 'a' AND status = 'timeout'",
				/tool_calls_agent_status_at_idx \(agent_id=\? AND status=\?\)/,
			],
			[
				"tool = 't' AND status = 'timeout'",
				/tool_calls_tool_status_at_idx \(tool=\? AND status=\?\)/,
			],
			[
				"agent_id = 'a' AND status = 'timeout' AND at >= '2026-12-01T00:00:00.000Z'",
				/tool_calls_agent_status_at_idx \(agent_id=\? AND status=\? AND at>\?\)/,
			],
		];
		for (const [where, index] of cases) {
			const sql = `${select} WHERE ${where} ${order}`;
			expect(plan(sql), where).toMatch(index);
			expect(plan(sql), where).not.toMatch(/TEMP B-TREE/);
		}
	});

	it('refuses bad filters with every problem', () => {
		expect(() =>
			queryToolCalls(db, { status: 'bogus', since: 'yesterday', limit: 0, colour: 'red' } as never),
		).toThrow(
			expect.objectContaining({
				code: 'VALIDATION_FAILED',
				issues: [
					{ path: 'colour', message: 'unknown filter' },
					{ path: 'status', message: expect.any(String) },
					{ path: 'since', message: expect.any(String) },
					{ path: 'limit', message: expect.any(String) },
				],
			}),
		);
	});
});

describe('pruneToolCalls', () => {
	it('deletes calls older than the retention, audits the count, never touches the audit log', async () => {
		const now = new Date('2026-12-31T00:00:00Z');
		for (const daysAgo of [40, 35, 31, 29, 1])
			recordToolCall(
				db,
				call({ at: new Date(now.getTime() - daysAgo * 86_400_000).toISOString() }),
			);
		recordToolCall(
			db,
			call({ status: 'denied', errorCode: 'PERMISSION_DENIED', at: '2026-01-01T00:00:00Z' }),
		);
		const result = pruneToolCalls(db, { actor: { type: 'human', id: 'alice' }, now });
		expect(result).toMatchObject({ deleted: 4, cutoff: '2026-12-01T00:00:00.000Z' });
		expect(queryToolCalls(db).map((c) => c.at)).toEqual([
			'2026-12-30T00:00:00.000Z',
			'2026-12-02T00:00:00.000Z',
		]);
		const audit = await getAuditEvents(db, { order: 'asc' });
		expect(audit.map((a) => a.eventType)).toEqual(['security.denied', 'tool_calls.pruned']);
		expect(audit[1]).toMatchObject({
			id: result.auditId,
			actor: { type: 'human', id: 'alice' },
			metadata: { deleted: 4, olderThanDays: 30, cutoff: '2026-12-01T00:00:00.000Z' },
		});
		expect((await verifyAuditChain(db)).ok).toBe(true);
		// Nothing to delete: still audited, with zero.
		expect(pruneToolCalls(db, { olderThanDays: 60, actor: { type: 'system' }, now })).toMatchObject(
			{
				deleted: 0,
			},
		);
	});

	it('deletes in batches, and all of them', () => {
		const insert = db.$client.prepare(
			"INSERT INTO tool_calls VALUES (?, '2020-01-01T00:00:00.000Z', 'user', 'a', NULL, 'x', NULL, 't', 'h', '{}', 'ok', NULL, 1)",
		);
		db.$client.transaction(() => {
			for (let i = 0; i < 45_000; i++) insert.run(`call_${i}`);
		})();
		expect(pruneToolCalls(db, { actor: { type: 'system' } }).deleted).toBe(45_000);
		expect(statSync(dbPath).size).toBeGreaterThan(0);
		expect(db.$client.prepare('SELECT count(*) AS n FROM tool_calls').get()).toEqual({ n: 0 });
	});

	it('stops at a limit with more: true and no audit entry; the last call audits the total', async () => {
		const insert = db.$client.prepare(
			"INSERT INTO tool_calls VALUES (?, '2020-01-01T00:00:00.000Z', 'user', 'a', NULL, 'x', NULL, 't', 'h', '{}', 'ok', NULL, 1)",
		);
		db.$client.transaction(() => {
			for (let i = 0; i < 25; i++) insert.run(`call_${i}`);
		})();
		const now = new Date();
		const steps: { deleted: number; more: boolean; auditId?: number }[] = [];
		let deletedEarlier = 0;
		for (;;) {
			const step = pruneToolCalls(db, {
				actor: { type: 'system' },
				now,
				limit: 10,
				deletedEarlier,
			});
			steps.push(step);
			deletedEarlier += step.deleted;
			if (!step.more) break;
		}
		expect(steps.map((step) => [step.deleted, step.more])).toEqual([
			[10, true],
			[10, true],
			[5, false],
		]);
		expect(steps.slice(0, 2).every((step) => step.auditId === undefined)).toBe(true);
		const audit = await getAuditEvents(db, { order: 'asc' });
		expect(audit.map((a) => [a.eventType, a.metadata?.deleted])).toEqual([
			['tool_calls.pruned', 25],
		]);
		expect(() => pruneToolCalls(db, { actor: { type: 'system' }, limit: 0 })).toThrow(
			expect.objectContaining({ code: 'VALIDATION_FAILED' }),
		);
	});

	it.each([0, -1, Number.NaN, 40_000])(
		'refuses a retention of %s days, deleting nothing',
		(days) => {
			recordToolCall(db, call({ at: '2000-01-01T00:00:00Z' }));
			expect(() => pruneToolCalls(db, { olderThanDays: days, actor: { type: 'system' } })).toThrow(
				expect.objectContaining({ code: 'VALIDATION_FAILED' }),
			);
			expect(queryToolCalls(db)).toHaveLength(1);
		},
	);
});

describe('ToolCallWriter', () => {
	const count = () =>
		(db.$client.prepare('SELECT count(*) AS n FROM tool_calls').get() as { n: number }).n;

	it('commits the calls of one turn together, each resolving once it is on disk', async () => {
		const writer = new ToolCallWriter(db);
		const pending = Array.from({ length: 50 }, (_, i) =>
			writer.record(
				call({
					tool: `t${i}`,
					...(i === 7 ? { status: 'denied', errorCode: 'PERMISSION_DENIED' } : {}),
				}),
			),
		);
		// Nothing is written within the turn that recorded them.
		expect(count()).toBe(0);
		const records = await Promise.all(pending);
		expect(count()).toBe(50);
		expect(records.map((r) => r.tool)).toEqual(Array.from({ length: 50 }, (_, i) => `t${i}`));
		const denials = await getAuditEvents(db, { type: 'security.denied' });
		expect(denials.map((d) => d.correlationId)).toEqual([records[7]?.callId]);
	});

	it('fails only the call whose write failed; the rest of its batch commits', async () => {
		const writer = new ToolCallWriter(db);
		recordToolCall(db, call({ callId: 'call_taken' }));
		// The audit log refuses this call's denial after its row was inserted:
		// its savepoint takes the row back with it.
		db.$client.exec(
			"CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END",
		);
		const results = await Promise.allSettled([
			writer.record(call({ tool: 'a' })),
			writer.record(call({ tool: 'dup', callId: 'call_taken' })),
			writer.record(call({ tool: 'denied', status: 'denied', errorCode: 'PERMISSION_DENIED' })),
			writer.record(call({ tool: 'b' })),
		]);
		expect(results.map((r) => r.status)).toEqual([
			'fulfilled',
			'rejected',
			'rejected',
			'fulfilled',
		]);
		expect(
			queryToolCalls(db)
				.map((c) => c.tool)
				.sort(),
		).toEqual(['a', 'b', 'read']);
	});

	it('rejects a bad record at once, writing nothing', async () => {
		const writer = new ToolCallWriter(db);
		await expect(writer.record(call({ durationMs: -1 }))).rejects.toMatchObject({
			code: 'VALIDATION_FAILED',
		});
		await new Promise((resolve) => setImmediate(resolve));
		expect(count()).toBe(0);
	});
	it('folds repeated denials of one kind in the audit log; the call log keeps every call', async () => {
		let now = 1_000_000;
		const writer = new ToolCallWriter(db, { denialWindowMs: 10_000, now: () => now });
		const denied = (overrides: Partial<ToolCallInput> = {}) =>
			writer.record(
				call({ tool: 'write', status: 'denied', errorCode: 'PERMISSION_DENIED', ...overrides }),
			);
		const audit = async () =>
			(await getAuditEvents(db, { type: 'security.denied', order: 'asc' })).map((entry) => ({
				actor: entry.actor.id,
				subject: entry.subject?.id,
				code: entry.metadata.errorCode,
				folded: entry.metadata.foldedBefore,
				count:
					entry.metadata.reason ===
					'tool call denials folded into a count (each is in the call log)',
				callId: entry.correlationId,
			}));
		// A script hammering a denied tool: 20 calls, one audit entry.
		const hammered = await Promise.all(Array.from({ length: 20 }, () => denied()));
		// Other kinds are entries of their own: another caller, another code.
		const byAgent = await denied({ caller: { type: 'agent', id: 'bot' } });
		const drift = await denied({ errorCode: 'PERMISSION_DRIFT' });
		expect(count()).toBe(22);
		const first = [
			{
				actor: 'user:alice',
				subject: 'files/write',
				code: 'PERMISSION_DENIED',
				folded: undefined,
				count: false,
				callId: hammered[0]?.callId,
			},
			{
				actor: 'agent:bot',
				subject: 'files/write',
				code: 'PERMISSION_DENIED',
				folded: undefined,
				count: false,
				callId: byAgent.callId,
			},
			{
				actor: 'user:alice',
				subject: 'files/write',
				code: 'PERMISSION_DRIFT',
				folded: undefined,
				count: false,
				callId: drift.callId,
			},
		];
		expect(await audit()).toEqual(first);
		// The window ends: the next denial is an entry carrying the 19 folded before it.
		now += 10_000;
		const next = await denied();
		const carried = {
			actor: 'user:alice',
			subject: 'files/write',
			code: 'PERMISSION_DENIED',
			folded: 19,
			count: false,
			callId: next.callId,
		};
		expect(await audit()).toEqual([...first, carried]);
		// A flood that stops: its count is an entry of its own once its window has ended,
		// written with the next commit (here an allowed call's)…
		for (let i = 0; i < 5; i++) await denied();
		now += 10_000;
		await writer.record(call());
		const counted = {
			actor: 'user:alice',
			subject: 'files/write',
			code: 'PERMISSION_DENIED',
			folded: 5,
			count: true,
			callId: null,
		};
		expect(await audit()).toEqual([...first, carried, counted]);
		// …or when the writer closes.
		const reopened = await denied();
		await denied();
		await denied();
		writer.close();
		expect((await audit()).slice(-2)).toEqual([
			{ ...carried, folded: undefined, callId: reopened.callId },
			{ ...counted, folded: 2 },
		]);
		// Every denial is accounted for exactly once: 20 + 1 + 1 + 1 + 5 + 3 in the call log.
		const entries = await audit();
		const represented = entries.reduce(
			(sum, e) => sum + (e.count ? 0 : 1) + Number(e.folded ?? 0),
			0,
		);
		expect(represented).toBe(31);
		expect(queryToolCalls(db, { status: 'denied' })).toHaveLength(31);
	});
});
