import { describe, expect, it } from 'vitest';
import { printableLine } from './printableLine.js';

describe('printableLine', () => {
	it.each([
		['plain text', 'plain text'],
		['ünïcode ✓ 😀 שלום', 'ünïcode ✓ 😀 שלום'],
		['a\nb\tc\r', 'a\\u{a}b\\u{9}c\\u{d}'],
		['\u001b[31mred\u0007\u009b', '\\u{1b}[31mred\\u{7}\\u{9b}'],
		['one\u2028two\u2029', 'one\\u{2028}two\\u{2029}'],
	])('shows controls and line breaks: %j → %j', (text, shown) => {
		expect(printableLine(text)).toBe(shown);
	});

	it.each([
		// The Trojan Source case: reads "admin" on screen, is "nimda" backwards.
		['\u202enimda\u202c', '\\u{202e}nimda\\u{202c}'],
		['\u202a\u202b\u202d', '\\u{202a}\\u{202b}\\u{202d}'],
		['x\u2066y\u2067z\u2068w\u2069', 'x\\u{2066}y\\u{2067}z\\u{2068}w\\u{2069}'],
		['\u200e\u200f\u061c', '\\u{200e}\\u{200f}\\u{61c}'],
	])('shows the text-direction controls: %j → %j', (text, shown) => {
		expect(printableLine(text)).toBe(shown);
	});

	it.each([
		['ad\u200bmin', 'ad\\u{200b}min'],
		['ad\u200cm\u200din', 'ad\\u{200c}m\\u{200d}in'],
		['\u2060\ufeff\u00ad', '\\u{2060}\\u{feff}\\u{ad}'],
		// Tag characters spell "hi" invisibly; whole code points, not surrogates.
		['ok\u{e0068}\u{e0069}', 'ok\\u{e0068}\\u{e0069}'],
	])('shows the invisible format characters: %j → %j', (text, shown) => {
		expect(printableLine(text)).toBe(shown);
	});
});
