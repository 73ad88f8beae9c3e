import { ConflictError, canonicalJson, ValidationError } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import type { Actor, FleetEvent } from '@agentspace/events';
import {
	MAX_CAPABILITIES_BYTES,
	MAX_PROTOCOL_VERSION_LENGTH,
	MAX_SERVER_INFO_LENGTH,
} from '../limits.js';
import { recordPlannedToolChange } from './recordToolChange.js';
import { SYSTEM_ACTOR } from './recordToolList.js';
import { checkAgentId, checkRunId, requireAgent } from './registryInput.js';

/** The most top-level capability keys kept when the capabilities are over the bound. */
const MAX_CAPABILITY_KEYS = 32;

/** What an MCP server said about itself in its `initialize` answer. */
export interface McpServerInfo {
	readonly name: string;
	readonly version: string;
	readonly title?: string;
}

/** Options of {@link recordMcpHandshake}. */
export interface RecordMcpHandshakeOptions {
	readonly agentId: string;
	/** The run whose MCP session completed `initialize`: it must be the agent's current run. */
	readonly runId: string;
	/** The protocol version negotiated in `initialize`. */
	readonly protocolVersion: string;
	/** The agent's `serverInfo` (its `instructions` are not recorded). */
	readonly serverInfo: McpServerInfo;
	/** The capabilities the agent declared. */
	readonly capabilities: Readonly<Record<string, unknown>>;
	/** Default: AgentSpace itself (`system`). */
	readonly actor?: Actor;
	readonly sourceApp?: string;
}

/** What {@link recordMcpHandshake} stored. */
export interface RecordMcpHandshakeResult {
	/** The `agent_mcp_connected` event. */
	readonly event: FleetEvent;
	/** True when the capabilities were over {@link MAX_CAPABILITIES_BYTES} and only their keys were kept. */
	readonly capabilitiesCut: boolean;
	readonly audits: readonly AuditRecord[];
}

/**
 * Records that a run of an MCP agent completed the `initialize` handshake
 * (`agent_mcp_connected`, audited `tools.connected`, in one transaction): the
 * negotiated protocol version, the server's name, version and title, and its
 * capabilities. All of it comes from the agent: each string is cut to the
 * limits of limits.ts, and capabilities over {@link MAX_CAPABILITIES_BYTES}
 * of canonical JSON are kept as their top-level keys only. Nothing is escaped
 * here — whoever displays it escapes it. Refuses (`CONFLICT`) a run that is
 * not the agent's current one.
 */
export function recordMcpHandshake(
	db: AgentSpaceDb,
	options: RecordMcpHandshakeOptions,
): RecordMcpHandshakeResult {
	checkAgentId(options.agentId);
	checkRunId(options.runId);
	const { agentId, runId } = options;
	const protocolVersion = checkProtocolVersion(options.protocolVersion);
	const server = checkServerInfo(options.serverInfo);
	const { capabilities, cut } = boundedCapabilities(options.capabilities);
	const { recorded } = recordPlannedToolChange(db, (tx) => {
		const agent = requireAgent(tx, agentId);
		if (agent.current_run_id !== runId) {
			throw new ConflictError(
				`run "${runId}" is not the current run of "${agentId}": its MCP handshake was not recorded`,
				{ hint: 'only the running session of an agent records its handshake; nothing was changed' },
			);
		}
		return {
			result: undefined,
			change: {
				actor: options.actor ?? SYSTEM_ACTOR,
				...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
				events: [
					{
						type: 'agent_mcp_connected',
						fields: {
							agent_id: agentId,
							run_id: runId,
							protocol_version: protocolVersion,
							server,
							capabilities: capabilities as never,
						},
					},
				],
				audits: [
					{
						eventType: 'tools.connected',
						agentId,
						metadata: {
							runId,
							protocolVersion,
							server: { name: server.name, version: server.version },
							capabilities: Object.keys(capabilities).slice(0, MAX_CAPABILITY_KEYS),
							...(cut ? { capabilitiesCut: true } : {}),
						},
					},
				],
			},
		};
	});
	// recordPlannedToolChange records whenever the plan returns a change, as here.
	const event = recorded?.events[0] as FleetEvent;
	return { event, capabilitiesCut: cut, audits: recorded?.audits ?? [] };
}

// Cut to `max` UTF-16 units without splitting a surrogate pair.
function cutTo(value: string, max: number): string {
	if (value.length <= max) return value;
	const end = /[\uD800-\uDBFF]/.test(value.charAt(max - 1)) ? max - 1 : max;
	return value.slice(0, end);
}

function checkProtocolVersion(version: unknown): string {
	if (typeof version !== 'string' || version.length === 0) {
		throw new ValidationError(`invalid protocol version ${JSON.stringify(version)?.slice(0, 80)}`, {
			hint: 'pass the version negotiated in initialize (the session has it); nothing was changed',
			issues: [{ path: 'protocolVersion', message: 'must be a non-empty string' }],
		});
	}
	return cutTo(version, MAX_PROTOCOL_VERSION_LENGTH);
}

function checkServerInfo(info: unknown): McpServerInfo {
	const bad = (path: string, message: string) =>
		new ValidationError(`invalid server info: ${path} ${message}`, {
			hint: "pass the agent's serverInfo from its initialize answer; nothing was changed",
			issues: [{ path, message }],
		});
	if (info === null || typeof info !== 'object' || Array.isArray(info))
		throw bad('serverInfo', 'must be an object');
	const { name, version, title } = info as Record<string, unknown>;
	if (typeof name !== 'string') throw bad('serverInfo.name', 'must be a string');
	if (typeof version !== 'string') throw bad('serverInfo.version', 'must be a string');
	if (title !== undefined && typeof title !== 'string')
		throw bad('serverInfo.title', 'must be a string when given');
	return {
		name: cutTo(name, MAX_SERVER_INFO_LENGTH),
		version: cutTo(version, MAX_SERVER_INFO_LENGTH),
		...(title === undefined ? {} : { title: cutTo(title, MAX_SERVER_INFO_LENGTH) }),
	};
}

// The whole object when its canonical JSON fits, else its top-level keys (each
// `{}`, the keys themselves cut): enough to tell what the agent declared.
function boundedCapabilities(capabilities: unknown): {
	capabilities: Record<string, unknown>;
	cut: boolean;
} {
	if (capabilities === null || typeof capabilities !== 'object' || Array.isArray(capabilities)) {
		throw new ValidationError('invalid capabilities: must be an object', {
			hint: 'pass the capabilities the agent declared in initialize; nothing was changed',
			issues: [{ path: 'capabilities', message: 'must be an object' }],
		});
	}
	let json: string | undefined;
	try {
		json = canonicalJson(capabilities);
	} catch {
		// Too deep to serialise (or not JSON): only its keys are kept below.
	}
	if (json !== undefined && Buffer.byteLength(json) <= MAX_CAPABILITIES_BYTES) {
		return { capabilities: JSON.parse(json) as Record<string, unknown>, cut: false };
	}
	const keys = Object.keys(capabilities)
		.slice(0, MAX_CAPABILITY_KEYS)
		.map((key) => cutTo(key, MAX_SERVER_INFO_LENGTH));
	return { capabilities: Object.fromEntries(keys.map((key) => [key, {}])), cut: true };
}
