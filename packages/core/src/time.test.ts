import { describe, expect, it } from 'vitest';
import { isValidationError } from './errors.js';
import { formatDuration, nowIso } from './time.js';

describe('formatDuration', () => {
	it.each([
		[0, '0ms'],
		[250, '250ms'],
		[999, '999ms'],
		[1000, '1s'],
		[59_999, '59s'],
		[60_000, '1m 0s'],
		[90_500, '1m 30s'],
		[3_600_000, '1h 0m 0s'],
		[3_661_000, '1h 1m 1s'],
		[86_400_000, '1d 0h 0m 0s'],
		[90_061_000, '1d 1h 1m 1s'],
	])('%d ms → %s', (ms, text) => {
		expect(formatDuration(ms)).toBe(text);
	});

	it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %d', (ms) => {
		expect(() => formatDuration(ms)).toThrow(/cannot format duration/);
		try {
			formatDuration(ms);
		} catch (error) {
			expect(isValidationError(error)).toBe(true);
		}
	});
});

describe('nowIso', () => {
	it('is an ISO 8601 UTC timestamp close to now', () => {
		const iso = nowIso();
		expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(Math.abs(Date.parse(iso) - Date.now())).toBeLessThan(5_000);
	});
});
