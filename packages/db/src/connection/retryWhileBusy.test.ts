import { describe, expect, it } from 'vitest';
import { isBusyError, retryWhileBusy } from './retryWhileBusy.js';

function busy(code = 'SQLITE_BUSY'): Error {
	return Object.assign(new Error('database is locked'), { code });
}

describe('retryWhileBusy', () => {
	it('repeats work that fails with SQLITE_BUSY until it succeeds, backing off', () => {
		const waits: number[] = [];
		let calls = 0;
		const result = retryWhileBusy(
			() => {
				calls += 1;
				if (calls < 4) throw busy(calls === 2 ? 'SQLITE_BUSY_RECOVERY' : 'SQLITE_BUSY');
				return 'opened';
			},
			10_000,
			(ms) => waits.push(ms),
		);
		expect(result).toBe('opened');
		expect(calls).toBe(4);
		expect(waits).toHaveLength(3);
		expect(waits[2]).toBeGreaterThan(waits[0] as number);
	});

	it('does not repeat other errors', () => {
		let calls = 0;
		expect(() =>
			retryWhileBusy(
				() => {
					calls += 1;
					throw Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' });
				},
				10_000,
				() => {},
			),
		).toThrow('file is not a database');
		expect(calls).toBe(1);
	});

	it('gives up after its timeout with the last error', () => {
		expect(() =>
			retryWhileBusy(
				() => {
					throw busy();
				},
				0,
				() => {},
			),
		).toThrow('database is locked');
	});

	it('knows the busy family by code', () => {
		expect(isBusyError(busy())).toBe(true);
		expect(isBusyError(busy('SQLITE_BUSY_SNAPSHOT'))).toBe(true);
		expect(isBusyError(new Error('database is locked'))).toBe(false);
		expect(isBusyError(null)).toBe(false);
	});
});
