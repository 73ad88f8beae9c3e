import {
	canonicalJson,
	formatIssues,
	generateId,
	nowIso,
	redactText,
	sha256Hex,
	ValidationError,
} from '@agentspace/core';
import {
	type AgentSpaceDb,
	appendAuditRecord,
	prepared as statement,
	withImmediateTransaction,
} from '@agentspace/db';
import { argsForHash, summariseCall, truncateUtf8 } from './summarise.js';
import {
	MAX_CALLER_DETAIL_BYTES,
	TOOL_CALL_STATUSES,
	type ToolCaller,
	type ToolCallInput,
	type ToolCallRecord,
} from './types.js';

const INSERT = `INSERT INTO tool_calls (call_id, at, caller_type, caller_id, caller_detail, agent_id, run_id, tool, args_hash, summary, status, error_code, duration_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const CALLER_TYPES: ReadonlySet<string> = new Set(['user', 'mcp-client', 'agent', 'system']);
const STATUSES: ReadonlySet<string> = new Set(TOOL_CALL_STATUSES);
// Ids and names come from callers and agents: bounded like the audit log's free text.
const MAX_NAME = 512;

function problemsOf(input: ToolCallInput): { path: string; message: string }[] {
	const problems: { path: string; message: string }[] = [];
	const text = (path: string, value: unknown) => {
		if (typeof value !== 'string' || value === '' || value.length > MAX_NAME)
			problems.push({ path, message: `must be a string of 1-${MAX_NAME} characters` });
	};
	if (!CALLER_TYPES.has(input.caller?.type))
		problems.push({ path: 'caller.type', message: 'must be user, mcp-client, agent or system' });
	text('caller.id', input.caller?.id);
	text('agentId', input.agentId);
	text('tool', input.tool);
	if (input.runId !== undefined && input.runId !== null) text('runId', input.runId);
	if (input.callId !== undefined) text('callId', input.callId);
	if (!STATUSES.has(input.status))
		problems.push({ path: 'status', message: `must be one of ${TOOL_CALL_STATUSES.join(', ')}` });
	if (!Number.isFinite(input.durationMs) || input.durationMs < 0)
		problems.push({ path: 'durationMs', message: 'must be a number ≥ 0' });
	if (input.at !== undefined && Number.isNaN(Date.parse(input.at)))
		problems.push({ path: 'at', message: 'must be an ISO 8601 date-time' });
	return problems;
}

function detailOf(caller: ToolCaller): string | null {
	if (caller.detail === undefined) return null;
	const json = redactText(canonicalJson(caller.detail));
	return Buffer.byteLength(json) <= MAX_CALLER_DETAIL_BYTES
		? json
		: // Cut JSON is no longer JSON: kept as a JSON string, so it still parses.
			JSON.stringify(truncateUtf8(json, MAX_CALLER_DETAIL_BYTES - 16));
}

// The audit actor behind a caller: a person at the CLI or UI is `human`; an
// MCP client is `mcp-client` by the name it gave (a program, often a model,
// not the person who runs it); an agent is `agent`; AgentSpace is `system`.
function auditActor(caller: ToolCaller): {
	type: 'human' | 'agent' | 'system' | 'mcp-client';
	id: string;
} {
	if (caller.type === 'mcp-client') return { type: 'mcp-client', id: caller.id.slice(0, MAX_NAME) };
	const id = `${caller.type}:${caller.id}`.slice(0, MAX_NAME);
	if (caller.type === 'agent') return { type: 'agent', id };
	if (caller.type === 'system') return { type: 'system', id };
	return { type: 'human', id };
}

/** A checked call, ready to be written: the record and what only the row and the audit need. */
export interface PreparedToolCall {
	readonly record: ToolCallRecord;
	readonly callerDetail: string | null;
	readonly note: string | undefined;
}

/**
 * Checks a call and builds its record (id, time, hash, redacted bounded
 * summary) without writing anything: the part of recording done outside the
 * write transaction. Throws a ValidationError listing every bad field.
 */
export function prepareToolCall(input: ToolCallInput): PreparedToolCall {
	const problems = problemsOf(input);
	if (problems.length > 0) {
		throw new ValidationError(`invalid tool call record:\n${formatIssues(problems)}`, {
			hint: 'fix the listed fields; nothing was recorded',
			issues: problems,
		});
	}
	const record: ToolCallRecord = {
		callId: input.callId ?? generateId('call'),
		at: input.at === undefined ? nowIso() : new Date(input.at).toISOString(),
		caller: {
			type: input.caller.type,
			id: redactText(input.caller.id),
			...(input.caller.detail === undefined ? {} : { detail: input.caller.detail }),
		},
		agentId: input.agentId,
		runId: input.runId ?? null,
		tool: input.tool,
		argsHash: sha256Hex(argsForHash(input.args)),
		summary: summariseCall(input.args, input.note),
		status: input.status,
		errorCode: input.errorCode ?? null,
		durationMs: Math.round(input.durationMs),
	};
	return { record, callerDetail: detailOf(input.caller), note: input.note };
}

/**
 * How a denial is audited: an entry standing for itself and the
 * `foldedBefore` denials of its kind folded since the last entry (the
 * default: 0), or `'folded'` — no entry: it is counted into a later one
 * (see ToolCallWriter).
 */
export type DenialAudit = { readonly foldedBefore: number } | 'folded';

/**
 * Writes a prepared call inside the caller's write transaction: its row, and
 * for a denial the `security.denied` audit entry (which needs the
 * transaction: the audit chain's tail must not move in between), unless
 * `denial` says it is folded.
 */
export function writeToolCall(
	tx: AgentSpaceDb,
	prepared: PreparedToolCall,
	denial: DenialAudit = { foldedBefore: 0 },
): void {
	const { record, callerDetail, note } = prepared;
	statement(tx.$client, INSERT).run(
		record.callId,
		record.at,
		record.caller.type,
		record.caller.id,
		callerDetail,
		record.agentId,
		record.runId,
		record.tool,
		record.argsHash,
		record.summary,
		record.status,
		record.errorCode,
		record.durationMs,
	);
	if (record.status !== 'denied' || denial === 'folded') return;
	appendAuditRecord(tx, {
		eventType: 'security.denied',
		actor: auditActor(record.caller),
		subject: { type: 'tool', id: `${record.agentId}/${record.tool}`.slice(0, MAX_NAME) },
		correlationId: record.callId,
		severity: 'security',
		metadata: {
			action: 'tool_call',
			callId: record.callId,
			agentId: record.agentId,
			tool: record.tool,
			errorCode: record.errorCode,
			reason: note === undefined ? null : truncateUtf8(note, 512),
			...(denial.foldedBefore === 0 ? {} : { foldedBefore: denial.foldedBefore }),
		},
	});
}

/** The kind denials are folded by: the caller, the agent and tool, and the refusal's code. */
export function denialKind(record: ToolCallRecord): string {
	return JSON.stringify([
		record.caller.type,
		record.caller.id,
		record.agentId,
		record.tool,
		record.errorCode,
	]);
}

/**
 * Audits `folded` denials of one kind (a {@link denialKind}, or the throttle's
 * shared `(other)` kind) that no entry accounts for yet: their window ended,
 * or the writer closed. One `security.denied` entry with `foldedBefore`.
 */
export function writeFoldedDenials(tx: AgentSpaceDb, kind: string, folded: number): void {
	let parts: unknown;
	try {
		parts = JSON.parse(kind);
	} catch {
		parts = undefined;
	}
	const [callerType, callerId, agentId, tool, errorCode] = Array.isArray(parts)
		? (parts as [ToolCaller['type'], string, string, string, string | null])
		: [];
	const known = callerType !== undefined && callerId !== undefined;
	appendAuditRecord(tx, {
		eventType: 'security.denied',
		actor: known
			? auditActor({ type: callerType, id: callerId })
			: { type: 'system', id: 'agentspace' },
		...(agentId === undefined || tool === undefined
			? {}
			: { subject: { type: 'tool', id: `${agentId}/${tool}`.slice(0, MAX_NAME) } }),
		severity: 'security',
		metadata: {
			action: 'tool_call',
			reason: 'tool call denials folded into a count (each is in the call log)',
			...(known
				? { agentId: agentId ?? null, tool: tool ?? null, errorCode: errorCode ?? null }
				: { kind: 'other' }),
			foldedBefore: folded,
		},
	});
}

/**
 * Records one tool call in the call log: one compact row (call id, time,
 * caller, agent, run, tool, the arguments' hash, a redacted summary of at most
 * 2 KB, status, error code, duration) — never the full arguments or result.
 * A denied call is also audited `security.denied` in the same transaction.
 * Writes through the one write path (`BEGIN IMMEDIATE`; a savepoint inside a
 * transaction the caller holds). Throws a ValidationError listing every bad
 * field, writing nothing.
 */
export function recordToolCall(db: AgentSpaceDb, input: ToolCallInput): ToolCallRecord {
	const prepared = prepareToolCall(input);
	withImmediateTransaction(db, (tx) => writeToolCall(tx, prepared));
	return prepared.record;
}
