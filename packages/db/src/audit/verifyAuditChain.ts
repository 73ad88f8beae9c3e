import type { AgentSpaceDb } from '../connection/types.js';
import type { AuditLogRow } from '../schema/auditLog.js';
import { computeAuditHash, GENESIS_HASH } from './auditHash.js';
import type { AuditHead } from './auditHead.js';
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
	| 'truncated'
	/**
	 * A head kept from before (`expect`, `from`) is no longer in the log at its
	 * position: history was rewritten (or cut) at or before it.
	 */
	| 'head_mismatch';

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

/** Options of {@link verifyAuditChain}. */
export interface VerifyAuditChainOptions {
	/**
	 * A head verified before (kept by the caller): its row is re-checked (still
	 * there, same hash, content matching it) and only the rows after it are
	 * walked. Rows before it are not re-read — an edit there that leaves this
	 * row alone is found by a full verification — but any rewrite of the chain
	 * that recomputes hashes changes this row's hash and is caught.
	 */
	readonly from?: AuditHead;
	/** A head kept from before (`audit head`): the log must still hold this hash at this position. */
	readonly expect?: AuditHead;
}

const SELECT_ROW = 'SELECT * FROM audit_log WHERE id = ?';
const SELECT_AFTER = 'SELECT * FROM audit_log WHERE id > ? ORDER BY id';

/**
 * Walks the audit log in id order and checks that ids are contiguous, each
 * row links to the hash of the one before, each row's hash matches its
 * content, and nothing was cut off the end; with `expect`, that the kept head
 * is still there; with `from`, only the rows after a head verified before.
 * Stops at, and names, the first row that fails. Streams rows, so memory
 * stays flat however long the log is.
 */
export async function verifyAuditChain(
	db: AgentSpaceDb,
	options: VerifyAuditChainOptions = {},
): Promise<AuditChainVerification> {
	const client = db.$client;
	// One read transaction: a concurrent append cannot make the walk see a
	// half-updated tail.
	return client.transaction((): AuditChainVerification => {
		const from = options.from !== undefined && options.from.position > 0 ? options.from : undefined;
		const expectHead = options.expect;
		if (from !== undefined) {
			const raw = client.prepare(SELECT_ROW).get(from.position) as RawRow | undefined;
			const problem =
				raw === undefined
					? `row ${from.position}, verified before, is gone`
					: raw.hash !== from.hash
						? `row ${from.position} is not the head verified before (hash ${raw.hash.slice(0, 16)}…, was ${from.hash.slice(0, 16)}…)`
						: computeAuditHash(fromRaw(raw)) !== raw.hash
							? `row ${from.position}, verified before, was modified: its content does not match its hash`
							: undefined;
			if (problem !== undefined) {
				return fail(
					0,
					from.position,
					'head_mismatch',
					`${problem}: the log was rewritten at or before row ${from.position}`,
				);
			}
		}
		let expectedId = (from?.position ?? 0) + 1;
		let prevHash = from?.hash ?? GENESIS_HASH;
		let count = from?.position ?? 0;
		const rows = client.prepare(SELECT_AFTER).iterate(count) as IterableIterator<RawRow>;
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
			if (
				expectHead !== undefined &&
				row.id === expectHead.position &&
				row.hash !== expectHead.hash
			) {
				return fail(
					count,
					row.id,
					'head_mismatch',
					`row ${row.id} is not the head that was kept (hash ${row.hash.slice(0, 16)}…, kept ${expectHead.hash.slice(0, 16)}…): the log was rewritten at or before row ${row.id}`,
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
		if (expectHead !== undefined && expectHead.position > count) {
			return fail(
				count,
				expectHead.position,
				'head_mismatch',
				`the log ends at row ${count}, before the kept head's row ${expectHead.position}: rows were cut off or the log was replaced`,
			);
		}
		if (
			expectHead !== undefined &&
			from !== undefined &&
			expectHead.position > 0 &&
			expectHead.position <= from.position
		) {
			// Not walked: the kept head lies in the prefix `from` vouches for.
			const kept = client.prepare(SELECT_ROW).get(expectHead.position) as RawRow | undefined;
			if (kept?.hash !== expectHead.hash) {
				return fail(
					count,
					expectHead.position,
					'head_mismatch',
					`row ${expectHead.position} is not the head that was kept: the log was rewritten at or before it`,
				);
			}
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
