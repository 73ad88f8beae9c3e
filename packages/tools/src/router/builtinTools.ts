import type { ToolCaller } from '../callLog/types.js';
import type { ToolAnnotations } from '../toolDefinition.js';
import type { RoutedOutcome, ToolProgress } from './routedSession.js';

/** What a built-in tool's call is given besides its arguments. */
export interface BuiltinCallContext {
	/** Who calls (an agent caller may act only as itself). */
	readonly caller: ToolCaller;
	/** Aborted when the caller cancels or the call times out. */
	readonly signal: AbortSignal;
	/** Reports progress to the caller, in order. */
	readonly onProgress: (progress: ToolProgress) => void;
}

/**
 * One of AgentSpace's own tools, routed like an agent's: `<group>/<name>`
 * through {@link ToolRouter.callTool}, its arguments checked against
 * `inputSchema` first, every call recorded.
 */
export interface BuiltinTool {
	/** e.g. `list_agents` → exposed `agentspace__list_agents`, target `agentspace/list_agents` (`[A-Za-z0-9_-]`). */
	readonly name: string;
	readonly title?: string;
	readonly description: string;
	/** JSON Schema with `type: 'object'`; the router checks arguments against it with Ajv. */
	readonly inputSchema: Readonly<Record<string, unknown>>;
	/** When given, a result's structuredContent is checked against it. */
	readonly outputSchema?: Readonly<Record<string, unknown>>;
	readonly annotations?: ToolAnnotations;
	/** Its answer (isError for a failure the model should see), or throws an AgentSpaceError (code + hint). */
	call(args: Record<string, unknown>, context: BuiltinCallContext): Promise<RoutedOutcome>;
}

/** A group of built-in tools: `agentspace` or `fleet`. */
export interface BuiltinToolGroup {
	readonly id: string;
	readonly tools: readonly BuiltinTool[];
}

/** The ids built-in groups may have; a target whose agent part is one of them is routed to the built-in. */
export const BUILTIN_GROUP_IDS: ReadonlySet<string> = new Set(['agentspace', 'fleet']);
