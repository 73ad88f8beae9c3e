import { type FieldIssue, formatIssues, ValidationError } from '@agentspace/core';
import {
	type AgentSpaceDb,
	type AuditEventInput,
	appendAuditRecord,
	withImmediateTransaction,
} from '@agentspace/db';
import { prepared } from './statements.js';

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
}

/** What {@link pruneToolCalls} did. */
export interface PruneToolCallsResult {
	/** Calls deleted. */
	readonly deleted: number;
	/** Calls started before this time (ISO 8601) were deleted. */
	readonly cutoff: string;
	/** The audit record's position (the prune is audited even when nothing was deleted). */
	readonly auditId: number;
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
	const deleteBatch = `DELETE FROM tool_calls WHERE rowid IN (SELECT rowid FROM tool_calls WHERE at < ? ORDER BY at LIMIT ${BATCH_ROWS})`;
	let deleted = 0;
	for (;;) {
		const result = withImmediateTransaction(db, (tx) => {
			const removed = prepared(tx, deleteBatch).run(cutoff).changes;
			if (removed === BATCH_ROWS) return { removed, auditId: undefined };
			const audit = appendAuditRecord(tx, {
				eventType: 'tool_calls.pruned',
				actor: options.actor,
				subject: { type: 'call_log' },
				severity: 'info',
				metadata: { deleted: deleted + removed, olderThanDays: days, cutoff },
			});
			return { removed, auditId: audit.id };
		});
		deleted += result.removed;
		if (result.auditId !== undefined) return { deleted, cutoff, auditId: result.auditId };
	}
}
