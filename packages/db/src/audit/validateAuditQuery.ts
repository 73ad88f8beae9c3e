import type { FieldIssue, ValidationResult } from '@agentspace/core';

/** The most entries one query returns. */
export const MAX_AUDIT_LIMIT = 10_000;

/** Filters for {@link getAuditEvents}; every one is optional. */
export interface AuditQuery {
	/** One event type or several. */
	readonly type?: string | readonly string[];
	readonly subjectType?: string;
	readonly subjectId?: string;
	/** Inclusive lower bound on the entry's time (ISO 8601, offset allowed). */
	readonly since?: string;
	/** Inclusive upper bound on the entry's time (ISO 8601, offset allowed). */
	readonly until?: string;
	/** 1-10000, default 100. */
	readonly limit?: number;
	/** `desc` (newest first, the default) or `asc`. */
	readonly order?: 'asc' | 'desc';
}

/** A validated query: defaults filled, times normalised to UTC ISO strings. */
export interface NormalizedAuditQuery {
	readonly types: readonly string[];
	readonly subjectType?: string;
	readonly subjectId?: string;
	readonly since?: string;
	readonly until?: string;
	readonly limit: number;
	readonly order: 'asc' | 'desc';
}

const ISO_DATETIME =
	/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const KNOWN_KEYS = new Set([
	'type',
	'subjectType',
	'subjectId',
	'since',
	'until',
	'limit',
	'order',
]);

// Hand-written rather than Zod: this sits on the start-up path of read-only
// commands (`audit list`), where loading Zod would cost more than the query.
/** Validates audit filters, reporting every bad one with its field. */
export function validateAuditQuery(query: AuditQuery): ValidationResult<NormalizedAuditQuery> {
	const errors: FieldIssue[] = [];
	for (const key of Object.keys(query)) {
		if (!KNOWN_KEYS.has(key)) errors.push({ path: key, message: 'unknown filter' });
	}
	const types =
		query.type === undefined ? [] : typeof query.type === 'string' ? [query.type] : [...query.type];
	if (query.type !== undefined && types.length === 0)
		errors.push({ path: 'type', message: 'must name at least one type' });
	types.forEach((type, i) => {
		if (typeof type !== 'string' || type === '') {
			errors.push({
				path: typeof query.type === 'string' ? 'type' : `type[${i}]`,
				message: 'must be a non-empty string',
			});
		}
	});
	for (const key of ['subjectType', 'subjectId'] as const) {
		const value = query[key];
		if (value !== undefined && (typeof value !== 'string' || value === '')) {
			errors.push({ path: key, message: 'must be a non-empty string' });
		}
	}
	const time = (key: 'since' | 'until'): string | undefined => {
		const value = query[key];
		if (value === undefined) return undefined;
		if (typeof value !== 'string' || !ISO_DATETIME.test(value) || Number.isNaN(Date.parse(value))) {
			errors.push({
				path: key,
				message: 'must be an ISO 8601 date-time, e.g. 2026-11-21T10:00:00Z',
			});
			return undefined;
		}
		return new Date(value).toISOString();
	};
	const since = time('since');
	const until = time('until');
	const limit = query.limit ?? 100;
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
		errors.push({ path: 'limit', message: `must be a whole number from 1 to ${MAX_AUDIT_LIMIT}` });
	}
	const order = query.order ?? 'desc';
	if (order !== 'asc' && order !== 'desc')
		errors.push({ path: 'order', message: 'must be "asc" or "desc"' });
	if (errors.length > 0) return { ok: false, errors };
	return {
		ok: true,
		value: {
			types,
			limit,
			order,
			...(query.subjectType === undefined ? {} : { subjectType: query.subjectType }),
			...(query.subjectId === undefined ? {} : { subjectId: query.subjectId }),
			...(since === undefined ? {} : { since }),
			...(until === undefined ? {} : { until }),
		},
	};
}
