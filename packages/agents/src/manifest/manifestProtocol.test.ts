import { canonicalJson, sha256Hex } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { parseManifest } from './parseManifest.js';
import { agentProtocol } from './schema.js';

const base = { id: 'a', name: 'A', version: '0.1.0', entrypoint: { command: 'a', args: [] } };
const parse = (input: unknown) => parseManifest(JSON.stringify(input));

describe('the manifest field protocol', () => {
	it.each(['none', 'mcp'] as const)('accepts %s', (protocol) => {
		const result = parse({ ...base, protocol });
		expect(result.ok && result.value.manifest.protocol).toBe(protocol);
		expect(result.ok && agentProtocol(result.value.manifest)).toBe(protocol);
	});

	it('is none when absent, and adds nothing to the manifest or its hash', () => {
		const result = parse(base);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(agentProtocol(result.value.manifest)).toBe('none');
		expect('protocol' in result.value.manifest).toBe(false);
		// A manifest written before the field existed keeps its hash (and its approval).
		expect(result.value.manifestHash).toBe(sha256Hex(canonicalJson({ ...base, permissions: [] })));
	});

	it('is part of the manifest hash', () => {
		const hash = (input: unknown) => {
			const result = parse(input);
			return result.ok ? result.value.manifestHash : '';
		};
		expect(hash({ ...base, protocol: 'mcp' })).not.toBe(hash(base));
		expect(hash({ ...base, protocol: 'mcp' })).not.toBe(hash({ ...base, protocol: 'none' }));
	});

	it.each([['MCP'], ['http'], [''], [1], [null], [['mcp']]])(
		'refuses %j, naming the field',
		(protocol) => {
			const result = parse({ ...base, protocol });
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.errors).toEqual([{ path: 'protocol', message: 'must be "none" or "mcp"' }]);
		},
	);
});
