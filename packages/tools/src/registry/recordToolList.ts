import { ConflictError, canonicalJson, sha256Hex, ValidationError } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import type { Actor, EventPayloadInput } from '@agentspace/events';
import { MAX_TOOL_LIST_BYTES, MAX_TOOLS_PER_AGENT } from '../limits.js';
import type { ToolDefinition } from '../toolDefinition.js';
import { recordPlannedToolChange, type ToolEventInput } from './recordToolChange.js';
import {
	checkAgentId,
	checkRunId,
	checkToolName,
	isApproved,
	requireAgent,
} from './registryInput.js';

type ListedTools = EventPayloadInput<'agent_tools_listed'>['tools'];

/** The actor of what the daemon records on its own (listings, clears). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'agentspace' };

/** Options of {@link recordToolList}. */
export interface RecordToolListOptions {
	readonly agentId: string;
	/** The run whose MCP session listed the tools: it must be the agent's current run. */
	readonly runId: string;
	/** The whole list (every page), as `toolDefinitionOf` kept it. */
	readonly tools: readonly ToolDefinition[];
	/** Default: AgentSpace itself (`system`). */
	readonly actor?: Actor;
	readonly sourceApp?: string;
}

/** What a listing changed. */
export interface RecordToolListResult {
	/** Every tool the agent now offers, in its order. */
	readonly offered: readonly string[];
	/** Tools seen for the first time, whose definition is now pinned. */
	readonly pinned: readonly string[];
	/** Tools whose definition differs from their pin: not callable until accepted. */
	readonly drifted: readonly string[];
	readonly audits: readonly AuditRecord[];
}

/**
 * Records the tool list of a running MCP agent (on start and after
 * `list_changed`): it replaces what the agent offered. Pinning: the first
 * definition seen of each tool of an approved agent is pinned
 * (`tool_pinned`); a definition that differs from its pin is held back as
 * drifted (`tool_drifted`, audited as security-relevant with both hashes)
 * until `acceptTool`; a tool back at its pinned definition is offered again.
 * Events and audit entries are written in one transaction.
 */
export function recordToolList(
	db: AgentSpaceDb,
	options: RecordToolListOptions,
): RecordToolListResult {
	checkAgentId(options.agentId);
	checkRunId(options.runId);
	checkTools(options.tools);
	const { agentId, runId, tools } = options;
	const { result, recorded } = recordPlannedToolChange(db, (tx) => {
		const agent = requireAgent(tx, agentId);
		if (agent.current_run_id !== runId) {
			throw new ConflictError(
				`run "${runId}" is not the current run of "${agentId}": its tool list was not recorded`,
				{ hint: 'only the running session of an agent lists its tools; nothing was changed' },
			);
		}
		const pins = new Map(
			(
				tx.$client
					.prepare('SELECT name, definition_hash AS hash FROM tool_pins WHERE agent_id = ?')
					.all(agentId) as { name: string; hash: string }[]
			).map((p) => [p.name, p.hash]),
		);
		const before = new Map(
			(
				tx.$client
					.prepare(
						'SELECT name, state, definition_hash AS hash, run_id AS runId FROM tools WHERE agent_id = ?',
					)
					.all(agentId) as { name: string; state: string; hash: string; runId: string }[]
			).map((t) => [t.name, t]),
		);
		const approved = isApproved(agent);
		const pinned: string[] = [];
		const drifted: string[] = [];
		const events: ToolEventInput[] = [
			{
				type: 'agent_tools_listed',
				// Checked above and by the event's schema (JSON values, bounded).
				fields: { agent_id: agentId, run_id: runId, tools: [...tools] as ListedTools },
			},
		];
		const newDrifts: { tool: string; pinnedHash: string; offeredHash: string }[] = [];
		for (const tool of tools) {
			const pin = pins.get(tool.name);
			if (pin === undefined) {
				// Pinned only once the user has approved the agent: a trust decision.
				if (!approved) continue;
				pinned.push(tool.name);
				events.push({
					type: 'tool_pinned',
					fields: { agent_id: agentId, tool: tool.name, definition_hash: tool.definitionHash },
				});
			} else if (pin !== tool.definitionHash) {
				drifted.push(tool.name);
				const was = before.get(tool.name);
				// Recorded (and audited) once per change, not at every re-listing.
				if (was?.state === 'drifted' && was.hash === tool.definitionHash) continue;
				newDrifts.push({ tool: tool.name, pinnedHash: pin, offeredHash: tool.definitionHash });
				events.push({
					type: 'tool_drifted',
					fields: {
						agent_id: agentId,
						run_id: runId,
						tool: tool.name,
						pinned_hash: pin,
						offered_hash: tool.definitionHash,
					},
				});
			}
		}
		const result = { offered: tools.map((t) => t.name), pinned, drifted };
		// The same list again (a list_changed that changed nothing, or an agent
		// sending it over and over): nothing new to record, so nothing is written.
		const unchanged =
			events.length === 1 &&
			before.size === tools.length &&
			tools.every((t) => {
				const was = before.get(t.name);
				return was?.hash === t.definitionHash && was.runId === runId;
			});
		if (unchanged) return { result, change: undefined };
		return {
			result,
			change: {
				actor: options.actor ?? SYSTEM_ACTOR,
				...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
				events,
				audits: [
					{
						eventType: 'tools.listed',
						agentId,
						metadata: {
							runId,
							tools: tools.length,
							pinned: bounded(pinned),
							drifted: bounded(drifted),
						},
					},
					...(newDrifts.length === 0
						? []
						: [
								{
									eventType: 'tools.drifted',
									agentId,
									severity: 'security' as const,
									metadata: {
										runId,
										reason:
											'offered tool definitions differ from their pins; held back until accepted',
										count: newDrifts.length,
										tools: bounded(newDrifts),
									},
								},
							]),
				],
			},
		};
	});
	return { ...result, audits: recorded?.audits ?? [] };
}

/** The most names (or drifts) one audit entry lists; the events hold them all. */
const AUDIT_LIST_LIMIT = 100;

// An agent may list 1,000 tools: the audit entry stays compact.
function bounded<T>(items: readonly T[]): readonly T[] {
	return items.length <= AUDIT_LIST_LIMIT ? items : items.slice(0, AUDIT_LIST_LIMIT);
}

// The definitions come from an agent, through toolDefinitionOf; checked again
// here because this is the write path: a hash that does not match its
// definition would let a changed tool pass as pinned.
function checkTools(tools: readonly ToolDefinition[]): void {
	if (!Array.isArray(tools)) {
		throw new ValidationError('tools must be an array of tool definitions', {
			hint: 'pass the list toolDefinitionOf kept; nothing was changed',
			issues: [{ path: 'tools', message: 'must be an array' }],
		});
	}
	if (tools.length > MAX_TOOLS_PER_AGENT) {
		throw new ValidationError(`${tools.length} tools: more than ${MAX_TOOLS_PER_AGENT}`, {
			hint: `an agent may offer at most ${MAX_TOOLS_PER_AGENT} tools; nothing was changed`,
			issues: [{ path: 'tools', message: `must have at most ${MAX_TOOLS_PER_AGENT} items` }],
		});
	}
	// A second line of defence behind the session's budget: one event holds the
	// whole list, and the event store has no size cap of its own.
	const listBytes = Buffer.byteLength(canonicalJson(tools));
	if (listBytes > MAX_TOOL_LIST_BYTES) {
		throw new ValidationError(
			`the tool list is ${listBytes} bytes of canonical JSON, over the limit of ${MAX_TOOL_LIST_BYTES}`,
			{
				hint: 'record the list the session kept (it drops the tools past the budget); nothing was changed',
				issues: [{ path: 'tools', message: `must be at most ${MAX_TOOL_LIST_BYTES} bytes` }],
			},
		);
	}
	const issues: { path: string; message: string }[] = [];
	const seen = new Set<string>();
	for (const [index, tool] of tools.entries()) {
		try {
			checkToolName(tool?.name);
		} catch {
			issues.push({ path: `/tools/${index}/name`, message: 'is not an MCP tool name' });
			continue;
		}
		if (seen.has(tool.name))
			issues.push({ path: `/tools/${index}/name`, message: `${tool.name} is listed twice` });
		seen.add(tool.name);
		const { name, title, description, inputSchema, outputSchema, annotations } = tool;
		const hash = sha256Hex(
			canonicalJson({ name, title, description, inputSchema, outputSchema, annotations }),
		);
		if (hash !== tool.definitionHash)
			issues.push({
				path: `/tools/${index}/definitionHash`,
				message: 'does not match the definition',
			});
	}
	if (issues.length > 0) {
		throw new ValidationError(
			`invalid tool list:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
			{ hint: 'record only definitions toolDefinitionOf kept; nothing was changed', issues },
		);
	}
}
