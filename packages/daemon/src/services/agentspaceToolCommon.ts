import type { AgentSpaceDb } from '@agentspace/db';
import { cut as cutText } from '@agentspace/tools/builtin';
import type { DaemonLauncher } from '../hostedUi.js';

// The fleet tools' answer shape and actor rule, from the package's light entry
// (see its index): the daemon's start does not load the router or the SDK.
export { callerActor, jsonResult } from '@agentspace/tools/builtin';

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

/** `text` cut to `max` characters, a surrogate pair never split, and "…" after it when cut. */
export function cut(text: string, max: number): string {
	const part = cutText(text, max);
	return part.truncated ? `${part.text}…` : part.text;
}
