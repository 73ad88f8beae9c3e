import { canonicalJson } from '@agentspace/core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import { MAX_TOOL_LIST_BYTES, MAX_TOOL_LIST_PAGES, MAX_TOOLS_PER_AGENT } from '../limits.js';
import {
	isToolDefinitionProblem,
	type ToolDefinition,
	toolDefinitionOf,
} from '../toolDefinition.js';
import type { SessionLog } from './sessionLog.js';

// Deliberately looser than the SDK's ListToolsResultSchema: with it one bad
// tool would fail the whole listing; here each tool is checked on its own
// (toolDefinitionOf) and a bad one is dropped with a logged problem.
const ToolsPageSchema = z.looseObject({
	tools: z.array(z.unknown()),
	nextCursor: z.string().optional(),
});

/** A listing that cannot be kept: the agent offers too much. Ends the session with `message` as the reason. */
export class ToolListRefused extends Error {
	override readonly name = 'ToolListRefused';
}

/**
 * Every page of the agent's `tools/list`, each tool checked and bounded: a
 * tool that fails {@link toolDefinitionOf} or repeats a name is dropped with a
 * logged problem, and so is a tool that would take the list's canonical JSON
 * over MAX_TOOL_LIST_BYTES (later, smaller tools may still fit); more than
 * MAX_TOOLS_PER_AGENT tools or MAX_TOOL_LIST_PAGES pages throws
 * {@link ToolListRefused} (read no further).
 */
export async function listAgentTools(
	client: Client,
	log: SessionLog,
	options: RequestOptions,
): Promise<ToolDefinition[]> {
	const tools = new Map<string, ToolDefinition>();
	let offered = 0;
	// The list's canonical JSON is "[" + the definitions joined by "," + "]".
	let listBytes = 2;
	let cursor: string | undefined;
	for (let page = 1; ; page++) {
		if (page > MAX_TOOL_LIST_PAGES)
			throw new ToolListRefused(`tools/list: more than ${MAX_TOOL_LIST_PAGES} pages`);
		const result = await client.request(
			{ method: 'tools/list', params: cursor === undefined ? {} : { cursor } },
			ToolsPageSchema,
			options,
		);
		offered += result.tools.length;
		if (offered > MAX_TOOLS_PER_AGENT)
			throw new ToolListRefused(`tools/list: more than ${MAX_TOOLS_PER_AGENT} tools offered`);
		for (const tool of result.tools) {
			const definition = toolDefinitionOf(tool);
			if (isToolDefinitionProblem(definition)) {
				log.problem('tool', `tool dropped: ${definition.problem}`);
				continue;
			}
			if (tools.has(definition.name)) {
				log.problem('tool', `tool dropped: ${definition.name} is offered twice`);
				continue;
			}
			const bytes = Buffer.byteLength(canonicalJson(definition)) + (tools.size === 0 ? 0 : 1);
			if (listBytes + bytes > MAX_TOOL_LIST_BYTES) {
				log.problem(
					'tool-list-size',
					`tool dropped: ${definition.name} would take the tool list over ${MAX_TOOL_LIST_BYTES} bytes`,
				);
				continue;
			}
			listBytes += bytes;
			tools.set(definition.name, definition);
		}
		if (result.nextCursor === undefined) return [...tools.values()];
		cursor = result.nextCursor;
	}
}
