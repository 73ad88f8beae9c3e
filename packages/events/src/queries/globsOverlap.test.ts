import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globsOverlap } from './globsOverlap.js';

const cases: [string, string, boolean][] = [
	['src/a.ts', 'src/a.ts', true],
	['src/a.ts', 'src/b.ts', false],
	['src/**', 'src/deep/er/x.ts', true],
	['src/**', 'lib/x.ts', false],
	['src/*.ts', 'src/*.md', false],
	['src/*.ts', 'src/a*', true],
	['src/a*.ts', 'src/*b.ts', true], // src/ab.ts
	['src/*', 'src/x/y.ts', false], // * does not cross "/"
	['src/**/*.ts', 'src/x.ts', true], // ** may be empty
	['**/*.json', 'package.json', true],
	['**', 'anything/at/all', true],
	['a/?', 'a/bc', false],
	['a/?', 'a/*', true],
	['docs/**', 'src/**', false],
];

// A reference matcher: glob → regular expression, for checking paths.
function toRegExp(glob: string): RegExp {
	let re = '';
	for (let i = 0; i < glob.length; i += 1) {
		const c = glob[i] as string;
		if (c === '*' && glob[i + 1] === '*') {
			i += 1;
			if (glob[i + 1] === '/') {
				i += 1;
				re += '(?:.*/)?';
			} else re += '.*';
		} else if (c === '*') re += '[^/]*';
		else if (c === '?') re += '[^/]';
		else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
	}
	return new RegExp(`^${re}$`);
}

describe('globsOverlap', () => {
	it.each(cases)('%s ∩ %s → %s', (a, b, expected) => {
		expect(globsOverlap(a, b)).toBe(expected);
		expect(globsOverlap(b, a)).toBe(expected);
	});

	it('agrees exactly with brute force over every short path', () => {
		// Every string of "a", "b" and "/" up to 8 characters: long enough to
		// witness any overlap of globs made of up to three of the parts below.
		const paths = [''];
		for (let length = 1, frontier = ['']; length <= 8; length += 1) {
			frontier = frontier.flatMap((p) => [`${p}a`, `${p}b`, `${p}/`]);
			paths.push(...frontier);
		}
		const part = fc.constantFrom('a', 'b', '*', '?', '**', 'ab');
		const globOf = (parts: number) =>
			fc.array(part, { minLength: 1, maxLength: parts }).map((p) => p.join('/'));
		const witnessOf = (a: string, b: string) => {
			const ra = toRegExp(a);
			const rb = toRegExp(b);
			return paths.find((p) => ra.test(p) && rb.test(p));
		};
		// Up to two parts each, any overlap has a witness of at most 8 characters: exact.
		fc.assert(
			fc.property(globOf(2), globOf(2), (a, b) => {
				const witness = witnessOf(a, b);
				expect(globsOverlap(a, b), `${a} ∩ ${b}: witness ${witness}`).toBe(witness !== undefined);
			}),
			{ numRuns: 400 },
		);
		// Longer globs may need a longer witness: check soundness only.
		fc.assert(
			fc.property(globOf(4), globOf(4), (a, b) => {
				const witness = witnessOf(a, b);
				if (witness !== undefined)
					expect(globsOverlap(a, b), `${a} ∩ ${b} ∋ ${witness}`).toBe(true);
			}),
			{ numRuns: 200 },
		);
	});

	it('answers "overlap" once its budget runs out (a false conflict beats holding the write lock)', () => {
		const a = `${'**/'.repeat(16)}x`;
		const b = `${'*/'.repeat(16)}y`;
		expect(globsOverlap(a, b)).toBe(false);
		const budget = { steps: 10 };
		expect(globsOverlap(a, b, budget)).toBe(true);
		expect(budget.steps).toBeLessThan(0);
	});
});
