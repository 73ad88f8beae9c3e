import type { Actor } from '@agentspace/events';
import type { ToolCaller } from '../callLog/types.js';

// The events' actor id is at most 256 characters; a caller's id may be 512.
const MAX_ACTOR_ID = 256;

/**
 * The actor a tool caller's writes are recorded as: a person at the CLI or
 * UI (`user`) is `human`; an MCP client, an agent and AgentSpace keep their
 * own type. The id is the caller's, cut to the events' bound.
 */
export function callerActor(caller: ToolCaller): Actor {
	const id = caller.id.slice(0, MAX_ACTOR_ID);
	return { type: caller.type === 'user' ? 'human' : caller.type, id };
}
