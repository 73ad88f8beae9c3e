import {
	type AgentProtocol,
	type AgentRecord,
	agentProtocol,
	getAgent,
	listAgents,
	RESTART_POLICIES,
	type RestartPolicy,
	readInstalledManifest,
	type SupervisedAgent,
	stopAgent,
} from '@agentspace/agents';
import { NotFoundError } from '@agentspace/core';
import type { Actor } from '@agentspace/events';
import type { BuiltinTool, ToolCaller } from '@agentspace/tools';
import {
	AGENT_ID_SCHEMA,
	type AgentspaceToolsOptions,
	callerActor,
	cut,
	jsonResult,
	MCP_SOURCE_APP,
	NULLABLE_STRING,
} from './agentspaceToolCommon.js';

/** The most agents list_agents answers with. */
export const MAX_AGENTS_LISTED = 200;
/** The most permissions agent_status names of each kind. */
const MAX_PERMISSIONS_SHOWN = 50;
/** The longest grace period stop_agent takes, in seconds. */
export const MAX_STOP_GRACE_SECONDS = 60;

// Each agent's protocol is in its manifest on disk: read once per manifest hash.
function protocolReader(): (agent: AgentRecord) => AgentProtocol | null {
	const known = new Map<string, AgentProtocol | null>();
	return (agent) => {
		if (agent.installPath === null) return null;
		const key = `${agent.installPath}\u0000${agent.manifestHash}`;
		if (!known.has(key)) {
			let protocol: AgentProtocol | null;
			try {
				protocol = agentProtocol(
					readInstalledManifest({ ...agent, installPath: agent.installPath }).manifest,
				);
			} catch {
				// Unreadable or changed on disk: agent_status and the CLI say why.
				protocol = null;
			}
			if (known.size > 1000) known.clear();
			known.set(key, protocol);
		}
		return known.get(key) ?? null;
	};
}

/** The agent's live state: the catalogue's status, except while the daemon waits to restart it. */
function liveOf(agent: AgentRecord, supervised: SupervisedAgent | undefined) {
	return {
		status: supervised?.state === 'restarting' ? 'restarting' : agent.status,
		// A foreground run (`agents run --foreground`) is running without the daemon's supervision.
		running: agent.status === 'running' || supervised !== undefined,
	};
}

function requireKnown(options: AgentspaceToolsOptions, id: string): AgentRecord {
	const agent = getAgent(options.db, id);
	if (agent === undefined || agent.status === 'uninstalled') {
		throw new NotFoundError(`no agent ${JSON.stringify(id)}`, {
			hint: 'agentspace__list_agents lists the agents',
		});
	}
	return agent;
}

/** The actor a caller's start or stop is recorded as, the request noted in the daemon's log. */
function askedBy(options: AgentspaceToolsOptions, caller: ToolCaller, what: string): Actor {
	const actor = callerActor(caller);
	options.log?.(`agentspace tools: ${what} for ${actor.type}:${actor.id}`);
	return actor;
}

const AGENT_SUMMARY = {
	type: 'object',
	properties: {
		id: { type: 'string' },
		name: { type: 'string' },
		version: { type: 'string' },
		status: { type: 'string' },
		running: { type: 'boolean' },
		protocol: NULLABLE_STRING,
		approval: { type: 'string' },
	},
	required: ['id', 'status', 'running', 'protocol', 'approval'],
} as const;

/** `agentspace/list_agents`: every agent with its status (read-only). */
export function listAgentsTool(options: AgentspaceToolsOptions): BuiltinTool {
	const protocolOf = protocolReader();
	return {
		name: 'list_agents',
		title: 'List agents',
		description:
			'The agents AgentSpace knows, by id: status (installed, enabled, running, stopped, crashed…), whether it runs now, its protocol ("mcp" agents offer tools) and its approval ("approved", "drifted": changed since approval, "none": not enabled).',
		inputSchema: {
			type: 'object',
			properties: {
				running_only: { type: 'boolean', default: false },
				limit: { type: 'integer', minimum: 1, maximum: MAX_AGENTS_LISTED, default: 100 },
			},
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				agents: { type: 'array', items: AGENT_SUMMARY },
				more: { type: 'boolean' },
			},
			required: ['agents', 'more'],
		},
		annotations: { readOnlyHint: true, openWorldHint: false },
		async call(raw) {
			const args = raw as { running_only?: boolean; limit?: number };
			const limit = args.limit ?? 100;
			const supervised = new Map(options.launcher.list().map((s) => [s.id, s]));
			const agents = listAgents(options.db)
				.map((agent) => ({ agent, ...liveOf(agent, supervised.get(agent.id)) }))
				.filter((entry) => args.running_only !== true || entry.running);
			return jsonResult({
				agents: agents.slice(0, limit).map(({ agent, status, running }) => ({
					id: agent.id,
					name: cut(agent.name, 200),
					version: cut(agent.version, 100),
					status,
					running,
					protocol: protocolOf(agent),
					approval: agent.approval,
				})),
				more: agents.length > limit,
			});
		},
	};
}

/** `agentspace/agent_status`: one agent in more detail (read-only). */
export function agentStatusTool(options: AgentspaceToolsOptions): BuiltinTool {
	const protocolOf = protocolReader();
	return {
		name: 'agent_status',
		title: 'Show one agent',
		description:
			'One agent: status, protocol, approval, build state, requested and approved permissions, and its current run (run id, pid, sandboxed, restart policy, restarts) when it runs.',
		inputSchema: {
			type: 'object',
			properties: { id: AGENT_ID_SCHEMA },
			required: ['id'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				...AGENT_SUMMARY.properties,
				description: NULLABLE_STRING,
				build_status: { type: 'string' },
				requested_permissions: { type: 'array', items: { type: 'string' } },
				approved_permissions: { type: ['array', 'null'], items: { type: 'string' } },
				run_count: { type: 'integer' },
				run: {
					type: ['object', 'null'],
					properties: {
						run_id: NULLABLE_STRING,
						pid: { type: ['integer', 'null'] },
						sandboxed: { type: ['boolean', 'null'] },
						supervised: { type: 'boolean' },
						restart_policy: NULLABLE_STRING,
						restarts: { type: 'integer' },
						started_at: NULLABLE_STRING,
					},
				},
			},
			required: [...AGENT_SUMMARY.required, 'build_status', 'run'],
		},
		annotations: { readOnlyHint: true, openWorldHint: false },
		async call(raw) {
			const agent = requireKnown(options, (raw as { id: string }).id);
			const supervised = options.launcher.list().find((s) => s.id === agent.id);
			const live = liveOf(agent, supervised);
			const run =
				supervised !== undefined
					? {
							run_id: supervised.runId,
							pid: supervised.pid,
							sandboxed: supervised.sandboxed,
							supervised: true,
							restart_policy: supervised.restartPolicy,
							restarts: supervised.restarts,
							started_at: supervised.startedAt,
						}
					: live.running
						? {
								run_id: agent.currentRunId,
								pid: null,
								sandboxed: null,
								supervised: false,
								restart_policy: null,
								restarts: 0,
								started_at: null,
							}
						: null;
			return jsonResult({
				id: agent.id,
				name: cut(agent.name, 200),
				version: cut(agent.version, 100),
				description: agent.description === null ? null : cut(agent.description, 500),
				...live,
				protocol: protocolOf(agent),
				approval: agent.approval,
				build_status: agent.buildStatus,
				requested_permissions: agent.requestedPermissions.slice(0, MAX_PERMISSIONS_SHOWN),
				approved_permissions: agent.approvedPermissions?.slice(0, MAX_PERMISSIONS_SHOWN) ?? null,
				run_count: agent.runCount,
				run,
			});
		},
	};
}

/**
 * `agentspace/start_agent`: starts a sandboxed run under the daemon — the
 * supervisor the CLI's `agents run` and the UI's Run button use, so the same
 * checks refuse it (not installed, not enabled, drifted, not built, already
 * running) and the start is recorded and audited with the caller as actor.
 */
export function startAgentTool(options: AgentspaceToolsOptions): BuiltinTool {
	return {
		name: 'start_agent',
		title: 'Start an agent',
		description:
			'Start an agent in its sandbox under the AgentSpace daemon, as `agentspace agents run` does: refused unless it is installed, enabled (its permissions approved), unchanged since approval and built. Recorded and audited as your doing.',
		inputSchema: {
			type: 'object',
			properties: {
				id: AGENT_ID_SCHEMA,
				restart: {
					enum: [...RESTART_POLICIES],
					default: 'no',
					description: 'When the daemon starts it again after it ends.',
				},
			},
			required: ['id'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				id: { type: 'string' },
				run_id: NULLABLE_STRING,
				pid: { type: ['integer', 'null'] },
				sandboxed: { type: 'boolean' },
				restart_policy: { type: 'string' },
			},
			required: ['id', 'run_id', 'sandboxed', 'restart_policy'],
		},
		annotations: {
			readOnlyHint: false,
			destructiveHint: false,
			idempotentHint: false,
			openWorldHint: false,
		},
		async call(raw, context) {
			const args = raw as { id: string; restart?: RestartPolicy };
			const actor = askedBy(options, context.caller, `start ${args.id}`);
			const run = await options.launcher.run(args.id, args.restart ?? 'no', actor, MCP_SOURCE_APP);
			return jsonResult({
				id: run.id,
				run_id: run.runId,
				pid: run.pid,
				sandboxed: run.sandboxed,
				restart_policy: run.restartPolicy,
			});
		},
	};
}

/**
 * `agentspace/stop_agent`: stops an agent wherever it runs, as `agents stop`
 * and the UI's Stop button (stopAgent through the daemon's supervisor), the
 * stop recorded with the caller as actor. Not running: nothing to do.
 */
export function stopAgentTool(options: AgentspaceToolsOptions): BuiltinTool {
	return {
		name: 'stop_agent',
		title: 'Stop an agent',
		description:
			'Stop a running agent, as `agentspace agents stop` does: SIGTERM, then SIGKILL after grace_seconds. An agent that is not running is left as it is (stopped: false). Recorded and audited as your doing.',
		inputSchema: {
			type: 'object',
			properties: {
				id: AGENT_ID_SCHEMA,
				grace_seconds: { type: 'integer', minimum: 0, maximum: MAX_STOP_GRACE_SECONDS, default: 5 },
			},
			required: ['id'],
			additionalProperties: false,
		},
		outputSchema: {
			type: 'object',
			properties: {
				id: { type: 'string' },
				stopped: { type: 'boolean' },
				run_id: NULLABLE_STRING,
				exit_code: { type: ['integer', 'null'] },
				signal: NULLABLE_STRING,
				killed: { type: 'boolean' },
			},
			required: ['id', 'stopped'],
		},
		annotations: {
			readOnlyHint: false,
			destructiveHint: true,
			idempotentHint: true,
			openWorldHint: false,
		},
		async call(raw, context) {
			const args = raw as { id: string; grace_seconds?: number };
			requireKnown(options, args.id);
			const actor = askedBy(options, context.caller, `stop ${args.id}`);
			const [stopped] = await stopAgent({
				db: options.db,
				supervisor: options.launcher,
				id: args.id,
				graceMs: (args.grace_seconds ?? 5) * 1000,
				actor,
			});
			if (stopped === undefined) return jsonResult({ id: args.id, stopped: false });
			return jsonResult({
				id: args.id,
				stopped: true,
				run_id: stopped.runId,
				exit_code: stopped.exit?.exitCode ?? null,
				signal: stopped.exit?.signal ?? null,
				killed: stopped.exit?.killed ?? false,
			});
		},
	};
}
