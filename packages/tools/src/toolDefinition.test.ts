import { canonicalJson, sha256Hex } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { MAX_TOOL_DEFINITION_BYTES, MAX_TOOL_DEFINITION_DEPTH } from './limits.js';
import { annotationWords, isToolDefinitionProblem, toolDefinitionOf } from './toolDefinition.js';

const object = { type: 'object' };

function problemOf(tool: unknown): string {
	const result = toolDefinitionOf(tool);
	if (!isToolDefinitionProblem(result)) throw new Error('expected a problem');
	return result.problem;
}

describe('toolDefinitionOf', () => {
	it('keeps the known fields and hashes their canonical JSON', () => {
		const tool = {
			name: 'read_file',
			title: 'Read file',
			description: 'Reads a file',
			inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
			outputSchema: { type: 'object' },
			annotations: { readOnlyHint: true, title: 'Read', somethingElse: 1 },
			_meta: { a: 1 },
			icons: [],
			execution: { taskSupport: 'forbidden' },
		};
		const definition = toolDefinitionOf(tool);
		const kept = {
			name: 'read_file',
			title: 'Read file',
			description: 'Reads a file',
			inputSchema: tool.inputSchema,
			outputSchema: { type: 'object' },
			annotations: { title: 'Read', readOnlyHint: true },
		};
		expect(definition).toEqual({ ...kept, definitionHash: sha256Hex(canonicalJson(kept)) });
	});

	it('hashes equal definitions equally, whatever their key order, and different ones differently', () => {
		const a = toolDefinitionOf({
			name: 't',
			inputSchema: { type: 'object', properties: { x: {}, y: {} } },
		});
		const b = toolDefinitionOf({
			inputSchema: { properties: { y: {}, x: {} }, type: 'object' },
			name: 't',
		});
		const c = toolDefinitionOf({ name: 't', description: 'd', inputSchema: object });
		expect('definitionHash' in a && a.definitionHash).toBe(
			'definitionHash' in b && b.definitionHash,
		);
		expect('definitionHash' in c && c.definitionHash).not.toBe(
			'definitionHash' in a && a.definitionHash,
		);
	});

	it('shares nothing with the agent message', () => {
		const inputSchema = { type: 'object', properties: {} };
		const definition = toolDefinitionOf({ name: 't', inputSchema });
		expect(!isToolDefinitionProblem(definition) && definition.inputSchema).not.toBe(inputSchema);
	});

	it.each([
		['not an object', 'a tool must be a JSON object'],
		[['array'], 'a tool must be a JSON object'],
		[{ inputSchema: object }, 'a tool has no name (a string)'],
		[
			{ name: '', inputSchema: object },
			'tool name "" is not 1–128 characters of A-Z a-z 0-9 _ . -',
		],
		[
			{ name: 'a b', inputSchema: object },
			'tool name "a b" is not 1–128 characters of A-Z a-z 0-9 _ . -',
		],
		[
			{ name: 'tool/x', inputSchema: object },
			'tool name "tool/x" is not 1–128 characters of A-Z a-z 0-9 _ . -',
		],
		[
			{ name: 'é', inputSchema: object },
			'tool name "é" is not 1–128 characters of A-Z a-z 0-9 _ . -',
		],
		[
			{ name: 'x'.repeat(129), inputSchema: object },
			`tool name "${'x'.repeat(40)}…" is not 1–128 characters of A-Z a-z 0-9 _ . -`,
		],
		[{ name: 't' }, 'tool t: inputSchema must be a JSON object'],
		[
			{ name: 't', inputSchema: { type: 'string' } },
			'tool t: inputSchema must have "type": "object" (MCP requires it)',
		],
		[
			{ name: 't', inputSchema: object, outputSchema: [] },
			'tool t: outputSchema must be a JSON object',
		],
		[{ name: 't', inputSchema: object, description: 3 }, 'tool t: description must be a string'],
		[{ name: 't', inputSchema: object, title: {} }, 'tool t: title must be a string'],
		[
			{ name: 't', inputSchema: object, annotations: [] },
			'tool t: annotations must be a JSON object',
		],
		[
			{ name: 't', inputSchema: object, annotations: { readOnlyHint: 'yes' } },
			'tool t: annotations.readOnlyHint must be true or false',
		],
		[
			{ name: 't', inputSchema: object, annotations: { title: 1 } },
			'tool t: annotations.title must be a string',
		],
	])('refuses %j: %s', (tool, problem) => {
		expect(problemOf(tool)).toBe(problem);
	});

	it('accepts names of exactly 128 characters of the allowed set', () => {
		const name = `A-z_0.9${'x'.repeat(121)}`;
		expect(toolDefinitionOf({ name, inputSchema: object })).toMatchObject({ name });
	});

	it('refuses a definition over the size limit, and accepts one just under it', () => {
		const sized = (length: number) => ({
			name: 't',
			description: 'd'.repeat(length),
			inputSchema: object,
		});
		const overhead = canonicalJson({ description: '', inputSchema: object, name: 't' }).length;
		expect(toolDefinitionOf(sized(MAX_TOOL_DEFINITION_BYTES - overhead))).toMatchObject({
			name: 't',
		});
		expect(problemOf(sized(MAX_TOOL_DEFINITION_BYTES - overhead + 1))).toBe(
			`tool t: definition is ${MAX_TOOL_DEFINITION_BYTES + 1} bytes, over the limit of ${MAX_TOOL_DEFINITION_BYTES}`,
		);
	});

	it('refuses nesting deeper than the limit without overflowing the stack', () => {
		let deep: Record<string, unknown> = {};
		for (let i = 0; i < 100_000; i++) deep = { a: deep };
		expect(problemOf({ name: 't', inputSchema: { type: 'object', properties: deep } })).toBe(
			`tool t: nested deeper than ${MAX_TOOL_DEFINITION_DEPTH} levels`,
		);
	});
});

describe('annotationWords', () => {
	it.each([
		[undefined, []],
		[{}, []],
		[{ readOnlyHint: false, destructiveHint: false }, []],
		[{ title: 'Echo', readOnlyHint: true }, ['read-only']],
		[
			{ readOnlyHint: true, destructiveHint: true, idempotentHint: true, openWorldHint: true },
			['read-only', 'destructive', 'idempotent', 'open-world'],
		],
	])('%j → %j', (annotations, words) => {
		expect(annotationWords(annotations)).toEqual(words);
	});
});
