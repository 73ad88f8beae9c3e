import { describe, expect, it } from 'vitest';
import { LimitTracker } from './limitTracker.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('LimitTracker', () => {
	it('lets rpm requests through in a sliding minute, then says when the oldest leaves it', () => {
		let now = 1_000_000;
		const tracker = new LimitTracker(() => now);
		const limit = { rpm: 2, tokensPerDay: null };
		expect(tracker.admit('a', 'openai', limit)).toBeUndefined();
		now += 10_000;
		expect(tracker.admit('a', 'openai', limit)).toBeUndefined();
		now += 10_000;
		const over = tracker.admit('a', 'openai', limit);
		expect(over).toMatchObject({ limit: 'rpm', retryAfterSeconds: 40 });
		expect(over?.message).toContain('agentspace keys limit a openai --rpm');
		// Another agent, or another provider, has its own window.
		expect(tracker.admit('b', 'openai', limit)).toBeUndefined();
		expect(tracker.admit('a', 'anthropic', limit)).toBeUndefined();
		now += 40_000;
		expect(tracker.admit('a', 'openai', limit)).toBeUndefined();
		expect(tracker.admit('a', 'openai', limit)?.limit).toBe('rpm');
	});

	it('refused requests do not count toward the minute', () => {
		let now = 0;
		const tracker = new LimitTracker(() => now);
		const limit = { rpm: 1, tokensPerDay: null };
		expect(tracker.admit('a', 'openai', limit)).toBeUndefined();
		for (let i = 0; i < 5; i += 1) {
			now += 1_000;
			expect(tracker.admit('a', 'openai', limit)).toBeDefined();
		}
		now = MINUTE;
		expect(tracker.admit('a', 'openai', limit)).toBeUndefined();
	});

	it('counts tokens over a rolling day and frees them as they age out', () => {
		let now = 10 * DAY;
		const tracker = new LimitTracker(() => now);
		const limit = { rpm: null, tokensPerDay: 100 };
		expect(tracker.admit('a', 'anthropic', limit)).toBeUndefined();
		tracker.addTokens('a', 'anthropic', 60);
		now += 5 * MINUTE;
		expect(tracker.admit('a', 'anthropic', limit)).toBeUndefined();
		tracker.addTokens('a', 'anthropic', 50);
		now += MINUTE;
		const over = tracker.admit('a', 'anthropic', limit);
		expect(over?.limit).toBe('tokens_per_day');
		expect(over?.message).toContain('--tokens-per-day');
		// The first 60 leave the day 24 h (and up to a minute) after they were counted.
		expect(over?.retryAfterSeconds).toBe((DAY + MINUTE - 6 * MINUTE) / 1000);
		now += DAY - 5 * MINUTE;
		expect(tracker.admit('a', 'anthropic', limit)).toBeUndefined();
		expect(tracker.tokensToday('a', 'anthropic')).toBe(50);
	});

	it('takes seeded counts out of order, and ignores those older than a day', () => {
		const now = 5 * DAY;
		const tracker = new LimitTracker(() => now);
		tracker.addTokens('a', 'openai', 10, now - MINUTE);
		tracker.addTokens('a', 'openai', 20, now - 3 * MINUTE);
		tracker.addTokens('a', 'openai', 30, now - DAY - 1);
		expect(tracker.tokensToday('a', 'openai')).toBe(30);
		expect(tracker.admit('a', 'openai', { rpm: null, tokensPerDay: 30 })?.limit).toBe(
			'tokens_per_day',
		);
		expect(tracker.admit('a', 'openai', { rpm: null, tokensPerDay: 31 })).toBeUndefined();
	});

	it('without a limit, everything passes', () => {
		const tracker = new LimitTracker(() => 0);
		for (let i = 0; i < 100; i += 1)
			expect(tracker.admit('a', 'openai', undefined)).toBeUndefined();
	});
});
