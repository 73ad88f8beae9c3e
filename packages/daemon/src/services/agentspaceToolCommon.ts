import type { AgentSpaceDb } from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import type { RoutedOutcome, ToolCaller } from '@agentspace/tools';
import type { DaemonLauncher } from '../hostedUi.js';

/** Options of {@link agentspaceToolGroup}. */
export interface AgentspaceToolsOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	/** The daemon's supervisor (SupervisorService.launcher): starts and stops as the CLI and the UI do. */
	readonly launcher: DaemonLauncher;
	/** The daemon's log: a start or stop asked for by a client is noted there too. */
	readonly log?: (line: string) => void;
}

/** The audit entries' sourceApp of what an MCP client or agent does through these tools. */
export const MCP_SOURCE_APP = 'agentspace-mcp';

/** An agent id argument: as in the manifest, so it is safe as a path part. */
export const AGENT_ID_SCHEMA = {
	type: 'string',
	pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
	description: "The agent's id (agentspace__list_agents lists them).",
} as const;

/** A nullable string in an output schema. */
export const NULLABLE_STRING = { type: ['string', 'null'] } as const;

/**
 * Who a caller's start or stop is recorded as: a person (`user`) is
 * `human`; an MCP client, an agent or AgentSpace keep their type. The same
 * rule as @agentspace/tools' callerActor, written here so the daemon's start
 * does not load the tools package (see toolsRuntime.ts).
 */
export function actorOf(caller: ToolCaller): Actor {
	return { type: caller.type === 'user' ? 'human' : caller.type, id: caller.id.slice(0, 256) };
}

/** A tool's answer: its structured content, and the same as JSON text for clients that read text only. */
export function jsonResult(structured: Record<string, unknown>): RoutedOutcome {
	return {
		isError: false,
		content: [{ type: 'text', text: JSON.stringify(structured) }],
		structuredContent: structured,
	};
}

/** `text` cut to `max` characters, a surrogate pair never split. */
export function cut(text: string, max: number): string {
	if (text.length <= max) return text;
	const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
	return `${text.slice(0, end)}…`;
}
