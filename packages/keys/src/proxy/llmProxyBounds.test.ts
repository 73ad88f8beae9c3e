import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProxyHarness, RUN_TOKEN, send, startProxyHarness } from './proxyHarness.testing.js';

let harness: ProxyHarness | undefined;
afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

/**
 * Starts a POST to the endpoint with the given headers, writes `first`,
 * then `more` chunks one at a time (each after the previous one was taken),
 * and resolves with the answer (write errors after it are the closing socket).
 */
function post(
	port: number,
	headers: Record<string, string>,
	first: string,
	more: readonly string[] = [],
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({
			host: '127.0.0.1',
			port,
			method: 'POST',
			path: '/anthropic/v1/messages',
			headers: { 'x-api-key': RUN_TOKEN, 'content-type': 'application/json', ...headers },
		});
		let answered = false;
		req.on('response', (res) => {
			answered = true;
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				body += chunk;
			});
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
			res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		req.on('error', (error) => {
			if (!answered) reject(error);
		});
		req.write(first);
		const queue = [...more];
		const next = () => {
			const chunk = queue.shift();
			if (chunk === undefined || answered) return;
			req.write(chunk, () => setImmediate(next));
		};
		next();
	});
}

describe('the request body bounds', () => {
	it('a declared body over the limit: 413 before anything is read or forwarded', async () => {
		harness = await startProxyHarness({ maxRequestBodyBytes: 1024 });
		const res = await post(harness.port, { 'content-length': '4096' }, '{');
		expect(res.status).toBe(413);
		expect(JSON.parse(res.body).error.message).toContain('larger than');
		expect(harness.standIn.requests).toEqual([]);
	});

	it('a chunked body that grows over the limit: 413, the provider request dropped', async () => {
		harness = await startProxyHarness({ maxRequestBodyBytes: 1024 });
		const res = await post(
			harness.port,
			{ 'transfer-encoding': 'chunked' },
			'{"model":"m","pad":"',
			Array.from({ length: 64 }, () => 'x'.repeat(256)),
		);
		expect(res.status).toBe(413);
		expect(harness.standIn.requests).toEqual([]);
		const [access] = await harness.audit('key_accessed');
		expect(access?.metadata.status).toBe(413);
	});

	it('a body that stops sending: 408 once it has been idle for the timeout', async () => {
		harness = await startProxyHarness({ requestIdleTimeoutMs: 200 });
		const res = await post(harness.port, { 'content-length': '100' }, '{"model":');
		expect(res.status).toBe(408);
		expect(JSON.parse(res.body).error.message).toContain('sent nothing');
		expect(harness.standIn.requests).toEqual([]);
	});

	it('a body under the limit goes through', async () => {
		harness = await startProxyHarness({ maxRequestBodyBytes: 1024 });
		const body = JSON.stringify({ model: 'm', max_tokens: 1, messages: [] });
		const res = await post(harness.port, { 'content-length': String(body.length) }, body);
		expect(res.status).toBe(200);
	});
});

describe('requests in flight', () => {
	/** A harness whose run `held` waits at a gate that answers only when its client leaves. */
	async function heldHarness(options: { maxInFlightPerRun?: number; maxInFlight?: number }) {
		let waiting = 0;
		const started = await startProxyHarness({
			...options,
			approveFirstUse: (_caller, _provider, signal) =>
				new Promise<boolean>((resolve) => {
					waiting += 1;
					signal.addEventListener('abort', () => resolve(false), { once: true });
				}),
		});
		started.callers.set('held', {
			kind: 'run',
			agentId: 'greedy',
			runId: 'run-h',
			providers: [{ provider: 'anthropic', remembered: false }],
		});
		const hold = async (count: number) => {
			const clients = Array.from({ length: count }, () => {
				const req = request(`${started.url}/anthropic/v1/messages`, {
					method: 'POST',
					headers: { 'x-api-key': 'held', 'content-type': 'application/json' },
				});
				req.on('error', () => {});
				req.end('{}');
				return req;
			});
			while (waiting < count) await new Promise((r) => setTimeout(r, 10));
			return clients;
		};
		return { harness: started, hold };
	}
	const body = { model: 'm', max_tokens: 1, messages: [] };

	it('one run over its share: 429 with Retry-After; another run is still served', async () => {
		const { harness: started, hold } = await heldHarness({ maxInFlightPerRun: 2 });
		harness = started;
		const clients = await hold(2);
		const over = await send(harness.url, '/anthropic/v1/messages', {
			headers: { 'x-api-key': 'held' },
			body,
		});
		expect(over.status).toBe(429);
		expect(over.headers['retry-after']).toBe('1');
		expect(JSON.parse(over.body).error.message).toContain('requests in flight');
		const other = await send(harness.url, '/anthropic/v1/messages', {
			headers: { 'x-api-key': RUN_TOKEN },
			body,
		});
		expect(other.status).toBe(200);
		for (const client of clients) client.destroy();
		await harness.proxy.close();
		const [limited] = await harness.audit('key_limited');
		expect(limited?.metadata).toMatchObject({ agentId: 'greedy', limit: 'in_flight' });
	});

	it('the endpoint at its most: 503 with Retry-After for anyone', async () => {
		const { harness: started, hold } = await heldHarness({ maxInFlight: 2 });
		harness = started;
		const clients = await hold(2);
		const over = await send(harness.url, '/anthropic/v1/messages', {
			headers: { 'x-api-key': RUN_TOKEN },
			body,
		});
		expect(over.status).toBe(503);
		expect(over.headers['retry-after']).toBe('1');
		expect(JSON.parse(over.body).error.message).toContain('the most it serves at once');
		for (const client of clients) client.destroy();
	});
});
