import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
	clearSchemaCache,
	MAX_REPORTED_ISSUES,
	MAX_SCHEMA_BYTES,
	validateAgainstSchema,
	validateArgs,
} from './validateArgs.js';

afterEach(() => clearSchemaCache());

const person = {
	type: 'object',
	properties: {
		name: { type: 'string', minLength: 1 },
		age: { type: 'integer', minimum: 0 },
		tags: { type: 'array', items: { type: 'string' } },
		'a/b~c': { type: 'boolean' },
	},
	required: ['name', 'age'],
	additionalProperties: false,
};

describe('validateArgs', () => {
	it('accepts arguments that match (draft 2020-12 by default)', () => {
		expect(validateArgs('h1', person, { name: 'x', age: 3, tags: ['a'] })).toEqual({ ok: true });
	});

	it('lists every bad field by JSON pointer, not just the first', () => {
		const result = validateArgs('h1', person, { age: -1, tags: ['a', 2], extra: 1, 'a/b~c': 'no' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.unusable).toBeUndefined();
		const byPath = Object.fromEntries(result.issues.map((i) => [i.path, i.message]));
		expect(byPath).toEqual({
			'/name': 'is required',
			'/age': 'must be >= 0',
			'/tags/1': 'must be string',
			'/extra': 'is not allowed',
			'/a~1b~0c': 'must be boolean',
		});
	});

	it('names the value itself with the empty pointer', () => {
		const result = validateArgs('h1', person, 'a string');
		expect(result).toEqual({ ok: false, issues: [{ path: '', message: 'must be object' }] });
	});

	const draftCases = [
		{
			draft: '2020-12',
			schema: {
				$schema: 'https://json-schema.org/draft/2020-12/schema',
				type: 'array',
				prefixItems: [{ type: 'number' }],
				items: false,
			},
			good: [1],
			bad: [1, 2],
		},
		{
			draft: 'draft-07',
			schema: {
				$schema: 'http://json-schema.org/draft-07/schema#',
				type: 'array',
				items: [{ type: 'number' }],
				additionalItems: false,
			},
			good: [1],
			bad: [1, 2],
		},
		{
			draft: '2019-09',
			schema: {
				$schema: 'https://json-schema.org/draft/2019-09/schema',
				type: 'object',
				properties: { a: { type: 'number' } },
				unevaluatedProperties: false,
			},
			good: { a: 1 },
			bad: { a: 1, b: 2 },
		},
	];
	it.each(draftCases)('picks the draft by $schema: $draft', ({ schema, good, bad }) => {
		expect(validateAgainstSchema('d', schema, good)).toEqual({ ok: true });
		expect(validateAgainstSchema('d', schema, bad).ok).toBe(false);
	});

	it('caches by key: a second schema under the same key is not recompiled', () => {
		expect(validateArgs('same', { type: 'string' }, 1).ok).toBe(false);
		// The definition hash names the schema: same hash, same compiled schema.
		expect(validateArgs('same', { type: 'number' }, 1).ok).toBe(false);
		expect(validateArgs('other', { type: 'number' }, 1).ok).toBe(true);
	});

	it('keeps two schemas with the same $id apart (two agents cannot collide)', () => {
		const a = { $id: 'https://example.com/s', type: 'string' };
		const b = { $id: 'https://example.com/s', type: 'number' };
		expect(validateArgs('a', a, 'x').ok).toBe(true);
		expect(validateArgs('b', b, 1).ok).toBe(true);
		expect(validateArgs('b', b, 'x').ok).toBe(false);
	});

	it('resolves local $ref and $defs, recursion included', () => {
		const tree = {
			$defs: {
				node: {
					type: 'object',
					properties: { kids: { type: 'array', items: { $ref: '#/$defs/node' } } },
					additionalProperties: false,
				},
			},
			$ref: '#/$defs/node',
		};
		expect(validateArgs('t', tree, { kids: [{ kids: [] }] })).toEqual({ ok: true });
		const bad = validateArgs('t', tree, { kids: [{ kids: [{ x: 1 }] }] });
		expect(bad).toEqual({
			ok: false,
			issues: [{ path: '/kids/0/kids/0/x', message: 'is not allowed' }],
		});
	});

	it('never fetches a remote $ref: the schema is unusable, with the reason', async () => {
		let requests = 0;
		const server = createServer((_req, res) => {
			requests += 1;
			res.end('{"type":"string"}');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as { port: number };
		try {
			const result = validateArgs('r', { $ref: `http://127.0.0.1:${port}/s.json` }, 'x');
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.unusable).toMatch(
				/does not compile: can't resolve reference http:\/\/127\.0\.0\.1/,
			);
			expect(requests).toBe(0);
		} finally {
			server.close();
		}
	});

	const hostile: { name: string; schema: unknown; reason: RegExp }[] = [
		{ name: 'not an object', schema: 'string', reason: /not a JSON object/ },
		{ name: 'an array', schema: [], reason: /not a JSON object/ },
		{
			name: 'an invalid keyword value',
			schema: { type: 'bogus' },
			reason: /does not compile: schema is invalid/,
		},
		{ name: 'a bad pattern', schema: { type: 'string', pattern: '(' }, reason: /does not compile/ },
		{
			name: 'too big',
			schema: { type: 'object', description: 'x'.repeat(MAX_SCHEMA_BYTES) },
			reason: /over the 65536-byte limit/,
		},
		{
			name: 'too deep',
			schema: JSON.parse(`${'{"not":'.repeat(100)}{}${'}'.repeat(100)}`),
			reason: /nests deeper than 64 levels/,
		},
		{
			name: 'an unknown $schema',
			schema: { $schema: 'http://json-schema.org/draft-04/schema#' },
			reason: /unsupported \$schema/,
		},
		{ name: 'a non-string $schema', schema: { $schema: 5 }, reason: /unsupported \$schema/ },
	];
	it.each(hostile)(
		'refuses a hostile schema ($name) with a reason instead of throwing',
		({ schema, reason }) => {
			const result = validateArgs(`hostile`, schema, {});
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.unusable).toMatch(reason);
			// Cached as unusable too: asking again gives the same answer.
			expect(validateArgs('hostile', schema, {})).toEqual(result);
			clearSchemaCache();
		},
	);

	it('bounds the issues reported for one value', () => {
		const properties = Object.fromEntries(
			Array.from({ length: 300 }, (_, i) => [`p${i}`, { type: 'string' }]),
		);
		const value = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, i]));
		const result = validateArgs('many', { type: 'object', properties }, value);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
		expect(result.issues.at(-1)).toEqual({ path: '', message: 'and 200 more problems' });
	});

	it('matches patterns in linear time: a catastrophic pattern against a long input answers right away', () => {
		// JavaScript's RegExp backtracks: ^(a+)+$ against 100,000 a's and a '!' would
		// take longer than the universe has left, blocking the event loop. First
		// prove the linear engine is the one in use (RE2 refuses lookahead, which
		// RegExp accepts), so that without it this test fails here instead of hanging.
		const lookahead = validateArgs('look', { type: 'string', pattern: '(?=a)a' }, 'a');
		expect(lookahead).toMatchObject({ ok: false, unusable: expect.stringMatching(/linear time/) });
		const schema = {
			type: 'object',
			properties: { name: { type: 'string', pattern: '^(a+)+$' } },
			patternProperties: { '^(x+x+)+y$': { type: 'number' } },
		};
		const hostile = `${'a'.repeat(100_000)}!`;
		const result = validateArgs('redos', schema, {
			name: hostile,
			[`${'x'.repeat(100_000)}y`]: 'not a number',
			[`${'x'.repeat(100_000)}`]: 'not matched, so not checked',
		});
		expect(result).toEqual({
			ok: false,
			issues: [
				{ path: '/name', message: 'must match pattern "^(a+)+$"' },
				{ path: `/${'x'.repeat(100_000)}y`, message: 'must be number' },
			],
		});
		expect(validateArgs('redos', schema, { name: 'a'.repeat(100_000) })).toEqual({ ok: true });
	});

	it('keeps each pattern of a schema apart, and takes ECMAScript syntax (\\u escapes, named groups)', () => {
		const schema = {
			type: 'object',
			properties: {
				upper: { type: 'string', pattern: '^[\\u0041-\\u005A]+$' },
				lower: { type: 'string', pattern: '^(?<word>[a-z]+)$' },
			},
		};
		expect(validateArgs('two', schema, { upper: 'ABC', lower: 'abc' })).toEqual({ ok: true });
		const result = validateArgs('two', schema, { upper: 'abc', lower: 'ABC' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.issues.map((i) => i.path)).toEqual(['/upper', '/lower']);
	});

	it('a pattern the linear engine cannot match (backreference, lookbehind, invalid) makes the schema unusable, with the reason', () => {
		for (const pattern of ['(a)\\1', '(?<!a)b', '[']) {
			const result = validateArgs(`bad-${pattern}`, { type: 'string', pattern }, 'ab');
			expect(result, pattern).toMatchObject({
				ok: false,
				unusable: expect.stringContaining(
					`pattern ${JSON.stringify(pattern)} cannot be matched in linear time`,
				),
			});
		}
	});

	it('ignores formats and keywords it does not know rather than refusing real-world schemas', () => {
		const schema = { type: 'string', format: 'made-up', 'x-vendor': true };
		expect(validateArgs('f', schema, 'anything')).toEqual({ ok: true });
	});
});
