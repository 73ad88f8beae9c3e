import { ValidationError } from '@agentspace/core';
import {
	isToolDefinitionProblem,
	type ToolDefinition,
	toolDefinitionOf,
} from '../toolDefinition.js';
import { BUILTIN_GROUP_IDS, type BuiltinTool, type BuiltinToolGroup } from './builtinTools.js';
import type { RoutableTool } from './routedSession.js';

/** A built-in tool with what the router checks its calls against. */
export interface BuiltinEntry {
	readonly tool: BuiltinTool;
	/** Its definition as the registry would keep it (hashed: compiled schemas are cached by the hash). */
	readonly definition: ToolDefinition;
	readonly routable: RoutableTool;
}

// What every MCP client accepts in a tool name (the gateway exposes `<group>__<name>`, ≤ 64).
const BUILTIN_NAME = /^[A-Za-z0-9_-]+$/;
const MAX_EXPOSED_NAME = 64;

/**
 * The router's table of built-in tools by group id, then name. Throws a
 * ValidationError for a group id that is not a built-in one, a group given
 * twice, a tool name that is not client-safe or too long once exposed, a
 * name given twice, or a definition MCP would not accept: built-ins are code,
 * so these are programming errors found at start.
 */
export function indexBuiltins(
	groups: readonly BuiltinToolGroup[],
): ReadonlyMap<string, ReadonlyMap<string, BuiltinEntry>> {
	const index = new Map<string, Map<string, BuiltinEntry>>();
	for (const group of groups) {
		if (!BUILTIN_GROUP_IDS.has(group.id) || index.has(group.id))
			invalid(`built-in group ${JSON.stringify(group.id)} is unknown or given twice`);
		const tools = new Map<string, BuiltinEntry>();
		for (const tool of group.tools) {
			if (
				!BUILTIN_NAME.test(tool.name) ||
				group.id.length + 2 + tool.name.length > MAX_EXPOSED_NAME ||
				tools.has(tool.name)
			)
				invalid(`built-in tool ${group.id}/${JSON.stringify(tool.name)}: bad or repeated name`);
			const definition = toolDefinitionOf({
				name: tool.name,
				...(tool.title === undefined ? {} : { title: tool.title }),
				description: tool.description,
				inputSchema: tool.inputSchema,
				...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
				...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
			});
			if (isToolDefinitionProblem(definition))
				invalid(`built-in tool ${group.id}/${tool.name}: ${definition.problem}`);
			tools.set(tool.name, {
				tool,
				definition,
				routable: {
					agentId: group.id,
					name: tool.name,
					inputSchema: definition.inputSchema,
					...(definition.outputSchema === undefined
						? {}
						: { outputSchema: definition.outputSchema }),
					definitionHash: definition.definitionHash,
					state: 'offered',
					policy: 'allow',
				},
			});
		}
		index.set(group.id, tools);
	}
	return index;
}

function invalid(message: string): never {
	throw new ValidationError(message, {
		hint: `built-in groups are ${[...BUILTIN_GROUP_IDS].join(' and ')}; tool names are [A-Za-z0-9_-], at most ${MAX_EXPOSED_NAME} characters with the group's prefix`,
		issues: [{ path: 'builtins', message }],
	});
}
