import { describe, expect, it } from 'vitest';
import { DenialThrottle } from './denialThrottle.js';

describe('DenialThrottle', () => {
	it('records the first refusal of a kind, folds the rest of its window, and reports the count with the next', () => {
		let now = 0;
		const throttle = new DenialThrottle(100, () => now);
		expect(throttle.admit('no session|GET')).toBe(0);
		for (let i = 0; i < 5; i++) expect(throttle.admit('no session|GET')).toBeUndefined();
		expect(throttle.admit('wrong CSRF token|POST')).toBe(0);
		now = 100;
		expect(throttle.admit('no session|GET')).toBe(5);
		expect(throttle.admit('no session|GET')).toBeUndefined();
		expect(throttle.drain()).toEqual([['no session|GET', 1]]);
		expect(throttle.drain()).toEqual([]);
	});

	it('hands over the counts of windows that have ended', () => {
		let now = 0;
		const throttle = new DenialThrottle(100, () => now);
		throttle.admit('a');
		throttle.admit('a');
		throttle.admit('b');
		expect(throttle.expired()).toEqual([]);
		now = 100;
		expect(throttle.expired()).toEqual([['a', 1]]);
		expect(throttle.admit('a')).toBe(0);
	});

	it('lets no more kinds pile up than it keeps: the rest share one', () => {
		const throttle = new DenialThrottle(1000, () => 0, 3);
		expect(throttle.admit('a')).toBe(0);
		expect(throttle.admit('b')).toBe(0);
		expect(throttle.admit('c')).toBe(0);
		expect(throttle.admit('d')).toBe(0);
		expect(throttle.admit('e')).toBeUndefined();
		expect(throttle.drain()).toEqual([['(other)', 1]]);
	});
});
