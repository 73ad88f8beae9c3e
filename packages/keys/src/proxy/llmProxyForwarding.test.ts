import { request } from 'node:http';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import { freePort } from '@agentspace/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { STAND_IN_USAGE } from '../testing/standInProvider.js';
import {
	type ProxyHarness,
	REAL_KEYS,
	RUN_TOKEN,
	send,
	startProxyHarness,
	USER_TOKEN,
} from './proxyHarness.testing.js';

let harness: ProxyHarness | undefined;
afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

const anthropicBody = {
	model: 'claude-test',
	max_tokens: 32,
	messages: [{ role: 'user', content: 'hi' }],
};
const chatBody = { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] };

describe('the LLM endpoint forwards', () => {
	it('records each request in a group written within its time, or at once when the endpoint closes', async () => {
		// A group time no test waits out: only the close can write these.
		harness = await startProxyHarness({ accessGroupMs: 600_000 });
		const headers = { 'x-api-key': RUN_TOKEN };
		for (let n = 0; n < 3; n += 1) {
			const res = await send(harness.url, '/anthropic/v1/messages', {
				headers,
				body: anthropicBody,
			});
			expect(res.status).toBe(200);
			expect(JSON.parse(res.body).usage).toEqual({ input_tokens: 11, output_tokens: 7 });
		}
		const written = () => getAuditEvents(harness?.db as AgentSpaceDb, { type: 'key_accessed' });
		expect(await written()).toEqual([]);
		await harness.proxy.close();
		expect(await written()).toHaveLength(3);
	});

	it('an Anthropic request with the real key, never the caller token, and records its usage', async () => {
		harness = await startProxyHarness();
		const res = await send(harness.url, '/anthropic/v1/messages?beta=true', {
			headers: {
				'x-api-key': RUN_TOKEN,
				// Some clients send both: neither may reach the provider.
				authorization: `Bearer ${RUN_TOKEN}`,
				'anthropic-version': '2023-06-01',
				'accept-encoding': 'gzip, br',
				cookie: 'session=abc',
			},
			body: anthropicBody,
		});
		expect(res.status).toBe(200);
		expect(JSON.parse(res.body).usage).toEqual({ input_tokens: 11, output_tokens: 7 });
		const seen = harness.standIn.requests[0];
		expect(seen?.path).toBe('/v1/messages?beta=true');
		expect(seen?.headers['x-api-key']).toBe(REAL_KEYS.anthropic);
		expect(seen?.headers.authorization).toBeUndefined();
		expect(seen?.headers.cookie).toBeUndefined();
		expect(seen?.headers['anthropic-version']).toBe('2023-06-01');
		expect(seen?.headers['accept-encoding']).toBe('identity');
		expect(JSON.stringify(seen?.headers)).not.toContain(RUN_TOKEN);
		expect(JSON.parse(seen?.body ?? '{}')).toEqual(anthropicBody);
		const [entry, ...more] = await harness.audit('key_accessed');
		expect(more).toEqual([]);
		expect(entry?.actorType).toBe('agent');
		expect(entry?.actorId).toBe('writer');
		expect(entry?.metadata).toMatchObject({
			provider: 'anthropic',
			agentId: 'writer',
			runId: 'run-1',
			model: 'claude-test',
			status: 200,
			inputCount: 11,
			outputCount: 7,
			stream: false,
			path: '/anthropic/v1/messages',
		});
		expect(typeof entry?.metadata.durationMs).toBe('number');
	});

	it('an OpenAI request with Bearer auth replaced by the real key (a user key token)', async () => {
		harness = await startProxyHarness();
		const res = await send(harness.url, '/openai/v1/chat/completions', {
			headers: { authorization: `Bearer ${USER_TOKEN}` },
			body: chatBody,
		});
		expect(res.status).toBe(200);
		const seen = harness.standIn.requests[0];
		expect(seen?.headers.authorization).toBe(`Bearer ${REAL_KEYS.openai}`);
		expect(seen?.headers['x-api-key']).toBeUndefined();
		const [entry] = await harness.audit('key_accessed');
		expect(entry?.actorType).toBe('human');
		expect(entry?.actorId).toBe('laptop');
		expect(entry?.metadata).toMatchObject({
			provider: 'openai',
			mintedId: 'askey_usertoken1',
			model: 'gpt-test',
			inputCount: STAND_IN_USAGE['openai-chat'].inputTokens,
			outputCount: STAND_IN_USAGE['openai-chat'].outputTokens,
		});
		expect(entry?.metadata.agentId).toBeUndefined();
	});

	it('an openai-compatible provider under its own prefix, and ollama without any key', async () => {
		harness = await startProxyHarness();
		const compat = await send(harness.url, '/openai-compatible/local/v1/chat/completions', {
			headers: { authorization: `Bearer ${RUN_TOKEN}` },
			body: chatBody,
		});
		expect(compat.status).toBe(200);
		expect(harness.standIn.requests[0]?.headers.authorization).toBe(
			`Bearer ${REAL_KEYS['openai-compatible:local']}`,
		);
		const ollama = await send(harness.url, '/ollama/api/chat', {
			headers: { authorization: `Bearer ${RUN_TOKEN}` },
			body: { model: 'llama-test', messages: [{ role: 'user', content: 'hi' }], stream: false },
		});
		expect(ollama.status).toBe(200);
		const seen = harness.standIn.requests[1];
		expect(seen?.path).toBe('/api/chat');
		expect(seen?.headers.authorization).toBeUndefined();
		expect(seen?.headers['x-api-key']).toBeUndefined();
		const entries = await harness.audit('key_accessed');
		expect(entries.map((e) => e.metadata.provider)).toEqual(['openai-compatible:local', 'ollama']);
		expect(entries[1]?.metadata).toMatchObject({
			inputCount: 19,
			outputCount: 4,
			model: 'llama-test',
		});
	});

	it.each([
		['anthropic SSE', '/anthropic/v1/messages', { ...anthropicBody, stream: true }, 'anthropic'],
		[
			'openai chat SSE with include_usage',
			'/openai/v1/chat/completions',
			{ ...chatBody, stream: true, stream_options: { include_usage: true } },
			'openai-chat',
		],
		[
			'openai responses SSE',
			'/openai/v1/responses',
			{ model: 'gpt-test', input: 'hi', stream: true },
			'openai-responses',
		],
		[
			'openai responses JSON',
			'/openai/v1/responses',
			{ model: 'gpt-test', input: 'hi' },
			'openai-responses',
		],
		['ollama chat NDJSON', '/ollama/api/chat', { model: 'llama-test', messages: [] }, 'ollama'],
		[
			'ollama generate NDJSON',
			'/ollama/api/generate',
			{ model: 'llama-test', prompt: 'hi' },
			'ollama',
		],
	] as const)('%s and records its usage', async (_name, path, body, wire) => {
		harness = await startProxyHarness();
		const res = await send(harness.url, path, { headers: { 'x-api-key': RUN_TOKEN }, body });
		expect(res.status).toBe(200);
		expect(res.body).toContain('stand-in');
		const [entry] = await harness.audit('key_accessed');
		expect(entry?.metadata).toMatchObject({
			inputCount: STAND_IN_USAGE[wire].inputTokens,
			outputCount: STAND_IN_USAGE[wire].outputTokens,
			model: body.model,
		});
		const streamed = !(wire === 'openai-responses' && !('stream' in body));
		expect(entry?.metadata.stream).toBe(streamed);
	});

	it('a stream chunk by chunk: the client sees each chunk before the provider sends the next', async () => {
		harness = await startProxyHarness({}, { holdChunks: true });
		const { standIn, url } = harness;
		const received: string[] = [];
		let onChunk: (() => void) | undefined;
		const nextChunk = () =>
			new Promise<void>((resolve) => {
				onChunk = resolve;
			});
		const done = new Promise<number>((resolve, reject) => {
			const req = request(`${url}/anthropic/v1/messages`, {
				method: 'POST',
				headers: { 'x-api-key': RUN_TOKEN, 'content-type': 'application/json' },
			});
			req.on('response', (res) => {
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					received.push(chunk);
					onChunk?.();
				});
				res.on('end', () => resolve(res.statusCode ?? 0));
			});
			req.on('error', reject);
			req.end(JSON.stringify({ ...anthropicBody, stream: true }));
		});
		// The stand-in holds every chunk after the first until released: each
		// chunk must reach the client while the next is still held.
		let arrived = nextChunk();
		await arrived;
		expect(received.join('')).toContain('message_start');
		for (const word of ['Hello', ' from', ' the', ' stand-in']) {
			const before = received.join('');
			expect(before).not.toContain(JSON.stringify(word));
			arrived = nextChunk();
			standIn.release();
			await arrived;
			expect(received.join('')).toContain(JSON.stringify(word));
		}
		standIn.release();
		expect(await done).toBe(200);
		const [entry] = await harness.audit('key_accessed');
		expect(entry?.metadata).toMatchObject({ stream: true, inputCount: 11, outputCount: 7 });
	});

	it("provider errors unchanged (status, body, headers such as 429's retry-after)", async () => {
		harness = await startProxyHarness();
		for (const status of [401, 429, 500] as const) {
			harness.standIn.failWith(status);
			const res = await send(harness.url, '/anthropic/v1/messages', {
				headers: { 'x-api-key': RUN_TOKEN },
				body: anthropicBody,
			});
			expect(res.status).toBe(status);
			expect(JSON.parse(res.body).type).toBe('error');
			if (status === 429) expect(res.headers['retry-after']).toBe('7');
		}
		const entries = await harness.audit('key_accessed');
		expect(entries.map((e) => e.metadata.status)).toEqual([401, 429, 500]);
	});

	it('a client abort mid-stream to the provider', async () => {
		harness = await startProxyHarness({}, { holdChunks: true });
		const { standIn, url } = harness;
		const aborted = standIn.aborted();
		await new Promise<void>((resolve, reject) => {
			const req = request(`${url}/openai/v1/chat/completions`, {
				method: 'POST',
				headers: { authorization: `Bearer ${RUN_TOKEN}`, 'content-type': 'application/json' },
			});
			req.on('response', (res) => {
				res.once('data', () => {
					req.destroy();
					resolve();
				});
			});
			req.on('error', () => {});
			req.end(JSON.stringify({ ...chatBody, stream: true }));
			setImmediate(() => {}).unref();
			void reject;
		});
		await aborted;
		expect(standIn.abortedCount).toBe(1);
		// The request is still audited, once, with what had arrived.
		await waitFor(async () => (await harness?.audit('key_accessed'))?.length === 1);
		const [entry] = await harness.audit('key_accessed');
		expect(entry?.metadata).toMatchObject({ provider: 'openai', status: 200, stream: true });
	});
});

describe('the LLM endpoint fails clearly', () => {
	it('a provider breaking mid-stream as a broken stream to the client, not a clean end', async () => {
		harness = await startProxyHarness();
		harness.standIn.cutStreams(true);
		const outcome = await new Promise<string>((resolve) => {
			const req = request(`${harness?.url}/ollama/api/chat`, {
				method: 'POST',
				headers: { authorization: `Bearer ${RUN_TOKEN}`, 'content-type': 'application/json' },
			});
			req.on('response', (res) => {
				res.on('data', () => {});
				res.on('end', () => resolve('clean end'));
				res.on('aborted', () => resolve('aborted'));
				res.on('error', () => resolve('aborted'));
			});
			req.on('error', () => resolve('aborted'));
			req.end(JSON.stringify({ model: 'llama-test', messages: [] }));
		});
		expect(outcome).toBe('aborted');
		await waitFor(async () => (await harness?.audit('key_accessed'))?.length === 1);
	});

	it('with 502 in the provider shape naming the base URL when the provider is down', async () => {
		harness = await startProxyHarness();
		const port = await freePort();
		harness.baseUrls.set('anthropic', `http://127.0.0.1:${port}`);
		const res = await send(harness.url, '/anthropic/v1/messages', {
			headers: { 'x-api-key': RUN_TOKEN },
			body: anthropicBody,
		});
		expect(res.status).toBe(502);
		const body = JSON.parse(res.body);
		expect(body.type).toBe('error');
		expect(body.error.message).toContain(`http://127.0.0.1:${port}`);
		const [entry] = await harness.audit('key_accessed');
		expect(entry?.metadata.status).toBe(502);
	});

	it('with 504 when the provider sends no headers in time, and the provider request is ended', async () => {
		harness = await startProxyHarness({ upstreamTimeoutMs: 200 });
		harness.standIn.hang(true);
		const aborted = harness.standIn.aborted();
		const res = await send(harness.url, '/openai/v1/chat/completions', {
			headers: { authorization: `Bearer ${RUN_TOKEN}` },
			body: chatBody,
		});
		expect(res.status).toBe(504);
		expect(JSON.parse(res.body).error.message).toContain('sent no response');
		await aborted;
	});
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
	for (let i = 0; i < 200; i += 1) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error('condition not met');
}
