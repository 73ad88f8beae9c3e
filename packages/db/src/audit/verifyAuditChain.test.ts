import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createTempHome, runNodeAsync, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createInMemoryDb, openDb } from '../connection/openDb.js';
import type { AgentSpaceDb } from '../connection/types.js';
import { computeAuditHash } from './auditHash.js';
import { recordAuditEvent } from './recordAuditEvent.js';
import { verifyAuditChain } from './verifyAuditChain.js';

let db: AgentSpaceDb;
beforeEach(async () => {
	db = createInMemoryDb();
	for (let i = 1; i <= 5; i++) {
		await recordAuditEvent(db, {
			eventType: 'step',
			subject: { type: 'test', id: `s${i}` },
			metadata: { n: i },
		});
	}
});
afterEach(() => closeDb(db));

/** Tampering as an attacker with raw SQL access would: the triggers go first. */
function tamper(sql: string): void {
	db.$client.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
	db.$client.exec(sql);
}

describe('computeAuditHash', () => {
	it('matches the formula in specs/audit-log.md (fixed vector)', () => {
		const row = {
			id: 1,
			ts: '2026-01-01T00:00:00.000Z',
			eventType: 'mode_changed',
			actorType: 'human',
			actorId: 'alice',
			subjectType: 'config',
			subjectId: 'securityMode',
			correlationId: null,
			causationId: null,
			severity: 'security',
			sourceApp: 'agentspace-cli',
			sourceIp: null,
			metadata: '{"from":"limited-control","to":"full-control"}',
			prevHash: '0'.repeat(64),
		};
		const content = `agentspace-audit-v1\n${JSON.stringify(Object.values(row))}`;
		expect(computeAuditHash(row)).toBe(createHash('sha256').update(content).digest('hex'));
		expect(computeAuditHash(row)).toBe(
			'5d5dca6cad9337c1d55b6a8a0a1b906dad6c75e74c0878dd179bf39c4b039751',
		);
	});
});

describe('verifyAuditChain', () => {
	it('accepts an untouched chain and reports its head', async () => {
		const last = db.$client
			.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1')
			.pluck()
			.get();
		expect(await verifyAuditChain(db)).toEqual({ ok: true, count: 5, headHash: last });
	});

	it('accepts an empty log', async () => {
		const empty = createInMemoryDb();
		expect(await verifyAuditChain(empty)).toMatchObject({ ok: true, count: 0 });
		closeDb(empty);
	});

	it('detects an edited row and names it', async () => {
		tamper(`UPDATE audit_log SET metadata = '{"n":99}' WHERE id = 3`);
		expect(await verifyAuditChain(db)).toMatchObject({
			ok: false,
			firstBadId: 3,
			reason: 'hash_mismatch',
			count: 2,
		});
	});

	it('detects an edited row whose hash was recomputed, at the next row', async () => {
		const row = db.$client.prepare('SELECT * FROM audit_log WHERE id = 3').get() as Record<
			string,
			unknown
		>;
		const forged = computeAuditHash({
			id: 3,
			ts: row.ts as string,
			eventType: 'step',
			actorType: row.actor_type as string,
			actorId: null,
			subjectType: 'test',
			subjectId: 's3',
			correlationId: null,
			causationId: null,
			severity: 'info',
			sourceApp: null,
			sourceIp: null,
			metadata: '{"n":99}',
			prevHash: row.prev_hash as string,
		});
		tamper(`UPDATE audit_log SET metadata = '{"n":99}', hash = '${forged}' WHERE id = 3`);
		expect(await verifyAuditChain(db)).toMatchObject({
			ok: false,
			firstBadId: 4,
			reason: 'broken_link',
		});
	});

	it('detects a deleted row in the middle', async () => {
		tamper('DELETE FROM audit_log WHERE id = 2');
		const result = await verifyAuditChain(db);
		expect(result).toMatchObject({ ok: false, firstBadId: 3, reason: 'missing_rows', count: 1 });
		expect(result.ok === false && result.message).toMatch(/row 2 is missing before row 3/);
	});

	it('detects a deleted row even when the ids were renumbered to hide the gap', async () => {
		tamper('DELETE FROM audit_log WHERE id = 2; UPDATE audit_log SET id = id - 1 WHERE id > 2;');
		expect(await verifyAuditChain(db)).toMatchObject({
			ok: false,
			firstBadId: 2,
			reason: 'broken_link',
		});
	});

	it('detects re-ordered rows', async () => {
		// Swap rows 2 and 4 by exchanging their ids.
		tamper(
			'UPDATE audit_log SET id = -2 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = 4; UPDATE audit_log SET id = 4 WHERE id = -2;',
		);
		expect(await verifyAuditChain(db)).toMatchObject({
			ok: false,
			firstBadId: 2,
			reason: 'broken_link',
		});
	});

	it('detects rows cut off the end', async () => {
		tamper('DELETE FROM audit_log WHERE id >= 4');
		const result = await verifyAuditChain(db);
		expect(result).toMatchObject({ ok: false, firstBadId: 4, reason: 'truncated', count: 3 });
		expect(result.ok === false && result.message).toMatch(/rows 4-5 were deleted/);
	});

	it('still detects a cut-off end after new rows were appended', async () => {
		tamper('DELETE FROM audit_log WHERE id = 5');
		await recordAuditEvent(db, { eventType: 'after' });
		expect(await verifyAuditChain(db)).toMatchObject({
			ok: false,
			firstBadId: 6,
			reason: 'missing_rows',
		});
	});
});

describe('audit chain under concurrent writers (multi-process)', () => {
	let temp: TempHome;
	beforeEach(() => {
		temp = createTempHome('audit-mp');
	});
	afterEach(() => temp.cleanup());

	it('stays valid when several processes append at once, and none sees SQLITE_BUSY', async () => {
		const path = join(temp.home, 'agentspace.db');
		const script = (writer: number) => `
			const { openDb, recordAuditEvent, closeDb } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
			const db = openDb({ path: ${JSON.stringify(path)} });
			for (let i = 0; i < 150; i++) await recordAuditEvent(db, { eventType: 'concurrent', metadata: { writer: ${writer}, i } });
			closeDb(db);
		`;
		const runs = [1, 2, 3].map((writer) =>
			runNodeAsync('--input-type=module', ['-e', script(writer)]),
		);
		for (const run of await Promise.all(runs)) expect(run).toMatchObject({ status: 0, stderr: '' });
		const fileDb = openDb({ path });
		expect(await verifyAuditChain(fileDb)).toMatchObject({ ok: true, count: 450 });
		closeDb(fileDb);
	});
});
