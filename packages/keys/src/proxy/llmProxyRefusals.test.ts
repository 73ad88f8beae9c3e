import { createServer, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { LlmRunCaller } from './llmCaller.js';
import { type ProxyHarness, RUN_TOKEN, send, startProxyHarness } from './proxyHarness.testing.js';

let harness: ProxyHarness | undefined;
afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

const body = { model: 'claude-test', max_tokens: 8, messages: [] };

describe('the LLM endpoint refuses', () => {
	it('a request without a credential, or with a wrong one: 401 in the provider shape, folded auth_failed', async () => {
		harness = await startProxyHarness();
		const none = await send(harness.url, '/anthropic/v1/messages', { body });
		expect(none.status).toBe(401);
		expect(JSON.parse(none.body)).toMatchObject({
			type: 'error',
			error: { type: 'authentication_error' },
		});
		for (let i = 0; i < 3; i += 1) {
			const wrong = await send(harness.url, '/openai/v1/chat/completions', {
				headers: { authorization: 'Bearer not-a-token' },
				body,
			});
			expect(wrong.status).toBe(401);
			expect(JSON.parse(wrong.body).error.message).toContain('agentspace keys token');
		}
		expect(harness.standIn.requests).toEqual([]);
		// The first of each kind is an entry; the rest are a count, written when the endpoint closes.
		await harness.proxy.close();
		const entries = await harness.audit('auth_failed');
		expect(entries.map((e) => [e.metadata.kind, e.metadata.foldedBefore])).toEqual([
			['no-token', undefined],
			['wrong-token', undefined],
			['wrong-token', 2],
		]);
		expect(JSON.stringify(entries)).not.toContain('not-a-token');
		expect(await harness.audit('key_accessed')).toEqual([]);
	});

	it('a run without llm:<provider>: 403 naming the permission, audited, nothing forwarded', async () => {
		harness = await startProxyHarness();
		harness.callers.set('narrow-run', {
			kind: 'run',
			agentId: 'narrow',
			runId: 'run-9',
			providers: [{ provider: 'ollama', remembered: true }],
		});
		const res = await send(harness.url, '/anthropic/v1/messages', {
			headers: { 'x-api-key': 'narrow-run' },
			body,
		});
		expect(res.status).toBe(403);
		const error = JSON.parse(res.body).error;
		expect(error.type).toBe('permission_error');
		expect(error.message).toContain('llm:anthropic');
		expect(harness.standIn.requests).toEqual([]);
		const [denied] = await harness.audit('security.denied');
		expect(denied?.metadata).toMatchObject({
			reason: 'llm-not-approved',
			provider: 'anthropic',
			agentId: 'narrow',
			interface: 'llm-endpoint',
		});
	});

	it('an unknown path with 404, and a provider without a stored key with 503 naming `keys add`', async () => {
		let stored = true;
		harness = await startProxyHarness({
			readKey: async () => (stored ? { baseUrl: 'http://127.0.0.1:9' } : undefined),
		});
		const unknown = await send(harness.url, '/gemini/v1/x', {
			headers: { 'x-api-key': RUN_TOKEN },
			body,
		});
		expect(unknown.status).toBe(404);
		expect(JSON.parse(unknown.body).error.message).toContain('/anthropic');
		stored = false;
		const missing = await send(harness.url, '/anthropic/v1/messages', {
			headers: { 'x-api-key': RUN_TOKEN },
			body,
		});
		expect(missing.status).toBe(503);
		expect(JSON.parse(missing.body).error.message).toContain('agentspace keys add anthropic');
	});
});

describe('ollama without a stored record', () => {
	it('goes to its default base URL, http://127.0.0.1:11434, with no key (not 503)', async () => {
		const seen: string[] = [];
		const ollama = createServer((req, res) => {
			seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"models":[]}');
		});
		const listening = await new Promise<boolean>((resolve) => {
			ollama.once('error', () => resolve(false));
			ollama.listen(11434, '127.0.0.1', () => resolve(true));
		});
		try {
			harness = await startProxyHarness({
				readKey: async (provider) =>
					provider === 'ollama' ? undefined : { baseUrl: 'http://127.0.0.1:9' },
			});
			const res = await send(harness.url, '/ollama/api/tags', {
				method: 'GET',
				headers: { authorization: `Bearer ${RUN_TOKEN}` },
			});
			if (listening) {
				expect(res.status).toBe(200);
				expect(seen).toEqual(['GET /api/tags ']);
			} else {
				// Something else holds the port: what answers is not ours to know, but it was asked.
				expect(res.status).not.toBe(503);
			}
		} finally {
			if (listening) await new Promise<void>((resolve) => ollama.close(() => resolve()));
		}
	});
});

describe('the first-use gate (limited-control)', () => {
	it("keeps an approval per run and provider; anything else is the gate's to answer again; remembered grants are not asked", async () => {
		const asked: string[] = [];
		let answer = false;
		harness = await startProxyHarness({
			approveFirstUse: async (caller: LlmRunCaller, provider) => {
				asked.push(`${caller.runId}:${provider}`);
				return answer;
			},
		});
		harness.callers.set('gated', {
			kind: 'run',
			agentId: 'gated',
			runId: 'run-g',
			providers: [
				{ provider: 'anthropic', remembered: false },
				{ provider: 'openai', remembered: true },
			],
		});
		const headers = { 'x-api-key': 'gated' };
		const denied = await send(harness.url, '/anthropic/v1/messages', { headers, body });
		expect(denied.status).toBe(403);
		expect(JSON.parse(denied.body).error.message).toContain(
			'agentspace keys approve gated anthropic',
		);
		answer = true;
		expect((await send(harness.url, '/anthropic/v1/messages', { headers, body })).status).toBe(200);
		expect((await send(harness.url, '/anthropic/v1/messages', { headers, body })).status).toBe(200);
		expect(
			(await send(harness.url, '/openai/v1/chat/completions', { headers, body: { model: 'm' } }))
				.status,
		).toBe(200);
		expect(asked).toEqual(['run-g:anthropic', 'run-g:anthropic']);
		const denials = await harness.audit('security.denied');
		expect(denials.map((d) => d.metadata.reason)).toEqual(['llm-use-denied']);
	});

	it('lets each waiting request wait until its own client leaves: one leaving does not refuse the others', async () => {
		// A gate as the daemon's: one question per run and provider, each waiter with its own signal.
		let decide: ((ok: boolean) => void) | undefined;
		const question = new Promise<boolean>((resolve) => {
			decide = resolve;
		});
		let waiting = 0;
		harness = await startProxyHarness({
			approveFirstUse: (_caller, _provider, signal) =>
				new Promise<boolean>((resolve) => {
					waiting += 1;
					signal.addEventListener('abort', () => resolve(false), { once: true });
					void question.then(resolve);
				}),
		});
		harness.callers.set('gated', {
			kind: 'run',
			agentId: 'gated',
			runId: 'run-w',
			providers: [{ provider: 'anthropic', remembered: false }],
		});
		const url = harness.url;
		const headers = { 'x-api-key': 'gated', 'content-type': 'application/json' };
		// The first request's client leaves while it waits.
		const leaving = request(`${url}/anthropic/v1/messages`, { method: 'POST', headers });
		leaving.on('error', () => {});
		leaving.end(JSON.stringify(body));
		while (waiting < 1) await new Promise((r) => setTimeout(r, 10));
		const staying = send(url, '/anthropic/v1/messages', { headers, body });
		// Both requests are waiting (bounded: a proxy that does not ask for the second goes on after 1 s).
		for (let i = 0; i < 100 && waiting < 2; i += 1) await new Promise((r) => setTimeout(r, 10));
		leaving.destroy();
		// The gate sees the first waiter leave before it answers the one that stayed.
		await new Promise((r) => setTimeout(r, 100));
		decide?.(true);
		expect((await staying).status).toBe(200);
		expect(harness.standIn.requests).toHaveLength(1);
	});
});
