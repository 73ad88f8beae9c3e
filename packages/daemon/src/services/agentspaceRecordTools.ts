import { readRunLog } from '@agentspace/agents';
import {
	type FieldIssue,
	isValidationError,
	printableLine,
	ValidationError,
} from '@agentspace/core';
import { type AuditQuery, getAuditEvents } from '@agentspace/db';
import type { BuiltinTool } from '@agentspace/tools';
import {
	AGENT_ID_SCHEMA,
	type AgentspaceToolsOptions,
	cut,
	jsonResult,
	NULLABLE_STRING,
} from './agentspaceToolCommon.js';

/** The most audit entries one search answers with. */
export const MAX_AUDIT_RESULTS = 100;
/** Metadata of an entry up to this many characters of JSON is given whole; longer, as an excerpt. */
const MAX_METADATA_CHARS = 1000;
/** The most log lines one agent_logs answers with. */
export const MAX_LOG_LINES = 200;
/** Each log line is cut to this many characters. */
export const MAX_LOG_LINE_CHARS = 500;
/**
 * The most bytes one agent_logs reads from the end of the log (enough for
 * MAX_LOG_LINES ordinary lines): the read runs on the daemon's event loop,
 * and a whole rotated log with a stream filter was tens of MiB a call.
 */
export const MAX_LOG_READ_BYTES = 256 * 1024;

// ISO 8601 date-times as the audit query takes them (RE2-safe: the router matches patterns in linear time).
const ISO_TIME = {
	type: 'string',
	pattern:
		'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})$',
	description: 'ISO 8601, e.g. 2026-12-06T10:00:00Z',
} as const;
const EVENT_TYPE = { type: 'string', minLength: 1, maxLength: 128 } as const;

interface SearchArgs {
	readonly event_type?: string | readonly string[];
	readonly agent?: string;
	readonly since?: string;
	readonly until?: string;
	readonly limit?: number;
	readonly order?: 'asc' | 'desc';
}

function who(party: { readonly type: string; readonly id: string | null } | null): string | null {
	if (party === null) return null;
	return party.id === null ? party.type : `${party.type}:${party.id}`;
}

/** `agentspace/search_audit`: audit entries by type, agent and time, newest first (read-only). */
export function searchAuditTool(options: AgentspaceToolsOptions): BuiltinTool {
	return {
		name: 'search_audit',
		title: 'Search the audit log',
		description: `The tamper-evident audit log's entries (already redacted), newest first unless order is "asc": filter by event_type (e.g. "security.denied", "agents.run_started"; one or a list), by agent (entries about it), and by time. At most ${MAX_AUDIT_RESULTS}; metadata over ${MAX_METADATA_CHARS} characters of JSON is given as an excerpt.`,
		inputSchema: {
			type: 'object',
			properties: {
				event_type: {
					oneOf: [EVENT_TYPE, { type: 'array', items: EVENT_TYPE, minItems: 1, maxItems: 10 }],
				},
				agent: AGENT_ID_SCHEMA,
				since: ISO_TIME,
				until: ISO_TIME,
				limit: { type: 'integer', minimum: 1, maximum: MAX_AUDIT_RESULTS, default: 20 },
				order: { enum: ['asc', 'desc'], default: 'desc' },
			},
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				entries: {
					type: 'array',
					items: {
						type: 'object',
						properties: {
							id: { type: 'integer' },
							time: { type: 'string' },
							event_type: { type: 'string' },
							severity: { type: 'string' },
							actor: NULLABLE_STRING,
							subject: NULLABLE_STRING,
							source_app: NULLABLE_STRING,
							metadata: { type: 'object' },
							metadata_excerpt: { type: 'string' },
						},
						required: ['id', 'time', 'event_type', 'severity'],
					},
				},
			},
			required: ['entries'],
		},
		annotations: { readOnlyHint: true, openWorldHint: false },
		async call(raw) {
			const args = raw as SearchArgs;
			const query: AuditQuery = {
				...(args.event_type === undefined ? {} : { type: args.event_type }),
				...(args.agent === undefined ? {} : { subjectType: 'agent', subjectId: args.agent }),
				...(args.since === undefined ? {} : { since: args.since }),
				...(args.until === undefined ? {} : { until: args.until }),
				limit: args.limit ?? 20,
				order: args.order ?? 'desc',
			};
			let records: Awaited<ReturnType<typeof getAuditEvents>>;
			try {
				records = await getAuditEvents(options.db, query);
			} catch (error) {
				// The audit query's own checks (a date that does not exist): named as this tool's fields.
				if (!isValidationError(error)) throw error;
				const issues: FieldIssue[] = error.issues.map((issue) => ({
					path: `/${{ subjectId: 'agent', type: 'event_type' }[issue.path] ?? issue.path}`,
					message: issue.message,
				}));
				throw new ValidationError(
					`invalid arguments for agentspace/search_audit: ${error.message}`,
					{
						hint: 'fix the listed fields',
						issues,
					},
				);
			}
			return jsonResult({
				entries: records.map((record) => {
					const metadata = JSON.stringify(record.metadata);
					return {
						id: record.id,
						time: record.timestamp,
						event_type: record.eventType,
						severity: record.severity,
						actor: who(record.actor),
						subject: who(record.subject),
						source_app: record.sourceApp,
						...(metadata.length <= MAX_METADATA_CHARS
							? { metadata: record.metadata }
							: { metadata_excerpt: cut(metadata, MAX_METADATA_CHARS) }),
					};
				}),
			});
		},
	};
}

/** `agentspace/agent_logs`: the last lines of an agent's run log, already redacted (read-only). */
export function agentLogsTool(options: AgentspaceToolsOptions): BuiltinTool {
	return {
		name: 'agent_logs',
		title: "Read an agent's log",
		description: `The last lines of an agent's run log (its latest run unless run_id names one), oldest first: its stdout, stderr and AgentSpace's notes, secrets already redacted when written. At most ${MAX_LOG_LINES} lines, each cut at ${MAX_LOG_LINE_CHARS} characters, control and invisible characters shown as \\u{…}.`,
		inputSchema: {
			type: 'object',
			properties: {
				id: AGENT_ID_SCHEMA,
				lines: { type: 'integer', minimum: 1, maximum: MAX_LOG_LINES, default: 50 },
				stream: { enum: ['stdout', 'stderr'] },
				// A run id names a file under the agent's logs: only the ids AgentSpace makes.
				run_id: { type: 'string', pattern: '^run_[A-Za-z0-9_-]{1,64}$' },
			},
			required: ['id'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				id: { type: 'string' },
				run_id: { type: 'string' },
				lines: {
					type: 'array',
					items: {
						type: 'object',
						properties: {
							time: { type: 'string' },
							stream: { type: 'string' },
							text: { type: 'string' },
						},
						required: ['time', 'stream', 'text'],
					},
				},
			},
			required: ['id', 'run_id', 'lines'],
		},
		annotations: { readOnlyHint: true, openWorldHint: false },
		async call(raw) {
			const args = raw as {
				id: string;
				lines?: number;
				stream?: 'stdout' | 'stderr';
				run_id?: string;
			};
			const { runId, entries } = readRunLog(options.db, {
				home: options.home,
				id: args.id,
				lines: args.lines ?? 50,
				maxBytes: MAX_LOG_READ_BYTES,
				...(args.run_id === undefined ? {} : { runId: args.run_id }),
				...(args.stream === undefined ? {} : { stream: args.stream }),
			});
			return jsonResult({
				id: args.id,
				run_id: runId,
				lines: entries.map((entry) => ({
					time: entry.time,
					stream: entry.stream,
					text: cut(printableLine(entry.text), MAX_LOG_LINE_CHARS),
				})),
			});
		},
	};
}
