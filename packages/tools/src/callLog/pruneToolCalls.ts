import { type FieldIssue, formatIssues, ValidationError } from '@agentspace/core';
import {
	type AgentSpaceDb,
	type AuditEventInput,
	appendAuditRecord,
	prepared,
	withImmediateTransaction,
} from '@agentspace/db';

/** How long the call log keeps a call by default. */
export const DEFAULT_TOOL_CALL_RETENTION_DAYS = 30;

/** The longest retention accepted (100 years: "keep everything" without a special case). */
export const MAX_TOOL_CALL_RETENTION_DAYS = 36_500;

// Rows deleted per transaction: a day of calls at 10/s is ~860,000 rows, and
// one transaction deleting them all would hold the write lock — every other
// writer, the event store included — for seconds.
const BATCH_ROWS = 20_000;

/** Options for {@link pruneToolCalls}. */
export interface PruneToolCallsOptions {
	/** Calls started more than this many days ago are deleted; default 30. */
	readonly olderThanDays?: number;
	/** Who pruned (recorded in the audit log). */
	readonly actor: AuditEventInput['actor'];
	/** The current time (tests); defaults to now. */
	readonly now?: Date;
	/**
	 * At most this many calls deleted by this call, in one transaction; when
	 * that many were deleted more may be left: no audit entry yet, `more` is
	 * true, and the caller calls again (with the same `now`, so the same
	 * cutoff) — a host that must not block (the daemon) yields in between.
	 */
	readonly limit?: number;
	/** Calls an earlier limited call of the same prune deleted: counted into the audit entry. */
	readonly deletedEarlier?: number;
}

/** What {@link pruneToolCalls} did. */
export interface PruneToolCallsResult {
	/** Calls deleted. */
	readonly deleted: number;
	/** Calls started before this time (ISO 8601) were deleted. */
	readonly cutoff: string;
	/**
	 * The audit record's position (the prune is audited even when nothing was
	 * deleted); absent when a `limit` stopped it with calls possibly left.
	 */
	readonly auditId?: number;
	/** True when a `limit` stopped the prune: call again to go on. */
	readonly more: boolean;
}

/**
 * Applies the call log's retention: deletes calls started more than
 * `olderThanDays` days ago, in batches so other writers are never held up for
 * long, and audits `tool_calls.pruned` with the count and the cutoff (in the
 * transaction of the last batch). Touches only the call log: the audit log,
 * denials of tool calls included, is never pruned.
 */
export function pruneToolCalls(
	db: AgentSpaceDb,
	options: PruneToolCallsOptions,
): PruneToolCallsResult {
	const days = options.olderThanDays ?? DEFAULT_TOOL_CALL_RETENTION_DAYS;
	const problems: FieldIssue[] = [];
	if (
		typeof days !== 'number' ||
		!Number.isFinite(days) ||
		days <= 0 ||
		days > MAX_TOOL_CALL_RETENTION_DAYS
	)
		problems.push({
			path: 'olderThanDays',
			message: `must be a number of days above 0 and at most ${MAX_TOOL_CALL_RETENTION_DAYS}`,
		});
	const limit = options.limit;
	if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1))
		problems.push({ path: 'limit', message: 'must be a whole number of calls above 0' });
	const earlier = options.deletedEarlier ?? 0;
	if (!Number.isSafeInteger(earlier) || earlier < 0)
		problems.push({
			path: 'deletedEarlier',
			message: 'must be a whole number of calls, 0 or more',
		});
	const now = options.now ?? new Date();
	if (Number.isNaN(now.getTime())) problems.push({ path: 'now', message: 'must be a valid date' });
	if (problems.length > 0) {
		throw new ValidationError(`invalid call log retention:\n${formatIssues(problems)}`, {
			hint: 'give the retention in days, e.g. 30; nothing was deleted',
			issues: problems,
		});
	}
	const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
	// Oldest first through the time index, a batch at a time.
	const batchRows = Math.min(limit ?? BATCH_ROWS, BATCH_ROWS);
	const deleteBatch = `DELETE FROM tool_calls WHERE rowid IN (SELECT rowid FROM tool_calls WHERE at < ? ORDER BY at LIMIT ${batchRows})`;
	let deleted = 0;
	for (;;) {
		const result = withImmediateTransaction(db, (tx) => {
			const removed = prepared(tx.$client, deleteBatch).run(cutoff).changes;
			if (removed === batchRows) return { removed, auditId: undefined };
			const audit = appendAuditRecord(tx, {
				eventType: 'tool_calls.pruned',
				actor: options.actor,
				subject: { type: 'call_log' },
				severity: 'info',
				metadata: { deleted: earlier + deleted + removed, olderThanDays: days, cutoff },
			});
			return { removed, auditId: audit.id };
		});
		deleted += result.removed;
		if (result.auditId !== undefined)
			return { deleted, cutoff, auditId: result.auditId, more: false };
		if (limit !== undefined && deleted >= limit) return { deleted, cutoff, more: true };
	}
}
