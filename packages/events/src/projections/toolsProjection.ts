import type { EventOfType } from '../catalogue/catalogue.js';
import { defineProjection } from './defineProjection.js';
import { jsonColumn } from './json.js';
import type { ProjectionContext } from './projectionContext.js';

/** A `tools` row as the pin handlers read it. */
interface OfferedRow {
	readonly name: string;
	readonly title: string | null;
	readonly description: string | null;
	readonly input_schema: string;
	readonly output_schema: string | null;
	readonly annotations: string | null;
	readonly definition_hash: string;
}

// The pinned definition is the offered one at the time, copied from its
// `tools` row (the listing that offered it came first, in the same
// transaction): the pin events carry only the hash, so a definition is stored
// once in the log. Key order is fixed, so a rebuild writes the same bytes.
function definitionJson(row: OfferedRow): string {
	const definition: Record<string, unknown> = { name: row.name };
	if (row.title !== null) definition.title = row.title;
	if (row.description !== null) definition.description = row.description;
	definition.inputSchema = JSON.parse(row.input_schema);
	if (row.output_schema !== null) definition.outputSchema = JSON.parse(row.output_schema);
	if (row.annotations !== null) definition.annotations = JSON.parse(row.annotations);
	definition.definitionHash = row.definition_hash;
	return JSON.stringify(definition);
}

function offered(
	context: ProjectionContext,
	agentId: string,
	tool: string,
	hash: string,
): OfferedRow | undefined {
	return context.get<OfferedRow>(
		`SELECT name, title, description, input_schema, output_schema, annotations, definition_hash
		FROM tools WHERE agent_id = ? AND name = ? AND definition_hash = ?`,
		agentId,
		tool,
		hash,
	);
}

// Pins the offered definition (first sight or accepted) and marks it offered again.
function pin(
	context: ProjectionContext,
	e: EventOfType<'tool_pinned' | 'tool_accepted'>,
	acceptedBy: string | null,
): void {
	const row = offered(context, e.agent_id, e.tool, e.definition_hash);
	if (row === undefined) return;
	context.run(
		`INSERT INTO tool_pins (agent_id, name, definition_hash, definition, pinned_at, accepted_by)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (agent_id, name) DO UPDATE SET definition_hash = excluded.definition_hash,
			definition = excluded.definition, pinned_at = excluded.pinned_at, accepted_by = excluded.accepted_by`,
		e.agent_id,
		e.tool,
		e.definition_hash,
		definitionJson(row),
		e.timestamp,
		acceptedBy,
	);
	context.run(
		`UPDATE tools SET state = 'offered' WHERE agent_id = ? AND name = ?`,
		e.agent_id,
		e.tool,
	);
}

// A run's tools go when its session or the run itself ends (whichever is
// recorded first; a lost run reconciled later clears them too).
function clearRun(context: ProjectionContext, agentId: string, runId: string): void {
	context.run('DELETE FROM tools WHERE agent_id = ? AND run_id = ?', agentId, runId);
}

/**
 * The tools projection: `tools` (what each running MCP agent offers, and
 * whether each differs from its pin), `tool_pins` (the trusted definitions,
 * kept across runs) and `tool_policies` (the user's allow/deny rows).
 */
export const toolsProjection = defineProjection({
	name: 'tools',
	tables: ['tools', 'tool_pins', 'tool_policies'],
	handlers: {
		agent_tools_listed: (context, e) => {
			// The list replaces what the agent offered before (one run at a time).
			context.run('DELETE FROM tools WHERE agent_id = ?', e.agent_id);
			for (const tool of e.tools) {
				context.run(
					`INSERT INTO tools (agent_id, name, title, description, input_schema, output_schema,
						annotations, definition_hash, run_id, state, listed_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
						CASE WHEN EXISTS (SELECT 1 FROM tool_pins p WHERE p.agent_id = ? AND p.name = ?
							AND p.definition_hash <> ?) THEN 'drifted' ELSE 'offered' END, ?)`,
					e.agent_id,
					tool.name,
					tool.title,
					tool.description,
					JSON.stringify(tool.inputSchema),
					jsonColumn(tool.outputSchema),
					jsonColumn(tool.annotations),
					tool.definitionHash,
					e.run_id,
					e.agent_id,
					tool.name,
					tool.definitionHash,
					e.timestamp,
				);
			}
		},
		agent_tools_cleared: (context, e) => clearRun(context, e.agent_id, e.run_id),
		agent_run_stopped: (context, e) => clearRun(context, e.agent_id, e.run_id),
		agent_run_crashed: (context, e) => clearRun(context, e.agent_id, e.run_id),
		// Pins and policies are trust decisions about this agent's code: a
		// different agent installed later under the same id must not inherit them.
		agent_uninstalled: (context, e) => {
			context.run('DELETE FROM tools WHERE agent_id = ?', e.agent_id);
			context.run('DELETE FROM tool_pins WHERE agent_id = ?', e.agent_id);
			context.run('DELETE FROM tool_policies WHERE agent_id = ?', e.agent_id);
		},
		tool_pinned: (context, e) => pin(context, e, null),
		tool_drifted: (context, e) => {
			context.run(
				`UPDATE tools SET state = 'drifted' WHERE agent_id = ? AND name = ? AND definition_hash = ?`,
				e.agent_id,
				e.tool,
				e.offered_hash,
			);
		},
		tool_accepted: (context, e) => pin(context, e, e.metadata.actor.id),
		tool_policy_set: (context, e) => {
			context.run(
				`INSERT INTO tool_policies (agent_id, tool, policy, set_at, set_by) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (agent_id, tool) DO UPDATE SET policy = excluded.policy,
					set_at = excluded.set_at, set_by = excluded.set_by`,
				e.agent_id,
				e.tool,
				e.policy,
				e.timestamp,
				e.metadata.actor.id,
			);
		},
	},
});
