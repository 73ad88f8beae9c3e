import { sha256Hex } from '@agentspace/core';
import { BUILTIN_GROUP_IDS } from '../router/builtinTools.js';

/** The longest tool name a gateway client is shown (Claude, OpenAI and VS Code accept `^[a-zA-Z0-9_-]{1,64}$`). */
export const MAX_GATEWAY_TOOL_NAME = 64;

/** A tool as a gateway client sees it. */
export interface GatewayName {
	/** The name the client lists and calls. */
	readonly name: string;
	/** What it routes to: `<agent>/<tool>`. */
	readonly target: string;
	/** `<agent>__<tool>` when that could not be the name (then {@link name} is the hashed form). */
	readonly shortenedFrom?: string;
}

// Every client accepts these; MCP's own rule (and so agents' tool names) also allows `.`.
const CLIENT_SAFE = /^[A-Za-z0-9_-]+$/;
const HASH_CHARS = 10;

/**
 * The name `<agent>/<tool>` is exposed under. The clean form `<agent>__<tool>`
 * when it is at most 64 characters of `[A-Za-z0-9_-]`, the agent id holds no
 * `__`, does not end with `_` and is not a built-in group's id (then the first
 * `__` splits it one way only, so no two targets share a clean name). Else the
 * hashed form `_<10 hex of sha256("<agent>/<tool>")>_<readable>`, the readable
 * part being `<agent>__<tool>` with every other character made `-` and cut to
 * fit 64: agent ids start with `[a-z0-9]`, so a hashed name never equals a
 * clean one. Built-in tools pass their group id as `agentId` and are always
 * clean (their names are chosen to fit).
 */
export function gatewayToolName(agentId: string, tool: string): GatewayName {
	const target = `${agentId}/${tool}`;
	const clean = `${agentId}__${tool}`;
	if (isClean(agentId, clean)) return { name: clean, target };
	const prefix = `_${sha256Hex(target).slice(0, HASH_CHARS)}_`;
	const readable = clean.replace(/[^A-Za-z0-9_-]/g, '-');
	return {
		name: prefix + readable.slice(0, MAX_GATEWAY_TOOL_NAME - prefix.length),
		target,
		shortenedFrom: clean,
	};
}

/** The name of a built-in group's tool: always the clean `<group>__<tool>`. */
export function builtinGatewayName(groupId: string, tool: string): GatewayName {
	return { name: `${groupId}__${tool}`, target: `${groupId}/${tool}` };
}

function isClean(agentId: string, clean: string): boolean {
	return (
		clean.length <= MAX_GATEWAY_TOOL_NAME &&
		CLIENT_SAFE.test(clean) &&
		!agentId.includes('__') &&
		!agentId.endsWith('_') &&
		!BUILTIN_GROUP_IDS.has(agentId)
	);
}

/** The description prefix of a shortened name, so a person can see which tool it is. */
export function shortenedNote(name: GatewayName): string {
	return name.shortenedFrom === undefined ? '' : `[AgentSpace: ${name.target}, name shortened] `;
}
