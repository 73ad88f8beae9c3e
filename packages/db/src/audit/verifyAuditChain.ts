import type { AgentSpaceDb } from '../connection/types.js';
import type { AuditLogRow } from '../schema/auditLog.js';
import { computeAuditHash, GENESIS_HASH } from './auditHash.js';
import { readAuditSequence } from './auditSequence.js';

/** Why a row failed verification. */
export type AuditChainFailure =
	/** Rows before this one are missing (deleted, or ids rewritten). */
	| 'missing_rows'
	/** `prev_hash` does not match the row before it (a row was removed, inserted or moved). */
	| 'broken_link'
	/** The row's content does not match its hash (edited). */
	| 'hash_mismatch'
	/** Rows after the last one were deleted. */
	| 'truncated';

/** The outcome of {@link verifyAuditChain}. */
export type AuditChainVerification =
	| {
			readonly ok: true;
			/** Rows checked. */
			readonly count: number;
			/** Hash of the last row (the chain head), or the genesis hash when empty. */
			readonly headHash: string;
	  }
	| {
			readonly ok: false;
			/** Rows that checked out before the first bad one. */
			readonly count: number;
			/** Id of the first row that does not check out. */
			readonly firstBadId: number;
			readonly reason: AuditChainFailure;
			/** A sentence for people. */
			readonly message: string;
	  };

interface RawRow {
	id: number;
	ts: string;
	event_type: string;
	actor_type: string;
	actor_id: string | null;
	subject_type: string | null;
	subject_id: string | null;
	correlation_id: string | null;
	causation_id: string | null;
	severity: string;
	source_app: string | null;
	source_ip: string | null;
	metadata: string;
	prev_hash: string;
	hash: string;
}

/**
 * Walks the whole audit log in id order and checks that ids are contiguous,
 * each row links to the hash of the one before, each row's hash matches its
 * content, and nothing was cut off the end. Stops at, and names, the first row
 * that fails. Streams rows, so memory stays flat however long the log is.
 */
export async function verifyAuditChain(db: AgentSpaceDb): Promise<AuditChainVerification> {
	const client = db.$client;
	// One read transaction: a concurrent append cannot make the walk see a
	// half-updated tail.
	return client.transaction((): AuditChainVerification => {
		let expectedId = 1;
		let prevHash = GENESIS_HASH;
		let count = 0;
		const rows = client
			.prepare('SELECT * FROM audit_log ORDER BY id')
			.iterate() as IterableIterator<RawRow>;
		for (const raw of rows) {
			const row = fromRaw(raw);
			if (row.id !== expectedId) {
				const missing =
					row.id - 1 === expectedId
						? `row ${expectedId} is`
						: `rows ${expectedId}-${row.id - 1} are`;
				return fail(count, row.id, 'missing_rows', `${missing} missing before row ${row.id}`);
			}
			if (row.prevHash !== prevHash) {
				return fail(
					count,
					row.id,
					'broken_link',
					`row ${row.id} does not link to row ${row.id - 1}: a row was removed, inserted or moved`,
				);
			}
			if (computeAuditHash(row) !== row.hash) {
				return fail(
					count,
					row.id,
					'hash_mismatch',
					`row ${row.id} was modified: its content does not match its hash`,
				);
			}
			prevHash = row.hash;
			expectedId += 1;
			count += 1;
		}
		const sequence = readAuditSequence(db);
		if (sequence > count) {
			const missing =
				sequence === count + 1 ? `row ${sequence} was` : `rows ${count + 1}-${sequence} were`;
			return fail(count, count + 1, 'truncated', `${missing} deleted from the end of the log`);
		}
		return { ok: true, count, headHash: prevHash };
	})();
}

function fail(
	count: number,
	firstBadId: number,
	reason: AuditChainFailure,
	message: string,
): AuditChainVerification {
	return { ok: false, count, firstBadId, reason, message };
}

function fromRaw(raw: RawRow): AuditLogRow {
	return {
		id: raw.id,
		ts: raw.ts,
		eventType: raw.event_type,
		actorType: raw.actor_type,
		actorId: raw.actor_id,
		subjectType: raw.subject_type,
		subjectId: raw.subject_id,
		correlationId: raw.correlation_id,
		causationId: raw.causation_id,
		severity: raw.severity,
		sourceApp: raw.source_app,
		sourceIp: raw.source_ip,
		metadata: raw.metadata,
		prevHash: raw.prev_hash,
		hash: raw.hash,
	};
}
