// The LLM endpoint's two doors with real sockets: TCP on 127.0.0.1 and a
// 0600 Unix socket, one handler; a port in use refuses (nothing left
// listening); close ends the connections still open.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTempHome, freePort, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { llmSocketPath } from '../daemonPaths.js';
import { listenLlmEndpoint } from './keysEndpoint.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('daemon-keys-endpoint');
});
afterEach(() => temp.cleanup());

function get(where: { port: number } | { socketPath: string }): Promise<string> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				...('port' in where ? { host: '127.0.0.1', port: where.port } : where),
				path: '/x',
			},
			(res) => {
				let text = '';
				res.on('data', (chunk) => {
					text += chunk;
				});
				res.on('end', () => resolve(text));
			},
		);
		req.on('error', reject);
		req.end();
	});
}

describe('listenLlmEndpoint', () => {
	it('serves one handler on TCP and on a 0600 socket, and ends open connections when closed', async () => {
		const port = await freePort();
		const socketPath = join(temp.home, 'run', 'llm.sock');
		let held: (() => void) | undefined;
		const endpoint = await listenLlmEndpoint({
			host: '127.0.0.1',
			port,
			socketPath,
			handle: (req, res) => {
				if (req.url === '/hold') {
					res.writeHead(200);
					res.write('started');
					held = () => res.end();
					return;
				}
				res.end(`ok ${req.url}`);
			},
		});
		expect(endpoint.url).toBe(`http://127.0.0.1:${port}`);
		expect(await get({ port })).toBe('ok /x');
		expect(await get({ socketPath })).toBe('ok /x');
		expect(statSync(socketPath).mode & 0o777).toBe(0o600);
		expect(statSync(join(temp.home, 'run')).mode & 0o777).toBe(0o700);

		const ended = new Promise<string>((resolve) => {
			request({ host: '127.0.0.1', port, path: '/hold' }, (res) => {
				res.once('data', () => void endpoint.close());
				res.on('error', () => resolve('ended'));
				res.on('close', () => resolve('ended'));
			}).end();
		});
		expect(await ended).toBe('ended');
		held?.();
		expect(existsSync(socketPath)).toBe(false);
		await expect(get({ port })).rejects.toThrow(/ECONNREFUSED/);
	});

	it('refuses a port in use with EADDRINUSE and leaves no socket behind', async () => {
		const port = await freePort();
		const blocker = createServer();
		await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
		const socketPath = join(temp.home, 'run', 'llm.sock');
		try {
			const error = await listenLlmEndpoint({
				host: '127.0.0.1',
				port,
				socketPath,
				handle: (_req, res) => res.end(),
			}).catch((caught: NodeJS.ErrnoException) => caught);
			expect((error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
			expect(existsSync(socketPath)).toBe(false);
		} finally {
			await new Promise((resolve) => blocker.close(resolve));
		}
	});

	it('refuses a socket directory others can enter', async () => {
		const open = join(temp.home, 'open');
		mkdirSync(open, { mode: 0o755 });
		const error = await listenLlmEndpoint({
			host: '127.0.0.1',
			port: await freePort(),
			socketPath: join(open, 'llm.sock'),
			handle: (_req, res) => res.end(),
		}).catch((caught: Error) => caught);
		expect((error as Error).message).toMatch(/closed to others/);
	});
});

describe('llmSocketPath', () => {
	it('is in the home when short and plain, else under a per-user directory of tmp, short enough for a socket', () => {
		expect(llmSocketPath('/h/home')).toBe('/h/home/run/llm.sock');
		const long = `/tmp/${'a'.repeat(120)}/home`;
		const fallback = llmSocketPath(long);
		expect(fallback).toMatch(/\/agentspace-[^/]+\/llm-[0-9a-f]{16}\.sock$/);
		expect(Buffer.byteLength(fallback)).toBeLessThanOrEqual(100);
		expect(llmSocketPath(long)).toBe(fallback);
		expect(llmSocketPath('/tmp/with space/home')).not.toContain(' ');
	});
});
