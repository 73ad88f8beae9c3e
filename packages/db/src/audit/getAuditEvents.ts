import { formatIssues, ValidationError, validateWith } from '@agentspace/core';
import { and, asc, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AgentSpaceDb } from '../connection/types.js';
import { auditLog } from '../schema/auditLog.js';
import { toAuditRecord } from './toAuditRecord.js';
import type { AuditRecord } from './types.js';

/** The most entries one query returns. */
export const MAX_AUDIT_LIMIT = 10_000;

/** Filters for {@link getAuditEvents}. */
export const AuditQuerySchema = z.strictObject({
	/** One event type or several. */
	type: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
	subjectType: z.string().min(1).optional(),
	subjectId: z.string().min(1).optional(),
	/** Inclusive lower bound on the entry's time (ISO 8601). */
	since: z.iso.datetime({ offset: true }).optional(),
	/** Inclusive upper bound on the entry's time (ISO 8601). */
	until: z.iso.datetime({ offset: true }).optional(),
	limit: z.number().int().min(1).max(MAX_AUDIT_LIMIT).default(100),
	/** `desc` (newest first, the default) or `asc`. */
	order: z.enum(['asc', 'desc']).default('desc'),
});

/** Filters for {@link getAuditEvents}. */
export type AuditQuery = z.input<typeof AuditQuerySchema>;

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
	const parsed = validateWith(AuditQuerySchema, query);
	if (!parsed.ok) {
		throw new ValidationError(`invalid audit query:\n${formatIssues(parsed.errors)}`, {
			hint: 'fix the listed filters',
			issues: parsed.errors,
		});
	}
	const q = parsed.value;
	const conditions: SQL[] = [];
	if (typeof q.type === 'string') conditions.push(eq(auditLog.eventType, q.type));
	else if (q.type !== undefined) conditions.push(inArray(auditLog.eventType, q.type));
	if (q.subjectType !== undefined) conditions.push(eq(auditLog.subjectType, q.subjectType));
	if (q.subjectId !== undefined) conditions.push(eq(auditLog.subjectId, q.subjectId));
	// Timestamps are stored as ISO strings in UTC; normalising the bounds the same
	// way makes lexical comparison chronological.
	if (q.since !== undefined) conditions.push(gte(auditLog.ts, new Date(q.since).toISOString()));
	if (q.until !== undefined) conditions.push(lte(auditLog.ts, new Date(q.until).toISOString()));
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
