import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, sandboxReadiness } from '@agentspace/agents';
import {
	createGitRepo,
	createTempHome,
	type GitRepo,
	sandboxTestGate,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson, spawnCli } from '../../testCli.js';

// Needs the OS sandbox: skipped outside CI where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

// What the OS sandbox enforces, seen from inside a real agent run through the
// built CLI, and what the launcher bounds: the log's size, a stubborn agent.
let temp: TempHome;
let repo: GitRepo;
let outside: string;
let approved: string;
let server: Server;
let port: number;

// The probe agent: tries each thing once, prints one JSON line of results, then idles.
const PROBE = `
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
const [approved, outside, db, port] = process.argv.slice(2);
const attempt = (f) => { try { f(); return 'ok'; } catch (error) { return error.code ?? String(error); } };
const tcp = () => new Promise((resolve) => {
	const socket = connect({ host: '127.0.0.1', port: Number(port), timeout: 3000 });
	socket.once('connect', () => { socket.destroy(); resolve('ok'); });
	socket.once('timeout', () => { socket.destroy(); resolve('ETIMEDOUT'); });
	socket.once('error', (error) => resolve(error.code));
});
// Through the sandbox's proxy, as proxy-aware clients (curl, npm, git) do.
const proxied = () => new Promise((resolve) => {
	const proxy = process.env.HTTP_PROXY ?? process.env.http_proxy;
	if (proxy === undefined) return resolve('no proxy');
	const url = new URL(proxy);
	const req = request({ host: url.hostname, port: url.port, method: 'GET', path: 'http://unapproved.example.org/',
		headers: { host: 'unapproved.example.org', ...(url.username ? { 'proxy-authorization': 'Basic ' + Buffer.from(decodeURIComponent(url.username) + ':' + decodeURIComponent(url.password)).toString('base64') } : {}) } },
		(res) => { res.resume(); resolve('status ' + res.statusCode); });
	req.on('error', (error) => resolve(error.code));
	req.end();
});
process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
const results = {
	dataDir: attempt(() => writeFileSync(process.env.HOME + '/note.txt', 'x')),
	approvedDir: attempt(() => writeFileSync(approved + '/out.txt', 'x')),
	outsideDir: attempt(() => writeFileSync(outside + '/out.txt', 'x')),
	readDatabase: attempt(() => readFileSync(db)),
	tcp: await tcp(),
	proxy: await proxied(),
};
console.log('results ' + JSON.stringify(results));
setInterval(() => {}, 60_000);
`;

beforeEach(async () => {
	temp = createTempHome('agents-sandbox');
	outside = mkdtempSync(join(tmpdir(), 'agentspace-outside-'));
	approved = mkdtempSync(join(tmpdir(), 'agentspace-approved-'));
	server = createServer((socket) => socket.end('hello from the host\n'));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as { port: number }).port;
	repo = createGitRepo('probe');
});
afterEach(() => {
	runCli(temp.home, ['daemon', 'stop', '--timeout', '1']);
	server.close();
	rmSync(outside, { recursive: true, force: true });
	rmSync(approved, { recursive: true, force: true });
	temp.cleanup();
	repo.cleanup();
});

function install(id: string, args: string[], permissions: string[] = []): void {
	repo.commit({
		'probe.mjs': PROBE,
		'agentspace.agent.json': {
			id,
			name: id,
			version: '1.0.0',
			entrypoint: { command: 'node', args },
			permissions,
		},
	});
	expect(runCli(temp.home, ['agents', 'install', repo.url]).status).toBe(0);
	expect(runCli(temp.home, ['agents', 'enable', id, '--all']).status).toBe(0);
}

describe.skipIf(!sandbox.run)('the OS sandbox, through agents run', () => {
	it('lets the agent write only where approved, hides the home, and blocks the network', async () => {
		const db = join(temp.home, 'agentspace.db');
		install(
			'probe',
			['probe.mjs', approved, outside, db, String(port)],
			[`filesystem:write:${approved}`],
		);
		const running = spawnCli(temp.home, ['agents', 'run', 'probe', '--foreground']);
		await running.waitForStdout(/results \{.*\}/, 20_000);
		running.child.kill('SIGINT');
		expect(await running.exited).toEqual({ code: 0, signal: null });
		const results = JSON.parse(/results (\{.*\})/.exec(running.stdout())?.[1] ?? '{}');
		expect(results).toMatchObject({ dataDir: 'ok', approvedDir: 'ok' });
		expect(results.outsideDir).toMatch(/^(EROFS|EACCES|EPERM)$/);
		expect(results.readDatabase).toMatch(/^(ENOENT|EACCES|EPERM)$/);
		expect(results.tcp).not.toBe('ok');
		// No network approval: bwrap runs without a network at all, no proxy is set up.
		expect(results.proxy).toBe('no proxy');
		expect(readdirSync(outside)).toEqual([]);
		expect(readFileSync(join(approved, 'out.txt'), 'utf8')).toBe('x');
		expect(runCli(temp.home, ['agents', 'logs', 'probe']).stdout).toMatch(/results/);
	});

	it('with a network approval, goes through the filtering proxy: other hosts are refused', async () => {
		const db = join(temp.home, 'agentspace.db');
		install(
			'probe',
			['probe.mjs', approved, outside, db, String(port)],
			[`filesystem:write:${approved}`, 'network:egress:example.com'],
		);
		const running = spawnCli(temp.home, ['agents', 'run', 'probe', '--foreground']);
		await running.waitForStdout(/results \{.*\}/, 20_000);
		running.child.kill('SIGINT');
		expect(await running.exited).toEqual({ code: 0, signal: null });
		const results = JSON.parse(/results (\{.*\})/.exec(running.stdout())?.[1] ?? '{}');
		expect(results).toMatchObject({ dataDir: 'ok', approvedDir: 'ok' });
		expect(results.outsideDir).toMatch(/^(EROFS|EACCES|EPERM)$/);
		expect(results.tcp).not.toBe('ok');
		expect(results.proxy).toBe('status 403');
	});

	it('under the daemon, two network-approved agents running at once each reach only their own approved host', async () => {
		// An agent that asks the proxy for each URL it is given, then idles.
		const fetcher = `
import { request } from 'node:http';
const get = (target) => new Promise((resolve) => {
	const url = new URL(process.env.HTTP_PROXY);
	const auth = decodeURIComponent(url.username) + ':' + decodeURIComponent(url.password);
	const req = request({ host: url.hostname, port: url.port, path: target, agent: false,
		headers: { host: new URL(target).host, 'proxy-authorization': 'Basic ' + Buffer.from(auth).toString('base64') } },
		(res) => { let body = ''; res.on('data', (d) => (body += d)); res.on('end', () => resolve(res.statusCode + ' ' + body)); });
	req.on('error', (error) => resolve(error.code));
	req.end();
});
const results = {};
for (const target of process.argv.slice(2)) results[target] = await get(target);
console.log('fetched ' + JSON.stringify(results));
setInterval(() => {}, 60_000);
`;
		const servers = await Promise.all(
			['from A', 'from B'].map(
				(body) =>
					new Promise<ReturnType<typeof createHttpServer>>((resolve) => {
						const http = createHttpServer((_req, res) => res.end(body));
						http.listen(0, '127.0.0.1', () => resolve(http));
					}),
			),
		);
		try {
			const [portA, portB] = servers.map((http) => (http.address() as { port: number }).port);
			const urls = [`http://127.0.0.1:${portA}/`, `http://127.0.0.1:${portB}/`];
			for (const [id, own] of [
				['fetch-a', portA],
				['fetch-b', portB],
			] as const) {
				repo.commit({
					'fetch.mjs': fetcher,
					'agentspace.agent.json': {
						id,
						name: id,
						version: '1.0.0',
						entrypoint: { command: 'node', args: ['fetch.mjs', ...urls] },
						permissions: [`network:egress:127.0.0.1:${own}`],
					},
				});
				expect(runCli(temp.home, ['agents', 'install', repo.url]).status).toBe(0);
				expect(runCli(temp.home, ['agents', 'enable', id, '--all']).status).toBe(0);
			}
			for (const id of ['fetch-a', 'fetch-b']) {
				expect(runCli(temp.home, ['agents', 'run', id]).status).toBe(0);
			}
			const fetched = async (id: string) => {
				const deadline = Date.now() + 20_000;
				for (;;) {
					const match = /fetched (\{.*\})/.exec(runCli(temp.home, ['agents', 'logs', id]).stdout);
					if (match !== null) return JSON.parse(match[1] as string) as Record<string, string>;
					if (Date.now() > deadline) throw new Error(`${id} fetched nothing`);
					await new Promise((resolve) => setTimeout(resolve, 200));
				}
			};
			const a = await fetched('fetch-a');
			const b = await fetched('fetch-b');
			expect(a[urls[0] as string]).toBe('200 from A');
			expect(a[urls[1] as string]).toMatch(/^403/);
			expect(b[urls[1] as string]).toBe('200 from B');
			expect(b[urls[0] as string]).toMatch(/^403/);
			expect(runCli(temp.home, ['agents', 'stop', '--all']).status).toBe(0);
		} finally {
			for (const http of servers) http.close();
		}
	});

	it('keeps the log bounded (100 MB of output, at most 6 × 10 MB on disk)', async () => {
		install('flood', [
			'-e',
			"const line = 'x'.repeat(99) + '\\n'; const chunk = line.repeat(10486); for (let i = 0; i < 100; i++) process.stdout.write(chunk); console.log('flood done'); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 60000);",
		]);
		const run = runCliJson<{ runId: string }>(temp.home, ['agents', 'run', 'flood']);
		expect(run.status).toBe(0);
		const logs = join(temp.home, 'logs', 'flood');
		const deadline = Date.now() + 50_000;
		while (
			!runCli(temp.home, ['agents', 'logs', 'flood', '-n', '1']).stdout.includes('flood done')
		) {
			if (Date.now() > deadline) throw new Error('the flood did not finish in time');
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		expect(runCli(temp.home, ['agents', 'stop', 'flood']).status).toBe(0);
		const files = readdirSync(logs).filter((name) => name.startsWith(run.json.runId));
		const total = files.reduce((sum, name) => sum + statSync(join(logs, name)).size, 0);
		expect(files.length).toBeLessThanOrEqual(6);
		expect(total).toBeLessThanOrEqual(6 * 10 * 1024 * 1024);
		expect(total).toBeGreaterThan(40 * 1024 * 1024);
	}, 90_000);

	it('kills a stubborn agent after the stop timeout, and records the signal', async () => {
		install('stubborn', [
			'-e',
			"process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 60000);",
		]);
		const run = runCliJson<{ pid: number }>(temp.home, ['agents', 'run', 'stubborn']);
		expect(run.status).toBe(0);
		const deadline = Date.now() + 15_000;
		while (!runCli(temp.home, ['agents', 'logs', 'stubborn']).stdout.includes('ready')) {
			if (Date.now() > deadline) throw new Error('the agent did not start');
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const started = Date.now();
		const stop = runCliJson<{ stopped: { exit: { signal: string | null; killed: boolean } }[] }>(
			temp.home,
			['agents', 'stop', 'stubborn', '--timeout', '1'],
		);
		expect(stop.status).toBe(0);
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(stop.json.stopped[0]?.exit).toMatchObject({ signal: 'SIGKILL', killed: true });
		expect(isProcessAlive(run.json.pid)).toBe(false);
		expect(runCli(temp.home, ['agents', 'logs', 'stubborn']).stdout).toMatch(/ignoring SIGTERM/);
	}, 40_000);
});
