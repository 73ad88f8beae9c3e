import { canonicalJson, sha256Hex } from '@agentspace/core';
import {
	MAX_TOOL_DEFINITION_BYTES,
	MAX_TOOL_DEFINITION_DEPTH,
	MAX_TOOL_NAME_LENGTH,
} from './limits.js';

/** The behaviour hints MCP lets a tool declare (untrusted: the agent says so). */
export interface ToolAnnotations {
	readonly title?: string;
	readonly readOnlyHint?: boolean;
	readonly destructiveHint?: boolean;
	readonly idempotentHint?: boolean;
	readonly openWorldHint?: boolean;
}

/**
 * A tool's annotations as the short words the CLI and the admin UI show:
 * `read-only`, `destructive`, `idempotent`, `open-world` (only hints set to true).
 */
export function annotationWords(annotations: ToolAnnotations = {}): string[] {
	const words: string[] = [];
	if (annotations.readOnlyHint === true) words.push('read-only');
	if (annotations.destructiveHint === true) words.push('destructive');
	if (annotations.idempotentHint === true) words.push('idempotent');
	if (annotations.openWorldHint === true) words.push('open-world');
	return words;
}

/** One tool an MCP agent offers, as AgentSpace keeps it: checked, bounded and hashed. */
export interface ToolDefinition {
	readonly name: string;
	readonly title?: string;
	readonly description?: string;
	readonly inputSchema: Readonly<Record<string, unknown>>;
	readonly outputSchema?: Readonly<Record<string, unknown>>;
	readonly annotations?: ToolAnnotations;
	/** sha256 hex of canonicalJson({ name, title, description, inputSchema, outputSchema, annotations }). */
	readonly definitionHash: string;
}

/** Why a tool an agent offered was not kept. */
export interface ToolDefinitionProblem {
	readonly problem: string;
}

// The MCP specification's tool names (the SDK's toolNameValidation): 1–128 of these.
const TOOL_NAME = new RegExp(`^[A-Za-z0-9_.-]{1,${MAX_TOOL_NAME_LENGTH}}$`);
const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

/**
 * Checks one tool from an agent's `tools/list` answer and makes it a
 * {@link ToolDefinition}, or says why it cannot be kept: a name outside MCP's
 * 1–128 characters of `[A-Za-z0-9_.-]`, a missing or non-object input schema,
 * fields of the wrong type, nesting deeper than MAX_TOOL_DEFINITION_DEPTH or a
 * definition over MAX_TOOL_DEFINITION_BYTES. Unknown fields (`_meta`, `icons`,
 * …) are left out: only what is kept is hashed and pinned.
 */
export function toolDefinitionOf(tool: unknown): ToolDefinition | ToolDefinitionProblem {
	if (!isPlainObject(tool)) return { problem: 'a tool must be a JSON object' };
	const { name } = tool;
	if (typeof name !== 'string') return { problem: 'a tool has no name (a string)' };
	if (!TOOL_NAME.test(name))
		return {
			problem: `tool name ${quoteShort(name)} is not 1–${MAX_TOOL_NAME_LENGTH} characters of A-Z a-z 0-9 _ . -`,
		};
	const where = `tool ${name}`;
	for (const field of ['title', 'description'] as const)
		if (tool[field] !== undefined && typeof tool[field] !== 'string')
			return { problem: `${where}: ${field} must be a string` };
	for (const field of ['inputSchema', 'outputSchema'] as const) {
		const schema = tool[field];
		if (schema === undefined && field === 'outputSchema') continue;
		if (!isPlainObject(schema)) return { problem: `${where}: ${field} must be a JSON object` };
		if (schema.type !== 'object')
			return { problem: `${where}: ${field} must have "type": "object" (MCP requires it)` };
	}
	const annotations = annotationsOf(tool.annotations);
	if (typeof annotations === 'string') return { problem: `${where}: ${annotations}` };
	const depth = nestingDepth(tool, MAX_TOOL_DEFINITION_DEPTH + 1);
	if (depth > MAX_TOOL_DEFINITION_DEPTH)
		return { problem: `${where}: nested deeper than ${MAX_TOOL_DEFINITION_DEPTH} levels` };
	const kept = {
		name,
		title: tool.title as string | undefined,
		description: tool.description as string | undefined,
		inputSchema: tool.inputSchema as Record<string, unknown>,
		outputSchema: tool.outputSchema as Record<string, unknown> | undefined,
		annotations,
	};
	const canonical = canonicalJson(kept);
	const bytes = Buffer.byteLength(canonical);
	if (bytes > MAX_TOOL_DEFINITION_BYTES)
		return {
			problem: `${where}: definition is ${bytes} bytes, over the limit of ${MAX_TOOL_DEFINITION_BYTES}`,
		};
	// Re-parsed from the canonical text: the definition kept shares nothing with
	// the agent's message and has no undefined fields (hash and stored JSON agree).
	return {
		...(JSON.parse(canonical) as Omit<ToolDefinition, 'definitionHash'>),
		definitionHash: sha256Hex(canonical),
	};
}

/** True when {@link toolDefinitionOf} could not keep the tool. */
export function isToolDefinitionProblem(
	value: ToolDefinition | ToolDefinitionProblem,
): value is ToolDefinitionProblem {
	return 'problem' in value;
}

function annotationsOf(value: unknown): ToolAnnotations | undefined | string {
	if (value === undefined) return undefined;
	if (!isPlainObject(value)) return 'annotations must be a JSON object';
	const out: Record<string, string | boolean> = {};
	if (value.title !== undefined) {
		if (typeof value.title !== 'string') return 'annotations.title must be a string';
		out.title = value.title;
	}
	for (const hint of HINTS) {
		if (value[hint] === undefined) continue;
		if (typeof value[hint] !== 'boolean') return `annotations.${hint} must be true or false`;
		out[hint] = value[hint];
	}
	return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Depth of nested objects/arrays, walked without recursion and stopped at `cap`. */
function nestingDepth(value: unknown, cap: number): number {
	let deepest = 0;
	const stack: Array<[unknown, number]> = [[value, 1]];
	while (stack.length > 0) {
		const [item, depth] = stack.pop() as [unknown, number];
		if (typeof item !== 'object' || item === null) continue;
		if (depth > deepest) deepest = depth;
		if (deepest >= cap) return deepest;
		for (const child of Object.values(item)) stack.push([child, depth + 1]);
	}
	return deepest;
}

function quoteShort(text: string): string {
	return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
