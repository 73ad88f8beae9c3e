import { ActorSchema } from '@agentspace/events';
import type { RoutedToolResult, ToolProgress } from '@agentspace/tools';
import { z } from 'zod';
import { streamingMethod } from '../methodTable.js';

/**
 * The longest per-call timeout, the router's MAX_TOOL_CALL_TIMEOUT_MS (a test
 * keeps the two equal). A copy, not an import: importing any value from
 * @agentspace/tools here would load the router's module — and with it Ajv and
 * the MCP SDK — when the daemon starts, which toolsRuntime.ts exists to avoid.
 */
export const MAX_TOOLS_CALL_TIMEOUT_MS = 86_400_000;

/**
 * The tool router's methods: `tools call` through the daemon. `toolsCall`
 * streams the call's progress before its answer, and is cancelled at the
 * agent when the client closes its connection. Its `args` are any JSON (the
 * request line is bounded by MAX_REQUEST_BYTES); the router checks them
 * against the tool's input schema.
 */
export const TOOLS_METHODS = {
	toolsCall: streamingMethod<RoutedToolResult, ToolProgress>()(
		z.strictObject({
			/** `<agent>/<tool>`; the router parses and checks it. */
			target: z.string().min(1).max(300),
			args: z.unknown(),
			timeoutMs: z.int().min(1).max(MAX_TOOLS_CALL_TIMEOUT_MS).optional(),
			/** The person the call is made for (the CLI's actor). */
			caller: ActorSchema,
		}),
	),
};

/** One connected MCP agent, as `status` shows it. */
export interface McpAgentStatus {
	readonly id: string;
	readonly runId: string;
	readonly server: { readonly name: string; readonly version: string };
	readonly protocolVersion: string;
	readonly tools: number;
	/** `unhealthy` once its pings went unanswered (it is being stopped). */
	readonly health: 'healthy' | 'unhealthy';
}

/** The tool router's part of `status`: the MCP agents it is connected to. */
export interface ToolsStatus {
	readonly mcpAgents: readonly McpAgentStatus[];
}
