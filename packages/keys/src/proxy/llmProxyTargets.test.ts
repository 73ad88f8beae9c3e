import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProxyHarness, RUN_TOKEN, send, startProxyHarness } from './proxyHarness.testing.js';
import { parseRequestTarget, upstreamUrl } from './requestTarget.js';

let harness: ProxyHarness | undefined;
afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

/** Sends a request line's target exactly as given (node:http writes `path` verbatim). */
function sendRaw(port: number, path: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({
			host: '127.0.0.1',
			port,
			method: 'POST',
			path,
			headers: { 'x-api-key': RUN_TOKEN, 'content-type': 'application/json' },
		});
		req.on('response', (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				body += chunk;
			});
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		req.on('error', reject);
		req.end('{"model":"m","max_tokens":1,"messages":[]}');
	});
}

describe('the request target', () => {
	it('is refused (400, nothing forwarded) when it could leave its provider prefix or the stored host', async () => {
		harness = await startProxyHarness();
		const targets = [
			'http://evil.invalid/anthropic/v1/messages', // absolute-form
			'//evil.invalid/anthropic/v1/messages',
			'/openai/../anthropic/v1/messages',
			'/openai/%2e%2e/anthropic/v1/messages',
			'/openai/.%2E/anthropic/v1/messages',
			'/anthropic/v1/./messages',
			'/anthropic\\..\\openai/v1/chat/completions',
			'/anthropic/v1%2f..%2f..%2fopenai',
			'/anthropic/v1%5Cmessages',
		];
		for (const target of targets) {
			const res = await sendRaw(harness.port, target);
			expect([target, res.status]).toEqual([target, 400]);
			expect(JSON.parse(res.body).error.message).toContain('agentspace:');
		}
		expect(harness.standIn.requests).toEqual([]);
		// An ordinary one still goes.
		expect((await sendRaw(harness.port, '/anthropic/v1/messages?beta=true')).status).toBe(200);
		expect(harness.standIn.requests).toHaveLength(1);
	});

	it('parses origin-form only', () => {
		expect(parseRequestTarget('/anthropic/v1/messages?a=%2f')).toEqual({
			ok: true,
			path: '/anthropic/v1/messages',
			search: '?a=%2f',
		});
		expect(parseRequestTarget('*').ok).toBe(false);
		expect(parseRequestTarget('evil.invalid:443').ok).toBe(false);
	});

	it('builds the upstream URL only on the stored scheme, host, port, user and path', () => {
		const base = 'https://gw.example:8443/tenant-a/v1';
		expect(upstreamUrl(base, '/chat/completions', '?x=1')?.toString()).toBe(
			'https://gw.example:8443/tenant-a/v1/chat/completions?x=1',
		);
		// Whatever the rest holds, the host stays (an @ or // in a path is a path).
		expect(upstreamUrl(base, '/@evil.invalid/x', '')?.host).toBe('gw.example:8443');
		expect(upstreamUrl(base, '//evil.invalid/x', '')?.host).toBe('gw.example:8443');
		expect(upstreamUrl('https://user:pw@gw.example', '/x', '')?.password).toBe('pw');
		// A rest a parser would resolve out of the base path, or a base URL that is not http(s): none.
		expect(upstreamUrl(base, '/../../tenant-b/v1/x', '')).toBeUndefined();
		expect(upstreamUrl(base, '/..', '')).toBeUndefined();
		expect(upstreamUrl('file:///etc', '/passwd', '')).toBeUndefined();
		expect(upstreamUrl('not a url', '/x', '')).toBeUndefined();
	});

	it("never shows a base URL's user and password in the endpoint's errors", async () => {
		harness = await startProxyHarness();
		harness.baseUrls.set('anthropic', 'http://gw-user:s3cret-pw@127.0.0.1:9/');
		harness.baseUrls.set('openai', 'ftp://gw-user:s3cret-pw@127.0.0.1:9/');
		const body = { model: 'm', max_tokens: 1, messages: [] };
		const headers = { 'x-api-key': RUN_TOKEN };
		const unreachable = await send(harness.url, '/anthropic/v1/messages', { headers, body });
		expect(unreachable.status).toBe(502);
		expect(unreachable.body).toContain('http://127.0.0.1:9');
		const notHttp = await send(harness.url, '/openai/v1/chat/completions', { headers, body });
		expect(notHttp.status).toBe(502);
		for (const answer of [unreachable, notHttp]) {
			expect(answer.body).not.toContain('s3cret-pw');
			expect(answer.body).not.toContain('gw-user');
		}
	});

	it('keeps untrusted strings in the audit log bounded and free of control characters', async () => {
		harness = await startProxyHarness();
		const model = `claude\u001b[2J\u202eevil\nline${'x'.repeat(200)}`;
		const res = await send(harness.url, '/anthropic/v1/messages', {
			headers: { 'x-api-key': RUN_TOKEN },
			body: { model, max_tokens: 1, messages: [] },
		});
		expect(res.status).toBe(200);
		const long = `/openai/${'p'.repeat(1000)}`;
		expect((await send(harness.url, long, { body: {} })).status).toBe(401);
		await harness.proxy.close();
		const [access] = await harness.audit('key_accessed');
		const recorded = String(access?.metadata.model);
		expect(recorded.startsWith('claude[2Jevilline')).toBe(true);
		expect(recorded).not.toMatch(/[\p{Cc}\p{Cf}]/u);
		expect(recorded.length).toBeLessThanOrEqual(128);
		const [refused] = await harness.audit('auth_failed');
		expect(String(refused?.metadata.path).length).toBeLessThanOrEqual(256);
	});
});
