import { hasErrorCode, isValidationError, REDACTED } from '@agentspace/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createInMemoryDb } from '../connection/openDb.js';
import type { AgentSpaceDb } from '../connection/types.js';
import { withImmediateTransaction } from '../connection/withImmediateTransaction.js';
import { appendAuditRecord } from './appendAuditRecord.js';
import { GENESIS_HASH } from './auditHash.js';
import { buildAuditQuery, getAuditEvents } from './getAuditEvents.js';
import { recordAuditEvent } from './recordAuditEvent.js';
import { verifyAuditChain } from './verifyAuditChain.js';

let db: AgentSpaceDb;
beforeEach(() => {
	db = createInMemoryDb();
});
afterEach(() => closeDb(db));

const count = () => db.$client.prepare('SELECT count(*) FROM audit_log').pluck().get();

describe('recordAuditEvent', () => {
	it('stores every field, fills defaults, and chains each row to the one before', async () => {
		const first = await recordAuditEvent(db, {
			eventType: 'mode_changed',
			actor: { type: 'human', id: 'alice' },
			subject: { type: 'config', id: 'securityMode' },
			correlationId: 'cor_1',
			causationId: 'cmd_1',
			severity: 'security',
			sourceApp: 'agentspace-cli',
			sourceIp: '127.0.0.1',
			metadata: { from: 'limited-control', to: 'full-control' },
		});
		const second = await recordAuditEvent(db, { eventType: 'security.denied' });
		expect(first).toMatchObject({
			id: 1,
			eventType: 'mode_changed',
			actor: { type: 'human', id: 'alice' },
			subject: { type: 'config', id: 'securityMode' },
			correlationId: 'cor_1',
			causationId: 'cmd_1',
			severity: 'security',
			sourceApp: 'agentspace-cli',
			sourceIp: '127.0.0.1',
			metadata: { from: 'limited-control', to: 'full-control' },
			prevHash: GENESIS_HASH,
		});
		expect(second).toMatchObject({
			id: 2,
			actor: { type: 'system', id: null },
			severity: 'info',
			subject: null,
			metadata: {},
		});
		expect(second.prevHash).toBe(first.hash);
		expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('records an MCP client as the actor, and the chain verifies', async () => {
		const entry = await recordAuditEvent(db, {
			eventType: 'agent.started',
			actor: { type: 'mcp-client', id: 'claude-code' },
		});
		expect(entry.actor).toEqual({ type: 'mcp-client', id: 'claude-code' });
		expect((await verifyAuditChain(db)).ok).toBe(true);
	});

	it('rejects invalid input, naming every field, and writes nothing', async () => {
		const error = await recordAuditEvent(db, {
			eventType: 'Not Valid',
			severity: 'meh' as 'info',
			actor: { type: 'robot' as 'agent' },
		}).catch((e: unknown) => e);
		expect(isValidationError(error)).toBe(true);
		expect((error as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
			'actor.type',
			'eventType',
			'severity',
		]);
		expect(count()).toBe(0);
	});

	it('refuses metadata that is not plain JSON', async () => {
		const error = await recordAuditEvent(db, {
			eventType: 'x',
			metadata: { when: new Date(), n: 10n } as never,
		}).catch((e: unknown) => e);
		expect(isValidationError(error)).toBe(true);
		expect((error as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
			'metadata.n',
			'metadata.when',
		]);
		expect(count()).toBe(0);
	});

	it('normalises a caller’s timestamp to UTC milliseconds', async () => {
		const record = await recordAuditEvent(db, {
			eventType: 'x',
			timestamp: '2026-01-01T12:00:00+02:00',
		});
		expect(record.timestamp).toBe('2026-01-01T10:00:00.000Z');
		expect((await getAuditEvents(db, { until: '2026-01-01T10:00:00Z' })).map((e) => e.id)).toEqual([
			record.id,
		]);
	});

	it('redacts secrets in ids and other text fields too', async () => {
		await recordAuditEvent(db, {
			eventType: 'x',
			actor: { type: 'agent', id: 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' },
			subject: { type: 'url', id: 'https://bob:hunter2pass@example.com' },
			correlationId: 'token=abcdef123456',
		});
		const raw = JSON.stringify(db.$client.prepare('SELECT * FROM audit_log').get());
		for (const secret of ['ghp_0123456789', 'hunter2pass', 'abcdef123456'])
			expect(raw).not.toContain(secret);
	});

	it('redacts secrets in metadata before they reach the table', async () => {
		await recordAuditEvent(
			db,
			{
				eventType: 'secret.read',
				metadata: {
					name: 'github',
					token: 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB',
					headers: { Authorization: 'Bearer abc.def.ghi-jkl' },
					note: 'used https://bob:hunter2pass@example.com and AKIAIOSFODNN7EXAMPLE',
					value: 'opaque-session-value',
				},
			},
			{ secrets: ['opaque-session-value'] },
		);
		const raw = db.$client.prepare('SELECT metadata FROM audit_log').pluck().get() as string;
		for (const secret of [
			'ghp_0123456789',
			'abc.def.ghi-jkl',
			'hunter2pass',
			'AKIAIOSFODNN7EXAMPLE',
			'opaque-session-value',
		]) {
			expect(raw).not.toContain(secret);
		}
		expect(JSON.parse(raw)).toMatchObject({
			name: 'github',
			token: REDACTED,
			headers: { Authorization: REDACTED },
			value: REDACTED,
		});
	});
});

describe('appendAuditRecord (unit of work)', () => {
	it('commits together with the caller’s other writes, or not at all', () => {
		db.$client.exec('CREATE TABLE side (v TEXT)');
		expect(() =>
			withImmediateTransaction(db, (tx) => {
				appendAuditRecord(tx, { eventType: 'agent_enabled' });
				tx.$client.exec(`INSERT INTO side VALUES ('x')`);
				throw new Error('handler failed');
			}),
		).toThrow('handler failed');
		expect(count()).toBe(0);
		withImmediateTransaction(db, (tx) => {
			appendAuditRecord(tx, { eventType: 'agent_enabled' });
			tx.$client.exec(`INSERT INTO side VALUES ('y')`);
		});
		expect(count()).toBe(1);
	});

	it('refuses to run outside a transaction', () => {
		expect(() => appendAuditRecord(db, { eventType: 'x' })).toThrow(/inside a write transaction/);
	});
});

describe('append-only triggers', () => {
	it('reject UPDATE and DELETE', async () => {
		await recordAuditEvent(db, { eventType: 'x' });
		expect(() => db.$client.exec(`UPDATE audit_log SET event_type = 'y'`)).toThrow(
			/append-only: UPDATE/,
		);
		expect(() => db.$client.exec('DELETE FROM audit_log')).toThrow(/append-only: DELETE/);
		expect(count()).toBe(1);
	});
});

describe('getAuditEvents', () => {
	beforeEach(async () => {
		const entries = [
			{
				eventType: 'mode_changed',
				subject: { type: 'config', id: 'securityMode' },
				timestamp: '2026-01-01T10:00:00.000Z',
			},
			{
				eventType: 'agent_built',
				subject: { type: 'agent', id: 'a1' },
				timestamp: '2026-01-02T10:00:00.000Z',
			},
			{
				eventType: 'agent_built',
				subject: { type: 'agent', id: 'a2' },
				timestamp: '2026-01-03T10:00:00.000Z',
			},
			{
				eventType: 'security.denied',
				subject: { type: 'agent', id: 'a1' },
				timestamp: '2026-01-04T10:00:00.000Z',
			},
		];
		for (const entry of entries) await recordAuditEvent(db, entry);
	});

	const ids = async (query: Parameters<typeof getAuditEvents>[1]) =>
		(await getAuditEvents(db, query)).map((e) => e.id);

	it('returns newest first by default, oldest first on request, and honours limit', async () => {
		expect(await ids({})).toEqual([4, 3, 2, 1]);
		expect(await ids({ order: 'asc' })).toEqual([1, 2, 3, 4]);
		expect(await ids({ limit: 2 })).toEqual([4, 3]);
	});

	it('filters by type, subject and time range', async () => {
		expect(await ids({ type: 'agent_built' })).toEqual([3, 2]);
		expect(await ids({ type: ['mode_changed', 'security.denied'] })).toEqual([4, 1]);
		expect(await ids({ subjectType: 'agent' })).toEqual([4, 3, 2]);
		expect(await ids({ subjectType: 'agent', subjectId: 'a1' })).toEqual([4, 2]);
		expect(await ids({ since: '2026-01-02T10:00:00Z', until: '2026-01-03T10:00:00Z' })).toEqual([
			3, 2,
		]);
		expect(await ids({ since: '2026-01-02T00:00:00+02:00' })).toEqual([4, 3, 2]);
	});

	it('rejects bad filters with every problem listed', async () => {
		const error = await getAuditEvents(db, { limit: 0, since: 'yesterday' }).catch(
			(e: unknown) => e,
		);
		expect(hasErrorCode(error, 'VALIDATION_FAILED')).toBe(true);
		expect((error as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual([
			'limit',
			'since',
		]);
	});

	it.each([
		[{ type: 'x' }, 'audit_log_event_type_idx'],
		[{ subjectType: 'agent', subjectId: 'a1' }, 'audit_log_subject_idx'],
		[{ since: '2026-01-01T00:00:00Z' }, 'audit_log_ts_idx'],
		[
			{ since: '2026-01-01T00:00:00Z', until: '2026-02-01T00:00:00Z', order: 'asc' as const },
			'audit_log_ts_idx',
		],
	])('backs the filter %j with %s, without a sort step', (query, index) => {
		const { sql, params } = buildAuditQuery(db, query).toSQL();
		const plan = (
			db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as unknown[])) as {
				detail: string;
			}[]
		)
			.map((row) => row.detail)
			.join(' | ');
		expect(plan).toContain(`USING INDEX ${index}`);
		expect(plan).not.toMatch(/TEMP B-TREE/);
	});
});

describe('REPLACE cannot slip past the append-only guards', () => {
	it('INSERT OR REPLACE over an existing audit row is refused', async () => {
		const db = createInMemoryDb();
		await recordAuditEvent(db, { eventType: 'x' });
		expect(() =>
			db.$client.exec(
				`INSERT OR REPLACE INTO audit_log (id, ts, event_type, actor_type, severity, metadata, prev_hash, hash) VALUES (1, '2026-01-01T00:00:00.000Z', 'forged', 'system', 'info', '{}', 'p', 'h')`,
			),
		).toThrow(/append-only: DELETE/);
		expect((await getAuditEvents(db)).map((r) => r.eventType)).toEqual(['x']);
	});
});

describe('write transactions', () => {
	it('appendAuditRecord refuses a DEFERRED transaction (it could meet SQLITE_BUSY_SNAPSHOT)', () => {
		const db = createInMemoryDb();
		const deferred = db.$client.transaction(() => appendAuditRecord(db, { eventType: 'x' }));
		expect(() => deferred()).toThrow(/inside a write transaction/);
		expect(withImmediateTransaction(db, (tx) => appendAuditRecord(tx, { eventType: 'x' })).id).toBe(
			1,
		);
	});
});
