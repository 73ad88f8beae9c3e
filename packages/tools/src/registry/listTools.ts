import { canonicalJson, type SecurityMode, ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, prepared } from '@agentspace/db';
import type { ToolDefinition } from '../toolDefinition.js';
import { checkAgentId, checkToolName, type ToolPolicy } from './registryInput.js';

/** Where a tool's effective policy came from. */
export type ToolPolicySource = 'tool' | 'agent' | 'default';

/** A drifted tool's two definitions, and the fields that differ. */
export interface ToolDrift {
	readonly pinned: ToolDefinition;
	readonly offered: ToolDefinition;
	/** e.g. `['description', 'inputSchema']`. */
	readonly changed: readonly string[];
}

/** One tool an agent offers now, with its pin state and effective policy. */
export interface ToolRow {
	readonly agentId: string;
	readonly runId: string;
	readonly name: string;
	/** As offered (untrusted text: escape it before showing it). */
	readonly definition: ToolDefinition;
	/** `drifted`: differs from its pin, not callable until accepted. */
	readonly state: 'offered' | 'drifted';
	/** The pin, or undefined when the tool is not pinned (its agent was not approved when it was listed). */
	readonly pin:
		| {
				readonly definitionHash: string;
				readonly pinnedAt: string;
				readonly acceptedBy: string | null;
		  }
		| undefined;
	/** Present when drifted. */
	readonly drift?: ToolDrift;
	readonly policy: ToolPolicy;
	readonly policySource: ToolPolicySource;
	/** Offered as pinned and allowed (the router still checks the agent is running and healthy). */
	readonly callable: boolean;
	readonly listedAt: string;
}

/** Options of {@link listTools}. */
export interface ListToolsOptions {
	/** Only this agent's tools. */
	readonly agentId?: string;
	/** The config's securityMode: the default policy of tools without an explicit row. */
	readonly securityMode: SecurityMode;
}

const SECURITY_MODES: readonly SecurityMode[] = ['full-control', 'limited-control'];
const DEFINITION_FIELDS = [
	'title',
	'description',
	'inputSchema',
	'outputSchema',
	'annotations',
] as const;

interface JoinedRow {
	agent_id: string;
	name: string;
	title: string | null;
	description: string | null;
	input_schema: string;
	output_schema: string | null;
	annotations: string | null;
	definition_hash: string;
	run_id: string;
	state: 'offered' | 'drifted';
	listed_at: string;
	pin_hash: string | null;
	pin_definition: string | null;
	pinned_at: string | null;
	accepted_by: string | null;
	tool_policy: ToolPolicy | null;
	agent_policy: ToolPolicy | null;
	approved: number;
}

// One query for the whole list (20 agents × 50 tools must list in well under 20 ms).
const SELECT = `SELECT t.agent_id, t.name, t.title, t.description, t.input_schema, t.output_schema,
		t.annotations, t.definition_hash, t.run_id, t.state, t.listed_at,
		p.definition_hash AS pin_hash, p.definition AS pin_definition, p.pinned_at, p.accepted_by,
		tp.policy AS tool_policy, ap.policy AS agent_policy,
		(a.approved_permissions IS NOT NULL AND a.approved_manifest_hash = a.manifest_hash
			AND a.approved_permissions_hash = a.permissions_hash) AS approved
	FROM tools t
	LEFT JOIN tool_pins p ON p.agent_id = t.agent_id AND p.name = t.name
	LEFT JOIN tool_policies tp ON tp.agent_id = t.agent_id AND tp.tool = t.name
	LEFT JOIN tool_policies ap ON ap.agent_id = t.agent_id AND ap.tool = '*'
	LEFT JOIN agents a ON a.agent_id = t.agent_id`;

/**
 * The tools running MCP agents offer, by agent then name, each with its pin
 * state, drift (pinned vs offered definition) and effective policy: the
 * tool's own row, else the agent's `*` row, else the securityMode default —
 * `full-control` allows every tool of an approved agent, `limited-control`
 * only tools annotated `readOnlyHint: true`.
 */
export function listTools(db: AgentSpaceDb, options: ListToolsOptions): ToolRow[] {
	checkSecurityMode(options.securityMode);
	if (options.agentId !== undefined) checkAgentId(options.agentId);
	const rows = (
		options.agentId === undefined
			? prepared(db.$client, `${SELECT} ORDER BY t.agent_id, t.name`).all()
			: prepared(db.$client, `${SELECT} WHERE t.agent_id = ? ORDER BY t.name`).all(options.agentId)
	) as JoinedRow[];
	return rows.map((row) => toToolRow(row, options.securityMode));
}

/** One offered tool with its pin state and effective policy, or undefined when the agent does not offer it now. */
export function getTool(
	db: AgentSpaceDb,
	agentId: string,
	tool: string,
	securityMode: SecurityMode,
): ToolRow | undefined {
	checkSecurityMode(securityMode);
	checkAgentId(agentId);
	checkToolName(tool);
	// Prepared once per connection: the router looks a tool up on every call,
	// and preparing this join each time cost more than running it.
	const row = prepared(db.$client, `${SELECT} WHERE t.agent_id = ? AND t.name = ?`).get(
		agentId,
		tool,
	) as JoinedRow | undefined;
	return row === undefined ? undefined : toToolRow(row, securityMode);
}

/** The policy a tool gets when no row names it or its agent's `*`. */
export function defaultToolPolicy(
	securityMode: SecurityMode,
	tool: { readonly annotations?: { readonly readOnlyHint?: boolean } },
	agentApproved: boolean,
): ToolPolicy {
	if (!agentApproved) return 'deny';
	if (securityMode === 'full-control') return 'allow';
	return tool.annotations?.readOnlyHint === true ? 'allow' : 'deny';
}

function toToolRow(row: JoinedRow, securityMode: SecurityMode): ToolRow {
	const definition = definitionOf(row);
	const [policy, policySource]: [ToolPolicy, ToolPolicySource] =
		row.tool_policy !== null
			? [row.tool_policy, 'tool']
			: row.agent_policy !== null
				? [row.agent_policy, 'agent']
				: [defaultToolPolicy(securityMode, definition, row.approved === 1), 'default'];
	// Parsed only when it is shown as a diff: most tools are not drifted.
	const pinned =
		row.state !== 'drifted' || row.pin_definition === null
			? undefined
			: (JSON.parse(row.pin_definition) as ToolDefinition);
	return {
		agentId: row.agent_id,
		runId: row.run_id,
		name: row.name,
		definition,
		state: row.state,
		pin:
			row.pin_hash === null || row.pinned_at === null
				? undefined
				: { definitionHash: row.pin_hash, pinnedAt: row.pinned_at, acceptedBy: row.accepted_by },
		...(pinned !== undefined
			? { drift: { pinned, offered: definition, changed: changedFields(pinned, definition) } }
			: {}),
		policy,
		policySource,
		callable: row.state === 'offered' && policy === 'allow',
		listedAt: row.listed_at,
	};
}

function definitionOf(row: JoinedRow): ToolDefinition {
	return {
		name: row.name,
		...(row.title === null ? {} : { title: row.title }),
		...(row.description === null ? {} : { description: row.description }),
		inputSchema: JSON.parse(row.input_schema) as Record<string, unknown>,
		...(row.output_schema === null
			? {}
			: { outputSchema: JSON.parse(row.output_schema) as Record<string, unknown> }),
		...(row.annotations === null
			? {}
			: { annotations: JSON.parse(row.annotations) as ToolDefinition['annotations'] }),
		definitionHash: row.definition_hash,
	};
}

function changedFields(pinned: ToolDefinition, offered: ToolDefinition): string[] {
	return DEFINITION_FIELDS.filter(
		(field) => canonicalJson(pinned[field] ?? null) !== canonicalJson(offered[field] ?? null),
	);
}

function checkSecurityMode(mode: unknown): asserts mode is SecurityMode {
	if (!SECURITY_MODES.includes(mode as SecurityMode)) {
		throw new ValidationError(`invalid securityMode ${JSON.stringify(mode)}`, {
			hint: 'securityMode is full-control or limited-control (config.json, specs/config.md)',
			issues: [{ path: 'securityMode', message: 'must be "full-control" or "limited-control"' }],
		});
	}
}
