import { formatIssues, ValidationError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { prepared, preparedRaw } from '@agentspace/db';
import type { FleetEvent } from '../catalogue/catalogue.js';
import {
	type EventFilters,
	type EventQuery,
	type NormalizedEventQuery,
	validateEventQuery,
} from './eventQuery.js';
import { EVENT_COLUMNS, type RawEventRow, rowToEvent } from './rowToEvent.js';

/** A WHERE clause and its parameters. */
interface Where {
	readonly sql: string;
	readonly params: (string | number)[];
}

/** Builds the WHERE clause for a normalised query; exported for the query-plan test. */
export function buildWhere(q: Omit<NormalizedEventQuery, 'limit' | 'order'>): Where {
	const clauses: string[] = [];
	const params: (string | number)[] = [];
	if (q.project_key !== undefined) {
		clauses.push('project_key = ?');
		params.push(q.project_key);
	}
	if (q.types !== undefined) {
		clauses.push(`type IN (${q.types.map(() => '?').join(', ')})`);
		params.push(...q.types);
	}
	if (q.stream_id !== undefined) {
		clauses.push('stream_id = ?');
		params.push(q.stream_id);
	}
	if (q.since !== undefined) {
		clauses.push('timestamp >= ?');
		params.push(q.since);
	}
	if (q.until !== undefined) {
		clauses.push('timestamp <= ?');
		params.push(q.until);
	}
	if (q.after_sequence !== undefined) {
		clauses.push('sequence > ?');
		params.push(q.after_sequence);
	}
	if (q.before_sequence !== undefined) {
		clauses.push('sequence < ?');
		params.push(q.before_sequence);
	}
	return { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}

/** The SQL and parameters of a query; exported for the query-plan test. */
export function buildQuerySql(q: NormalizedEventQuery): Where {
	const direction = q.order === 'desc' ? 'DESC' : 'ASC';
	if (q.types !== undefined && q.types.length > 1) {
		// `type IN (a, b)` makes SQLite walk the project's whole range and filter
		// by type (20 ms for two rare types in a 1M-event log). Instead: one index
		// range per type, each cut to the limit and reading only the index; merge
		// those positions, keep the first `limit`, and only then fetch the rows.
		const arms: string[] = [];
		const params: (string | number)[] = [];
		for (const type of q.types) {
			const where = buildWhere({ ...q, types: [type] });
			arms.push(
				`SELECT sequence FROM (SELECT sequence FROM events ${where.sql} ORDER BY sequence ${direction} LIMIT ?)`,
			);
			params.push(...where.params, q.limit);
		}
		return {
			sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE sequence IN (${arms.join(' UNION ALL ')} ORDER BY sequence ${direction} LIMIT ?) ORDER BY sequence ${direction}`,
			params: [...params, q.limit],
		};
	}
	const where = buildWhere(q);
	// With only a time range, SQLite prefers walking the whole log in sequence
	// order (no sort needed) over the time index; on a large log that is a full
	// scan. The time index plus a sort of the matching rows is far cheaper.
	const timeOnly =
		(q.since !== undefined || q.until !== undefined) &&
		q.project_key === undefined &&
		q.types === undefined &&
		q.stream_id === undefined &&
		q.after_sequence === undefined &&
		q.before_sequence === undefined;
	const source = timeOnly ? 'events INDEXED BY events_timestamp_idx' : 'events';
	return {
		sql: `SELECT ${EVENT_COLUMNS} FROM ${source} ${where.sql} ORDER BY sequence ${direction} LIMIT ?`,
		params: [...where.params, q.limit],
	};
}

/** The SQL and parameters of a count; several types are counted one index range each. */
export function buildCountSql(q: Omit<NormalizedEventQuery, 'limit' | 'order'>): Where {
	const types = q.types !== undefined && q.types.length > 1 ? q.types : [q.types?.[0]];
	const counts: string[] = [];
	const params: (string | number)[] = [];
	for (const type of types) {
		const where = buildWhere({ ...q, types: type === undefined ? undefined : [type] });
		counts.push(`(SELECT COUNT(*) FROM events ${where.sql})`);
		params.push(...where.params);
	}
	return { sql: `SELECT ${counts.join(' + ')} AS n`, params };
}

function normalise(query: unknown): NormalizedEventQuery {
	const result = validateEventQuery(query);
	if (!result.ok) {
		throw new ValidationError(`invalid event query:\n${formatIssues(result.errors)}`, {
			hint: 'fix the listed filters',
			issues: result.errors,
		});
	}
	return result.value;
}

/** Events matching every filter, ordered by global position. */
export function queryEvents(db: AgentSpaceDb, query: EventQuery = {}): FleetEvent[] {
	const { sql, params } = buildQuerySql(normalise(query));
	return (preparedRaw(db.$client, sql).all(...params) as RawEventRow[]).map(rowToEvent);
}

/** How many events of a project match the filters. */
export function countEvents(
	db: AgentSpaceDb,
	projectKey: string | undefined,
	filters: EventFilters = {},
): number {
	const { sql, params } = buildCountSql(normalise({ ...filters, project_key: projectKey }));
	return (prepared(db.$client, sql).get(...params) as { n: number }).n;
}

/** The newest event of a project, or null when it has none. */
export function getLatestEvent(db: AgentSpaceDb, projectKey: string): FleetEvent | null {
	const [latest] = queryEvents(db, { project_key: projectKey, order: 'desc', limit: 1 });
	return latest ?? null;
}

/**
 * The global position of a project's newest event, or of the newest event of
 * all when no project is given; 0 when there is none.
 */
export function getLatestSequence(db: AgentSpaceDb, projectKey?: string): number {
	if (projectKey === undefined) {
		const row = prepared(db.$client, 'SELECT MAX(sequence) AS s FROM events').get() as {
			s: number | null;
		};
		return row.s ?? 0;
	}
	normalise({ project_key: projectKey });
	const row = prepared(
		db.$client,
		'SELECT MAX(sequence) AS s FROM events WHERE project_key = ?',
	).get(projectKey) as { s: number | null };
	return row.s ?? 0;
}
