import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { AgentId, JsonObject, Sha256, Text } from './fields.js';

// Tools of MCP agents: what each agent offers, the pinned (trusted) definition
// of each tool, and the user's policy. Everything inside a tool definition came
// from the agent and is untrusted text; the bounds below mirror
// @agentspace/tools' limits (this package cannot import it: tools builds on events).

const agentStream = ({ agent_id }: { agent_id: string }) => `agent:${agent_id}`;

/** The most tools one listing may carry (tools' MAX_TOOLS_PER_AGENT). */
export const MAX_TOOLS_PER_LISTING = 1000;
/** The largest definition of one tool, as JSON (tools' MAX_TOOL_DEFINITION_BYTES). */
export const MAX_TOOL_DEFINITION_JSON_BYTES = 64 * 1024;

/** The largest capabilities object an `agent_mcp_connected` carries, as canonical JSON (tools' MAX_CAPABILITIES_BYTES). */
export const MAX_MCP_CAPABILITIES_JSON_BYTES = 16 * 1024;
/** The longest server name, version or title an `agent_mcp_connected` carries (tools' MAX_SERVER_INFO_LENGTH). */
export const MAX_MCP_SERVER_INFO_LENGTH = 200;

/** An MCP tool name: 1-128 of `A-Z a-z 0-9 _ . -` (the MCP specification's rule). */
export const ToolName = z
	.string()
	.regex(/^[A-Za-z0-9_.-]{1,128}$/, 'must be 1-128 letters, digits, "_", "." or "-"');

/** A tool policy's target: one tool's name, or `*` for every tool of the agent. */
export const ToolPolicyTarget = z.union([z.enum(['*']), ToolName]);

/** A tool policy: whether the router lets calls through. */
export const ToolPolicy = z.enum(['allow', 'deny']);

const RunId = z.string().min(1).max(128);

/**
 * One tool as an agent offered it, in the MCP field names (the shape of
 * @agentspace/tools' ToolDefinition): checked, bounded and hashed before it
 * is recorded.
 */
export const ToolDefinitionSchema = z
	.strictObject({
		name: ToolName,
		title: z.string().max(1024).optional(),
		description: Text.optional(),
		inputSchema: JsonObject,
		outputSchema: JsonObject.optional(),
		annotations: z
			.strictObject({
				title: z.string().max(1024).optional(),
				readOnlyHint: z.boolean().optional(),
				destructiveHint: z.boolean().optional(),
				idempotentHint: z.boolean().optional(),
				openWorldHint: z.boolean().optional(),
			})
			.optional(),
		definitionHash: Sha256,
	})
	.refine(
		(tool) => Buffer.byteLength(JSON.stringify(tool)) <= MAX_TOOL_DEFINITION_JSON_BYTES + 128,
		{ message: `must be at most ${MAX_TOOL_DEFINITION_JSON_BYTES} bytes as JSON` },
	);

/** What an MCP server said about itself in `initialize` (its `instructions` are not kept). */
export const McpServerInfoSchema = z.strictObject({
	name: z.string().max(MAX_MCP_SERVER_INFO_LENGTH),
	version: z.string().max(MAX_MCP_SERVER_INFO_LENGTH),
	title: z.string().max(MAX_MCP_SERVER_INFO_LENGTH).optional(),
});

/** MCP tools: listings of running agents, pins, drift and policy. */
export const TOOL_EVENTS = [
	defineEvent(
		'agent_mcp_connected',
		{
			agent_id: AgentId,
			run_id: RunId,
			protocol_version: z.string().min(1).max(64),
			server: McpServerInfoSchema,
			// The server's capabilities as it declared them, or only their top-level
			// keys (each `{}`) when the whole is over the bound.
			capabilities: JsonObject.refine(
				(caps) => Buffer.byteLength(JSON.stringify(caps)) <= MAX_MCP_CAPABILITIES_JSON_BYTES + 128,
				{ message: `must be at most ${MAX_MCP_CAPABILITIES_JSON_BYTES} bytes as JSON` },
			),
		},
		agentStream,
	),
	defineEvent(
		'agent_tools_listed',
		{
			agent_id: AgentId,
			run_id: RunId,
			tools: z
				.array(ToolDefinitionSchema)
				.max(MAX_TOOLS_PER_LISTING)
				.refine((tools) => new Set(tools.map((t) => t.name)).size === tools.length, {
					message: 'tool names must be unique',
				}),
		},
		agentStream,
	),
	defineEvent(
		'agent_tools_cleared',
		{ agent_id: AgentId, run_id: RunId, reason: Text.optional() },
		agentStream,
	),
	defineEvent(
		'tool_pinned',
		{ agent_id: AgentId, tool: ToolName, definition_hash: Sha256 },
		agentStream,
	),
	defineEvent(
		'tool_drifted',
		{
			agent_id: AgentId,
			run_id: RunId,
			tool: ToolName,
			pinned_hash: Sha256,
			offered_hash: Sha256,
		},
		agentStream,
	),
	defineEvent(
		'tool_accepted',
		{ agent_id: AgentId, tool: ToolName, definition_hash: Sha256, previous_hash: Sha256 },
		agentStream,
	),
	defineEvent(
		'tool_policy_set',
		{ agent_id: AgentId, tool: ToolPolicyTarget, policy: ToolPolicy },
		agentStream,
	),
] as const;
