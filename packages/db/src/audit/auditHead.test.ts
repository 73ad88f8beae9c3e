import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createInMemoryDb } from '../connection/openDb.js';
import type { AgentSpaceDb } from '../connection/types.js';
import { computeAuditHash, GENESIS_HASH } from './auditHash.js';
import { findAuditPosition, formatAuditHead, parseAuditHead, readAuditHead } from './auditHead.js';
import { recordAuditEvent } from './recordAuditEvent.js';
import { verifyAuditChain } from './verifyAuditChain.js';

let db: AgentSpaceDb;
const record = (n: number) =>
	recordAuditEvent(db, {
		eventType: 'step',
		subject: { type: 'test', id: `s${n}` },
		metadata: { n },
	});
beforeEach(async () => {
	db = createInMemoryDb();
	for (let i = 1; i <= 5; i++) await record(i);
});
afterEach(() => closeDb(db));

interface RawRow {
	[column: string]: string | number | null;
}

/**
 * What an attacker with raw SQL access can do that the chain alone does not
 * show: edit row `from` and recompute every hash after it (and the sequence).
 */
function rewriteFrom(from: number): void {
	const client = db.$client;
	client.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
	const rows = client
		.prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id')
		.all(from) as RawRow[];
	let prevHash =
		(
			client.prepare('SELECT hash FROM audit_log WHERE id = ?').get(from - 1) as
				| { hash: string }
				| undefined
		)?.hash ?? GENESIS_HASH;
	client.prepare('DELETE FROM audit_log WHERE id >= ?').run(from);
	for (const raw of rows) {
		const row = {
			id: raw.id as number,
			ts: raw.ts as string,
			eventType: raw.event_type as string,
			actorType: raw.actor_type as string,
			actorId: raw.actor_id as string | null,
			subjectType: raw.subject_type as string | null,
			subjectId: raw.subject_id as string | null,
			correlationId: raw.correlation_id as string | null,
			causationId: raw.causation_id as string | null,
			severity: raw.severity as string,
			sourceApp: raw.source_app as string | null,
			sourceIp: raw.source_ip as string | null,
			metadata: raw.id === from ? '{"n":"forged"}' : (raw.metadata as string),
			prevHash,
		};
		const hash = computeAuditHash(row);
		client
			.prepare(
				`INSERT INTO audit_log (id, ts, event_type, actor_type, actor_id, subject_type, subject_id, correlation_id, causation_id, severity, source_app, source_ip, metadata, prev_hash, hash)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			)
			.run(...Object.values(row), hash);
		prevHash = hash;
	}
}

describe('readAuditHead / formatAuditHead / parseAuditHead', () => {
	it('reads the last row as position and hash, and round-trips its text form', () => {
		const head = readAuditHead(db);
		expect(head.position).toBe(5);
		expect(head.hash).toMatch(/^[0-9a-f]{64}$/);
		expect(parseAuditHead(formatAuditHead(head))).toEqual(head);
		expect(findAuditPosition(db, head.hash)).toBe(5);
		expect(findAuditPosition(db, 'f'.repeat(64))).toBeUndefined();
	});

	it('gives the genesis head for an empty log', () => {
		const empty = createInMemoryDb();
		expect(readAuditHead(empty)).toEqual({ position: 0, hash: GENESIS_HASH });
		closeDb(empty);
	});

	it.each([
		'',
		'5',
		`x:${'a'.repeat(64)}`,
		`5:${'a'.repeat(63)}`,
		`-1:${'a'.repeat(64)}`,
		`01:${'a'.repeat(64)}`,
	])('refuses %j as a usage error', (text) => {
		expect(() => parseAuditHead(text)).toThrow(expect.objectContaining({ code: 'USAGE' }));
	});
});

describe('verifyAuditChain with a kept head (expect)', () => {
	it('passes while the kept head is still in the log, new rows after it or not', async () => {
		const kept = readAuditHead(db);
		expect(await verifyAuditChain(db, { expect: kept })).toMatchObject({ ok: true, count: 5 });
		await record(6);
		expect(await verifyAuditChain(db, { expect: kept })).toMatchObject({ ok: true, count: 6 });
	});

	it('catches history rewritten from an earlier row, which the chain alone does not show', async () => {
		const kept = readAuditHead(db);
		rewriteFrom(3);
		expect(await verifyAuditChain(db)).toMatchObject({ ok: true, count: 5 });
		const result = await verifyAuditChain(db, { expect: kept });
		expect(result).toMatchObject({ ok: false, firstBadId: 5, reason: 'head_mismatch' });
		expect(result.ok === false && result.message).toMatch(/rewritten at or before row 5/);
	});

	it('catches a log that no longer reaches the kept head', async () => {
		const kept = { ...readAuditHead(db), position: 9 };
		const result = await verifyAuditChain(db, { expect: kept });
		expect(result).toMatchObject({ ok: false, firstBadId: 9, reason: 'head_mismatch' });
		expect(result.ok === false && result.message).toMatch(/ends at row 5/);
	});
});

describe('verifyAuditChain from a head verified before (from)', () => {
	it('walks only the rows after it, and reaches the same head as a full walk', async () => {
		const from = readAuditHead(db);
		await record(6);
		await record(7);
		const full = await verifyAuditChain(db);
		expect(await verifyAuditChain(db, { from })).toEqual(full);
		expect(full).toMatchObject({ ok: true, count: 7 });
	});

	it('does not re-read the verified rows: an edit before the head that leaves it alone needs a full walk', async () => {
		const from = readAuditHead(db);
		db.$client.exec('DROP TRIGGER audit_log_no_update;');
		db.$client.exec(`UPDATE audit_log SET metadata = '{"n":99}' WHERE id = 2`);
		expect(await verifyAuditChain(db, { from })).toMatchObject({ ok: true });
		expect(await verifyAuditChain(db, { expect: from })).toMatchObject({
			ok: false,
			firstBadId: 2,
			reason: 'hash_mismatch',
		});
	});

	it('catches the verified prefix rewritten (its head row changed), and a new row that does not link', async () => {
		const from = readAuditHead(db);
		rewriteFrom(2);
		expect(await verifyAuditChain(db, { from })).toMatchObject({
			ok: false,
			firstBadId: 5,
			reason: 'head_mismatch',
		});
		const gone = await verifyAuditChain(db, { from: { ...from, position: 40 } });
		expect(gone).toMatchObject({ ok: false, reason: 'head_mismatch' });
		expect(gone.ok === false && gone.message).toMatch(/row 40, verified before, is gone/);
	});
});
