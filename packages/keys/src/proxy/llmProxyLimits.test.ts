import { afterEach, describe, expect, it } from 'vitest';
import { type ProxyHarness, RUN_TOKEN, send, startProxyHarness } from './proxyHarness.testing.js';

let harness: ProxyHarness | undefined;
afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

const body = { model: 'claude-test', max_tokens: 8, messages: [] };
const headers = { 'x-api-key': RUN_TOKEN };

describe('the LLM endpoint limits', () => {
	it('answers 429 with Retry-After over the rpm limit, audits key_limited, and recovers', async () => {
		let now = Date.parse('2026-03-01T10:00:00Z');
		harness = await startProxyHarness({ now: () => now });
		harness.limits.set('writer\u0000anthropic', { rpm: 2, tokensPerDay: null });
		expect((await send(harness.url, '/anthropic/v1/messages', { headers, body })).status).toBe(200);
		expect((await send(harness.url, '/anthropic/v1/messages', { headers, body })).status).toBe(200);
		now += 15_000;
		const over = await send(harness.url, '/anthropic/v1/messages', { headers, body });
		expect(over.status).toBe(429);
		expect(over.headers['retry-after']).toBe('45');
		const error = JSON.parse(over.body).error;
		expect(error.type).toBe('rate_limit_error');
		expect(error.message).toContain('2 requests a minute');
		expect(error.message).toContain('agentspace keys limit writer anthropic');
		expect(harness.standIn.requests).toHaveLength(2);
		// Another provider is not limited.
		expect(
			(await send(harness.url, '/openai/v1/chat/completions', { headers, body: { model: 'm' } }))
				.status,
		).toBe(200);
		now += 45_000;
		expect((await send(harness.url, '/anthropic/v1/messages', { headers, body })).status).toBe(200);
		const [limited] = await harness.audit('key_limited');
		expect(limited?.metadata).toMatchObject({
			provider: 'anthropic',
			agentId: 'writer',
			limit: 'rpm',
			retryAfterSeconds: 45,
		});
		expect(await harness.audit('key_accessed')).toHaveLength(4);
	});

	it('counts tokens per day from responses and from the audit log of a previous start', async () => {
		// From the real time: the audit entries the restart reads are stamped with it.
		let now = Date.now();
		harness = await startProxyHarness({ now: () => now });
		harness.limits.set('writer\u0000anthropic', { rpm: null, tokensPerDay: 30 });
		// 11 + 7 tokens a request (the stand-in's Anthropic usage): the second takes the day to 36.
		expect((await send(harness.url, '/anthropic/v1/messages', { headers, body })).status).toBe(200);
		expect((await send(harness.url, '/anthropic/v1/messages', { headers, body })).status).toBe(200);
		const over = await send(harness.url, '/anthropic/v1/messages', { headers, body });
		expect(over.status).toBe(429);
		expect(JSON.parse(over.body).error.message).toContain('30 tokens a day');
		// A new endpoint over the same database (a daemon restart) remembers the day. The stop
		// writes the entries still waiting for their group.
		harness.proxy.flushAudit();
		const restarted = await startProxyHarness({ db: harness.db, now: () => now });
		try {
			restarted.limits.set('writer\u0000anthropic', { rpm: null, tokensPerDay: 30 });
			now += 60_000;
			const again = await send(restarted.url, '/anthropic/v1/messages', { headers, body });
			expect(again.status).toBe(429);
			expect(restarted.standIn.requests).toEqual([]);
			// A day after they were used, the tokens no longer count.
			now += 24 * 60 * 60_000 + 60_000;
			expect((await send(restarted.url, '/anthropic/v1/messages', { headers, body })).status).toBe(
				200,
			);
		} finally {
			await restarted.close();
		}
	});
});
