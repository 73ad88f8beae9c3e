import { formatIssues, ValidationError } from '@agentspace/core';
import { and, asc, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import type { AgentSpaceDb } from '../connection/types.js';
import { auditLog } from '../schema/auditLog.js';
import { toAuditRecord } from './toAuditRecord.js';
import type { AuditRecord } from './types.js';
import { type AuditQuery, validateAuditQuery } from './validateAuditQuery.js';

/** Reads audit entries matching every given filter, newest first unless `order: 'asc'`. */
export async function getAuditEvents(
	db: AgentSpaceDb,
	query: AuditQuery = {},
): Promise<AuditRecord[]> {
	return buildAuditQuery(db, query).all().map(toAuditRecord);
}

/**
 * The SELECT behind {@link getAuditEvents}, unexecuted, so tests can check its
 * query plan. Throws a {@link ValidationError} listing every bad filter.
 */
export function buildAuditQuery(db: AgentSpaceDb, query: AuditQuery) {
	const parsed = validateAuditQuery(query);
	if (!parsed.ok) {
		throw new ValidationError(`invalid audit query:\n${formatIssues(parsed.errors)}`, {
			hint: 'fix the listed filters',
			issues: parsed.errors,
		});
	}
	const q = parsed.value;
	const conditions: SQL[] = [];
	if (q.types.length === 1) conditions.push(eq(auditLog.eventType, q.types[0] as string));
	else if (q.types.length > 1) conditions.push(inArray(auditLog.eventType, [...q.types]));
	if (q.subjectType !== undefined) conditions.push(eq(auditLog.subjectType, q.subjectType));
	if (q.subjectId !== undefined) conditions.push(eq(auditLog.subjectId, q.subjectId));
	// Stored timestamps and the normalised bounds are both UTC ISO strings, so
	// lexical comparison is chronological.
	if (q.since !== undefined) conditions.push(gte(auditLog.ts, q.since));
	if (q.until !== undefined) conditions.push(lte(auditLog.ts, q.until));
	const direction = q.order === 'asc' ? asc : desc;
	// With a time range, order by time (then id) so the ts index both filters and
	// orders; otherwise by id, the chain's own order. Both agree unless a caller
	// recorded entries with explicit out-of-order timestamps.
	const timeRange = q.since !== undefined || q.until !== undefined;
	return db
		.select()
		.from(auditLog)
		.where(conditions.length === 0 ? undefined : and(...conditions))
		.orderBy(
			...(timeRange ? [direction(auditLog.ts), direction(auditLog.id)] : [direction(auditLog.id)]),
		)
		.limit(q.limit);
}
