import { type FieldIssue, formatIssues, ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, preparedRaw } from '@agentspace/db';
import {
	TOOL_CALL_STATUSES,
	type ToolCaller,
	type ToolCallRecord,
	type ToolCallStatus,
} from './types.js';

/** The most calls one query returns. */
export const MAX_TOOL_CALLS_LIMIT = 10_000;

/** Filters for {@link queryToolCalls}; every one is optional. */
export interface ToolCallQuery {
	readonly agentId?: string;
	/** The tool's name (without the agent). */
	readonly tool?: string;
	readonly status?: ToolCallStatus;
	/** Inclusive lower bound on the call's start (ISO 8601, offset allowed). */
	readonly since?: string;
	/** Exclusive upper bound on the call's start (ISO 8601): pages back through older calls. */
	readonly before?: string;
	/** 1-10000, default 100. */
	readonly limit?: number;
}

const ISO_DATETIME =
	/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const KNOWN_KEYS = new Set(['agentId', 'tool', 'status', 'since', 'before', 'limit']);
const STATUSES: ReadonlySet<string> = new Set(TOOL_CALL_STATUSES);

type Row = [
	callId: string,
	at: string,
	callerType: ToolCaller['type'],
	callerId: string,
	callerDetail: string | null,
	agentId: string,
	runId: string | null,
	tool: string,
	argsHash: string,
	summary: string,
	status: ToolCallStatus,
	errorCode: string | null,
	durationMs: number,
];

function detailOf(json: string | null): Record<string, string> | undefined {
	if (json === null) return undefined;
	const parsed: unknown = JSON.parse(json);
	// A detail too big to keep was stored cut, as one string.
	return typeof parsed === 'string' ? { truncated: parsed } : (parsed as Record<string, string>);
}

function toRecord(row: Row): ToolCallRecord {
	const [callId, at, callerType, callerId, callerDetail, agentId, runId, tool] = row;
	const detail = detailOf(callerDetail);
	return {
		callId,
		at,
		caller: { type: callerType, id: callerId, ...(detail === undefined ? {} : { detail }) },
		agentId,
		runId,
		tool,
		argsHash: row[8],
		summary: row[9],
		status: row[10],
		errorCode: row[11],
		durationMs: row[12],
	};
}

/**
 * Reads recorded tool calls matching every given filter, newest first, at
 * most `limit` (default 100). Each filter is served by one of the log's
 * indexes (time; agent, tool or status with time), so a query costs about the
 * same at five million calls as at five hundred. Throws a ValidationError
 * listing every bad filter.
 */
export function queryToolCalls(db: AgentSpaceDb, query: ToolCallQuery = {}): ToolCallRecord[] {
	const problems: FieldIssue[] = [];
	for (const key of Object.keys(query))
		if (!KNOWN_KEYS.has(key)) problems.push({ path: key, message: 'unknown filter' });
	for (const key of ['agentId', 'tool'] as const) {
		const value = query[key];
		if (value !== undefined && (typeof value !== 'string' || value === ''))
			problems.push({ path: key, message: 'must be a non-empty string' });
	}
	if (query.status !== undefined && !STATUSES.has(query.status))
		problems.push({ path: 'status', message: `must be one of ${TOOL_CALL_STATUSES.join(', ')}` });
	const time = (key: 'since' | 'before'): string | undefined => {
		const value = query[key];
		if (value === undefined) return undefined;
		if (typeof value !== 'string' || !ISO_DATETIME.test(value) || Number.isNaN(Date.parse(value))) {
			problems.push({
				path: key,
				message: 'must be an ISO 8601 date-time, e.g. 2026-11-21T10:00:00Z',
			});
			return undefined;
		}
		// Stored times are UTC with milliseconds, so they compare correctly as text.
		return new Date(value).toISOString();
	};
	const since = time('since');
	const before = time('before');
	const limit = query.limit ?? 100;
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOOL_CALLS_LIMIT)
		problems.push({
			path: 'limit',
			message: `must be a whole number from 1 to ${MAX_TOOL_CALLS_LIMIT}`,
		});
	if (problems.length > 0) {
		throw new ValidationError(`invalid tool call query:\n${formatIssues(problems)}`, {
			hint: 'fix the listed filters',
			issues: problems,
		});
	}
	const conditions: string[] = [];
	const params: (string | number)[] = [];
	const add = (sql: string, value: string | undefined) => {
		if (value === undefined) return;
		conditions.push(sql);
		params.push(value);
	};
	add('agent_id = ?', query.agentId);
	add('tool = ?', query.tool);
	add('status = ?', query.status);
	add('at >= ?', since);
	add('at < ?', before);
	const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
	// Ties in time come out newest-recorded first: rowid follows insertion.
	const sql = `SELECT call_id, at, caller_type, caller_id, caller_detail, agent_id, run_id, tool, args_hash, summary, status, error_code, duration_ms FROM tool_calls${where} ORDER BY at DESC, rowid DESC LIMIT ?`;
	// One statement per filter combination (at most 32), prepared once each.
	const rows = preparedRaw(db.$client, sql).all(...params, limit) as Row[];
	return rows.map(toRecord);
}
