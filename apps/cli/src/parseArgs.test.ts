import { hasErrorCode } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { parseIntArg, parseTimeArg } from './parseArgs.js';

const NOW = Date.parse('2026-11-21T12:00:00.000Z');

describe('parseTimeArg', () => {
	it.each([
		['30s', '2026-11-21T11:59:30.000Z'],
		['30m', '2026-11-21T11:30:00.000Z'],
		['2h', '2026-11-21T10:00:00.000Z'],
		['7d', '2026-11-14T12:00:00.000Z'],
		['1w', '2026-11-14T12:00:00.000Z'],
		['2026-11-01', '2026-11-01T00:00:00.000Z'],
		['2026-11-01T10:00:00+02:00', '2026-11-01T08:00:00.000Z'],
	])('%s → %s', (text, iso) => {
		expect(parseTimeArg('--since', text, NOW)).toBe(iso);
	});

	it.each(['yesterday', '5 minutes', '2026-13-45', '-1h', ''])(
		'rejects %j as a usage error',
		(text) => {
			let caught: unknown;
			try {
				parseTimeArg('--since', text, NOW);
			} catch (error) {
				caught = error;
			}
			expect(hasErrorCode(caught, 'USAGE')).toBe(true);
		},
	);
});

describe('parseIntArg', () => {
	it('accepts whole numbers in range', () => {
		expect(parseIntArg('--limit', '10', 1, 100)).toBe(10);
	});
	it.each(['0', '101', '1.5', 'ten', '', '-3'])('rejects %j', (text) => {
		expect(() => parseIntArg('--limit', text, 1, 100)).toThrow(
			/must be a whole number from 1 to 100/,
		);
	});
});
