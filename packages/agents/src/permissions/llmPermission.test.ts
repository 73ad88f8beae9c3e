import { permissionStringProblem } from '@agentspace/events/permission-string';
import { describe, expect, it } from 'vitest';
import { permissionCovers } from './covers.js';
import { permissionMeaning } from './describePermission.js';
import { formatPermission, parsePermission } from './parsePermission.js';
import type { Permission } from './types.js';

const bases = { home: '/home/ada', agentDir: '/home/ada/agent' };
const parse = (text: string): Permission => {
	const result = parsePermission(text, bases);
	if (!result.ok) throw new Error(result.errors[0]?.message);
	return result.value;
};

describe('llm:<provider>', () => {
	const valid: [string, string][] = [
		['llm:anthropic', 'anthropic'],
		['llm:openai', 'openai'],
		['llm:ollama', 'ollama'],
		['llm:openai-compatible:groq', 'openai-compatible:groq'],
		['llm:openai-compatible:0-a', 'openai-compatible:0-a'],
		[`llm:openai-compatible:a${'b'.repeat(31)}`, `openai-compatible:a${'b'.repeat(31)}`],
	];
	it.each(valid)('%s → provider %s, written back the same, recordable', (text, provider) => {
		const permission = parse(text);
		expect(permission).toEqual({ domain: 'llm', action: 'use', provider });
		expect(formatPermission(permission)).toBe(text);
		// The events' rule accepts what the parser does.
		expect(permissionStringProblem(text)).toBeUndefined();
	});

	const invalid: string[] = [
		'llm',
		'llm:',
		'llm:Anthropic',
		'llm:mistral',
		'llm:openai-compatible',
		'llm:openai-compatible:',
		'llm:openai-compatible:Groq',
		'llm:openai-compatible:-groq',
		'llm:openai-compatible:gr_oq',
		`llm:openai-compatible:a${'b'.repeat(32)}`,
		'llm:anthropic:extra',
		'llm:use:anthropic',
	];
	it.each(invalid)('refuses %s, naming the accepted forms', (text) => {
		const result = parsePermission(text, bases);
		expect(result.ok).toBe(false);
		if (!result.ok)
			expect(result.errors[0]?.message).toMatch(
				/llm:anthropic, llm:openai, llm:ollama or llm:openai-compatible:<name>/,
			);
	});

	const covers: [string, string, boolean][] = [
		['llm:anthropic', 'llm:anthropic', true],
		['llm:anthropic', 'llm:openai', false],
		['llm:openai', 'llm:openai-compatible:openai', false],
		['llm:openai-compatible:groq', 'llm:openai-compatible:groq', true],
		['llm:openai-compatible:groq', 'llm:openai-compatible:groq2', false],
		['network:egress:api.anthropic.com', 'llm:anthropic', false],
	];
	it.each(covers)('requested %s, approved %s → %s', (requested, approved, covered) => {
		expect(permissionCovers(parse(requested), parse(approved))).toBe(covered);
	});

	it('says what it lets the agent do, for the person approving it', () => {
		expect(permissionMeaning(parse('llm:anthropic'))).toBe(
			"send requests to anthropic through AgentSpace's endpoint, with your key, which it never sees",
		);
	});
});
