import { isValidationError } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { parseProvider, providerForPath, providerSpec } from './providers.js';

describe('providers', () => {
	it('parses the built-in ids and named OpenAI-compatible ones', () => {
		expect(parseProvider('anthropic')).toBe('anthropic');
		expect(parseProvider('openai-compatible:local-llm')).toBe('openai-compatible:local-llm');
		expect(providerSpec('openai-compatible:local-llm')).toEqual({
			id: 'openai-compatible:local-llm',
			wire: 'openai',
			needsKey: true,
			routePrefix: '/openai-compatible/local-llm',
		});
		expect(providerSpec('ollama')).toMatchObject({
			needsKey: false,
			defaultBaseUrl: 'http://127.0.0.1:11434',
		});
	});

	it.each([
		'gemini',
		'Anthropic',
		'openai-compatible:',
		'openai-compatible:Bad_Name',
		`openai-compatible:${'a'.repeat(33)}`,
	])('refuses %s with a hint', (text) => {
		try {
			parseProvider(text);
			expect.unreachable();
		} catch (error) {
			expect(isValidationError(error)).toBe(true);
			expect((error as { hint?: string }).hint).toContain('openai-compatible:<name>');
		}
	});

	it('routes a path to its provider and the rest to forward', () => {
		expect(providerForPath('/anthropic/v1/messages')).toEqual({
			provider: 'anthropic',
			rest: '/v1/messages',
		});
		expect(providerForPath('/openai')).toEqual({ provider: 'openai', rest: '/' });
		expect(providerForPath('/openai-compatible/local/v1/chat/completions')).toEqual({
			provider: 'openai-compatible:local',
			rest: '/v1/chat/completions',
		});
		expect(providerForPath('/openaix/v1')).toBeUndefined();
		expect(providerForPath('/openai-compatible/BAD/v1')).toBeUndefined();
		expect(providerForPath('/v1/messages')).toBeUndefined();
	});
});
