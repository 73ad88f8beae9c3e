import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Projection: the tools each running MCP agent offers (written only by the tools
 * projection). One row per (agent, tool name) from the agent's latest tool list;
 * the rows go when the run ends. Every text here came from the agent: untrusted.
 */
export const tools = sqliteTable(
	'tools',
	{
		agentId: text('agent_id').notNull(),
		name: text('name').notNull(),
		title: text('title'),
		description: text('description'),
		/** JSON Schema (JSON text) of the tool's arguments. */
		inputSchema: text('input_schema').notNull(),
		/** JSON Schema (JSON text) of the tool's structured result; null when not declared. */
		outputSchema: text('output_schema'),
		/** JSON object of the tool's annotations (readOnlyHint, destructiveHint, ...); null when none. */
		annotations: text('annotations'),
		/** sha256 hex of the canonical definition (see ToolDefinition.definitionHash). */
		definitionHash: text('definition_hash').notNull(),
		runId: text('run_id').notNull(),
		/** offered | drifted (differs from its pin: not callable until accepted) */
		state: text('state').notNull(),
		listedAt: text('listed_at').notNull(),
	},
	(table) => [primaryKey({ columns: [table.agentId, table.name] })],
);

/** Projection: the pinned (trusted) definition of each tool of each agent, kept across runs. */
export const toolPins = sqliteTable(
	'tool_pins',
	{
		agentId: text('agent_id').notNull(),
		name: text('name').notNull(),
		definitionHash: text('definition_hash').notNull(),
		/** JSON object: the pinned definition (name, title, description, schemas, annotations). */
		definition: text('definition').notNull(),
		pinnedAt: text('pinned_at').notNull(),
		/** Who accepted the current pin; null when pinned on first sight. */
		acceptedBy: text('accepted_by'),
	},
	(table) => [primaryKey({ columns: [table.agentId, table.name] })],
);

/** Projection: explicit tool policies; `tool` is a tool name or '*' (every tool of the agent). */
export const toolPolicies = sqliteTable(
	'tool_policies',
	{
		agentId: text('agent_id').notNull(),
		tool: text('tool').notNull(),
		/** allow | deny */
		policy: text('policy').notNull(),
		setAt: text('set_at').notNull(),
		setBy: text('set_by').notNull(),
	},
	(table) => [primaryKey({ columns: [table.agentId, table.tool] })],
);

/**
 * The tool call log: one compact row per call through the router (not events:
 * the volume would swamp the event log). Pruned by retention; full arguments
 * and results are never stored, only a hash and a redacted, bounded summary.
 */
export const toolCalls = sqliteTable(
	'tool_calls',
	{
		callId: text('call_id').primaryKey(),
		/** ISO timestamp of the call's start. */
		at: text('at').notNull(),
		/** user | mcp-client | agent | system */
		callerType: text('caller_type').notNull(),
		callerId: text('caller_id').notNull(),
		/** JSON object (bounded) describing the caller; null when none. */
		callerDetail: text('caller_detail'),
		agentId: text('agent_id').notNull(),
		runId: text('run_id'),
		tool: text('tool').notNull(),
		/** sha256 hex of the canonical JSON of the arguments. */
		argsHash: text('args_hash').notNull(),
		/** Redacted summary, at most 2 KB. */
		summary: text('summary').notNull(),
		/** ok | error | denied | invalid | cancelled | timeout */
		status: text('status').notNull(),
		errorCode: text('error_code'),
		durationMs: integer('duration_ms').notNull(),
	},
	(table) => [
		index('tool_calls_at_idx').on(table.at),
		index('tool_calls_agent_at_idx').on(table.agentId, table.at),
		index('tool_calls_tool_at_idx').on(table.tool, table.at),
		index('tool_calls_status_at_idx').on(table.status, table.at),
		// Two filters: one index holds both equalities, so the query stops at its
		// limit even when they rarely match together (with one, it read every row
		// the first filter matched).
		index('tool_calls_agent_tool_at_idx').on(table.agentId, table.tool, table.at),
		index('tool_calls_agent_status_at_idx').on(table.agentId, table.status, table.at),
		index('tool_calls_tool_status_at_idx').on(table.tool, table.status, table.at),
	],
);
