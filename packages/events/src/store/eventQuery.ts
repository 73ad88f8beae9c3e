import type { FieldIssue, ValidationResult } from '@agentspace/core';
import type { EventType } from '../catalogue/catalogue.js';
import { EVENT_TYPES, isKnownEventType } from '../catalogue/eventTypes.js';
import { isStorableInstant } from '../catalogue/timeRange.js';

/** Filters for {@link queryEvents} and `EventStore.query`; every one is backed by an index. */
export interface EventQuery {
	readonly project_key?: string;
	/** Only these types. */
	readonly types?: readonly EventType[];
	readonly stream_id?: string;
	/** Events at or after this time (ISO 8601). */
	readonly since?: string;
	/** Events at or before this time (ISO 8601). */
	readonly until?: string;
	/** Events after this global position (for paging forwards and tailing). */
	readonly after_sequence?: number;
	/** Events before this global position (for paging backwards with `order: 'desc'`). */
	readonly before_sequence?: number;
	/** Default 100, at most {@link MAX_QUERY_LIMIT}. */
	readonly limit?: number;
	/** By global position; default `asc`. */
	readonly order?: 'asc' | 'desc';
}

/** The filters `count` accepts: those of a query, without paging. */
export type EventFilters = Omit<EventQuery, 'project_key' | 'limit' | 'order'>;

/** A query with defaults applied and times normalised to UTC. */
export interface NormalizedEventQuery {
	readonly project_key: string | undefined;
	readonly types: readonly EventType[] | undefined;
	readonly stream_id: string | undefined;
	readonly since: string | undefined;
	readonly until: string | undefined;
	readonly after_sequence: number | undefined;
	readonly before_sequence: number | undefined;
	readonly limit: number;
	readonly order: 'asc' | 'desc';
}

// A date alone is midnight UTC (as in ECMAScript); a time needs its offset.
const ISO_TIME = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d))?$/;

/** The most events one query returns. */
export const MAX_QUERY_LIMIT = 10_000;
const KEYS = new Set([
	'project_key',
	'types',
	'stream_id',
	'since',
	'until',
	'after_sequence',
	'before_sequence',
	'limit',
	'order',
]);

/** Checks a query, returning every problem at once. */
export function validateEventQuery(input: unknown): ValidationResult<NormalizedEventQuery> {
	const errors: FieldIssue[] = [];
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return { ok: false, errors: [{ path: '(root)', message: 'a query must be an object' }] };
	}
	const q = input as Record<string, unknown>;
	for (const key of Object.keys(q)) {
		if (!KEYS.has(key) && q[key] !== undefined)
			errors.push({ path: key, message: 'unknown filter' });
	}
	const text = (key: string): string | undefined => {
		const value = q[key];
		if (value === undefined) return undefined;
		if (typeof value !== 'string' || value.length === 0 || value.length > 1024) {
			errors.push({ path: key, message: 'must be a non-empty string of at most 1024 characters' });
			return undefined;
		}
		return value;
	};
	const time = (key: string): string | undefined => {
		const value = text(key);
		if (value === undefined) return undefined;
		// Strict ISO 8601 with an offset: Date.parse alone takes "1" as 2001 and
		// reads a time without an offset in this machine's zone.
		const ms = ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
		if (!isStorableInstant(ms)) {
			errors.push({
				path: key,
				message:
					'must be an ISO 8601 time with a UTC offset (2026-05-01T10:00:00Z), in the years 0000-9999',
			});
			return undefined;
		}
		return new Date(ms).toISOString();
	};
	let types: EventType[] | undefined;
	if (q.types !== undefined) {
		if (!Array.isArray(q.types) || q.types.length === 0) {
			errors.push({ path: 'types', message: 'must be a non-empty array of event types' });
		} else {
			q.types.forEach((type, i) => {
				if (!isKnownEventType(type)) {
					errors.push({
						path: `types[${i}]`,
						message: `unknown event type ${JSON.stringify(type)}; known types: ${EVENT_TYPES.join(', ')}`,
					});
				}
			});
			types = [...new Set(q.types as EventType[])];
		}
	}
	const position = (key: 'after_sequence' | 'before_sequence'): number | undefined => {
		const value = q[key];
		if (value === undefined) return undefined;
		if (!(Number.isSafeInteger(value) && (value as number) >= 0)) {
			errors.push({ path: key, message: 'must be an integer ≥ 0' });
			return undefined;
		}
		return value as number;
	};
	const limit = q.limit ?? 100;
	if (
		!(Number.isSafeInteger(limit) && (limit as number) >= 1 && (limit as number) <= MAX_QUERY_LIMIT)
	) {
		errors.push({ path: 'limit', message: `must be an integer from 1 to ${MAX_QUERY_LIMIT}` });
	}
	const order = q.order ?? 'asc';
	if (order !== 'asc' && order !== 'desc')
		errors.push({ path: 'order', message: 'must be "asc" or "desc"' });
	const value: NormalizedEventQuery = {
		project_key: text('project_key'),
		types,
		stream_id: text('stream_id'),
		since: time('since'),
		until: time('until'),
		after_sequence: position('after_sequence'),
		before_sequence: position('before_sequence'),
		limit: limit as number,
		order: order as 'asc' | 'desc',
	};
	if (value.since !== undefined && value.until !== undefined && value.since > value.until) {
		errors.push({ path: 'until', message: 'must not be before since' });
	}
	return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
