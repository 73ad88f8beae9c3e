import { hasErrorCode } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { parseIntArg, parseSecondsArg, parseTextArg, parseTimeArg } from './parseArgs.js';

const NOW = Date.parse('2026-11-21T12:00:00.000Z');
const local = (...parts: [number, number, number, number?, number?]) =>
	new Date(...parts).toISOString();

describe('parseTimeArg', () => {
	it.each([
		['30s', '2026-11-21T11:59:30.000Z'],
		['30m', '2026-11-21T11:30:00.000Z'],
		['2h', '2026-11-21T10:00:00.000Z'],
		['7d', '2026-11-14T12:00:00.000Z'],
		['1w', '2026-11-14T12:00:00.000Z'],
		['2026-11-01T10:00:00+02:00', '2026-11-01T08:00:00.000Z'],
		['2026-11-01T10:00Z', '2026-11-01T10:00:00.000Z'],
	])('%s → %s', (text, iso) => {
		expect(parseTimeArg('--since', text, { now: NOW })).toBe(iso);
	});

	it('reads a date alone as local midnight, or the end of that local day for --until', () => {
		expect(parseTimeArg('--since', '2026-11-01')).toBe(local(2026, 10, 1));
		expect(parseTimeArg('--until', '2026-11-01', { bound: 'end' })).toBe(
			new Date(new Date(2026, 10, 2).getTime() - 1).toISOString(),
		);
	});

	it('reads a date-time without an offset as local time', () => {
		expect(parseTimeArg('--since', '2026-11-01T10:30')).toBe(local(2026, 10, 1, 10, 30));
	});

	it.each([
		'yesterday',
		'5 minutes',
		'2026-13-45',
		'2026-02-31',
		'-1h',
		'',
		'99999999999w',
		'2026-11-01 10:00',
	])('rejects %j as a usage error', (text) => {
		let caught: unknown;
		try {
			parseTimeArg('--since', text, { now: NOW });
		} catch (error) {
			caught = error;
		}
		expect(hasErrorCode(caught, 'USAGE')).toBe(true);
	});
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

describe('parseSecondsArg', () => {
	it('accepts whole and fractional seconds in range', () => {
		expect(parseSecondsArg('--grace', '0', 0, 3600)).toBe(0);
		expect(parseSecondsArg('--grace', '0.5', 0, 3600)).toBe(0.5);
		expect(parseSecondsArg('--grace', '3600', 0, 3600)).toBe(3600);
	});
	it.each(['3601', '-1', 'x', '', ' ', '1e3', '.5', 'Infinity'])('rejects %j as USAGE', (text) => {
		let error: unknown;
		try {
			parseSecondsArg('--grace', text, 0, 3600);
		} catch (caught) {
			error = caught;
		}
		expect(hasErrorCode(error, 'USAGE')).toBe(true);
		expect(String(error)).toMatch(/--grace ".*" must be a number of seconds from 0 to 3600/);
	});
});

describe('parseTextArg', () => {
	it('rejects empty text with an example', () => {
		expect(() => parseTextArg('--type', ' ', 'mode_changed')).toThrow(/--type must not be empty/);
		expect(parseTextArg('--type', 'x', 'mode_changed')).toBe('x');
	});
});
