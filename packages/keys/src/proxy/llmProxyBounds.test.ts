import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProxyHarness, RUN_TOKEN, startProxyHarness } from './proxyHarness.testing.js';

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
