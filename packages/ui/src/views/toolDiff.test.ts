import { describe, expect, it } from 'vitest';
import { diffLines, fieldLines, MAX_DIFF_LINE_CHARS, MAX_DIFF_SIDE_LINES } from './toolDiff.js';
import { agentLine, cut } from './toolText.js';

describe('agentLine', () => {
	it.each([
		['plain', 'plain'],
		['a\nb\tc', 'a\\u{a}b\\u{9}c'],
		['\u001b[31mred\u0007', '\\u{1b}[31mred\\u{7}'],
		['abc\u202edcba\u2066x\u2069', 'abc\\u{202e}dcba\\u{2066}x\\u{2069}'],
		['<b>&</b>', '<b>&</b>'],
	])('shows %j as %j (markup is left to JSX to escape)', (text, shown) => {
		expect(agentLine(text, 100)).toBe(shown);
	});

	it('cuts before escaping, so an escape is never cut in half', () => {
		expect(agentLine('abcd\u001b', 4)).toBe('abc…');
		expect(agentLine('ab\u001bcd', 4)).toBe('ab\\u{1b}…');
	});

	it('never cuts inside a surrogate pair', () => {
		expect(cut('ab😀cd', 4)).toBe('ab…');
		expect(cut('ab😀cd', 5)).toBe('ab😀…');
	});
});

describe('fieldLines', () => {
	it('reads text by its lines, a schema as indented JSON, an absent field as nothing', () => {
		expect(fieldLines('one\ntwo')).toEqual(['one', 'two']);
		expect(fieldLines({ type: 'object' })).toEqual(['{', '  "type": "object"', '}']);
		expect(fieldLines(undefined)).toEqual([]);
	});

	it('bounds the lines it keeps and their length', () => {
		const lines = fieldLines(`${'x'.repeat(1000)}\n`.repeat(1000));
		expect(lines).toHaveLength(MAX_DIFF_SIDE_LINES + 1);
		expect(lines[0]).toBe(`${'x'.repeat(MAX_DIFF_LINE_CHARS - 1)}…`);
		expect(lines.at(-1)).toBe(`… ${1001 - MAX_DIFF_SIDE_LINES} more lines`);
	});
});

describe('diffLines', () => {
	const kinds = (lines: ReturnType<typeof diffLines>) =>
		lines.map((line) => `${line.kind}:${line.text}`);

	it('marks what only the pin has and what only the offer has', () => {
		expect(kinds(diffLines(['a', 'b', 'c'], ['a', 'x', 'c']))).toEqual([
			'same:a',
			'pinned:b',
			'offered:x',
			'same:c',
		]);
		expect(kinds(diffLines([], ['new']))).toEqual(['offered:new']);
		expect(kinds(diffLines(['old'], []))).toEqual(['pinned:old']);
	});

	it('folds unchanged runs away from the changes', () => {
		const pinned = Array.from({ length: 20 }, (_, i) => `line ${i}`);
		const offered = [...pinned];
		offered[10] = 'changed';
		expect(kinds(diffLines(pinned, offered))).toEqual([
			'fold:⋯ 8 unchanged lines',
			'same:line 8',
			'same:line 9',
			'pinned:line 10',
			'offered:changed',
			'same:line 11',
			'same:line 12',
			'fold:⋯ 7 unchanged lines',
		]);
	});
});
