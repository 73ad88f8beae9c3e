// Network-approved runs as the supervisor starts them: bwrap directly, the
// sandbox's socat bridges to a door of the run's own into this process's
// filtering proxy (runProxy), no Node sandbox host. The compiled planner is
// used (run `pnpm build` first). Real bubblewrap, real sockets, real HTTP.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempHome, sandboxTestGate, type TempHome } from '@agentspace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { type AgentProcess, startAgentProcess } from '../launcher/startAgentProcess.js';
import { RotatingLog } from '../logs/rotatingLog.js';
import {
	allowlistDecision,
	openRunProxy,
	RUN_PROXY_MAX_CONNECTIONS,
	RUN_PROXY_MAX_LOOKUPS,
	runProxyLookupsWaiting,
} from './runProxy.js';
import * as library from './runProxyLibrary.js';
import { type SandboxedStart, sandboxedStart } from './sandboxedStart.js';
import { type SandboxPolicy, sandboxPolicyFor } from './sandboxPolicy.js';
import { sandboxReadiness } from './sandboxReadiness.js';

const HOST = fileURLToPath(new URL('../../dist/sandbox/sandboxHostMain.js', import.meta.url));
const skip = !sandboxTestGate(sandboxReadiness(), { file: import.meta.url }).run;

// An agent that waits for a file before and after its requests (so that two
// runs are both running while either makes them), one line per step.
const PROBE = `
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
const say = (line) => process.stdout.write(line + '\\n');
for (const step of process.argv.slice(2)) {
	const [kind, ...more] = step.split(':');
	const arg = more.join(':');
	if (kind === 'wait') {
		say('waiting ' + arg);
		while (!existsSync(arg)) await new Promise((r) => setTimeout(r, 20));
	} else if (kind === 'unix') {
		say('unix: ' + await new Promise((done) => {
			const server = createServer();
			server.once('error', (e) => done(e.code));
			server.listen(arg, () => { server.close(); done('ok'); });
		}));
	} else if (kind === 'http' || kind === 'badauth') {
		const proxy = new URL(process.env.HTTP_PROXY);
		const password = kind === 'http' ? decodeURIComponent(proxy.password) : 'not-the-token';
		const auth = decodeURIComponent(proxy.username) + ':' + password;
		const result = await new Promise((done) => {
			const req = request({ host: proxy.hostname, port: proxy.port, path: arg, headers: {
				host: new URL(arg).host, 'proxy-authorization': 'Basic ' + Buffer.from(auth).toString('base64'),
			} }, (res) => { let body = ''; res.on('data', (d) => (body += d)); res.on('end', () => done(res.statusCode + ' ' + body.trim())); });
			req.on('error', (e) => done(e.code));
			req.end();
		});
		say(kind + ' ' + arg + ': ' + result);
	}
}
`;

let temp: TempHome;
let probe: string;
let flags: string;
const servers: Server[] = [];
const ports: number[] = [];
const started: AgentProcess[] = [];
let logCount = 0;

function listen(body: string): Promise<Server> {
	return new Promise((resolve) => {
		const server = createServer((_req, res) => res.end(body));
		server.listen(0, '127.0.0.1', () => resolve(server));
	});
}

function policyFor(id: string, port: number): SandboxPolicy {
	const agentHome = join(temp.home, 'agentspace');
	const paths = agentPaths(agentHome, id);
	mkdirSync(paths.src, { recursive: true });
	mkdirSync(join(paths.data, 'tmp'), { recursive: true });
	return sandboxPolicyFor({
		agentHome,
		userHome: join(temp.home, 'user'),
		paths,
		installPath: paths.src,
		runId: `run-${id}`,
		approved: [{ domain: 'network', action: 'egress', host: '127.0.0.1', port }],
	});
}

async function startRun(policy: SandboxPolicy, steps: readonly string[]) {
	const env = { PATH: process.env.PATH, HOME: join(policy.dataDir, 'home') };
	const how = await sandboxedStart({
		hostScript: HOST,
		policy,
		command: process.execPath,
		args: [probe, ...steps],
		env,
	});
	const logPath = join(temp.home, 'logs', `run-${++logCount}.log`);
	const agent = await startAgentProcess({
		command: how.command,
		args: how.args,
		cwd: policy.cwd,
		env,
		log: new RotatingLog(logPath),
		terminate: how.terminate,
		...(how.fd3 === undefined ? {} : { fd3: how.fd3 }),
		onExit: how.release,
	});
	started.push(agent);
	const log = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
	return { how, agent, log };
}

async function until(check: () => boolean, what: () => string, timeoutMs = 10_000) {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error(`timed out: ${what()}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}

/** The run's proxy socket and secret, as its bwrap arguments hold them. */
function doorOf(how: SandboxedStart): { socketPath: string; token: string } {
	const bind = how.args.indexOf('--bind', how.args.indexOf('--unshare-net'));
	const proxyVar = how.args.findIndex(
		(arg, i) => arg === 'HTTP_PROXY' && how.args[i - 1] === '--setenv',
	);
	return {
		socketPath: how.args[bind + 1] as string,
		token: decodeURIComponent(new URL(how.args[proxyVar + 1] as string).password),
	};
}

/** A plain HTTP request through a run's proxy socket, from outside any sandbox. */
function viaDoor(door: { socketPath: string; token: string }, url: string): Promise<string> {
	return new Promise((done) => {
		const req = request(
			{
				socketPath: door.socketPath,
				// A fresh connection each time: not one kept alive from before.
				agent: false,
				path: url,
				headers: {
					host: new URL(url).host,
					'proxy-authorization': `Basic ${Buffer.from(`srt:${door.token}`).toString('base64')}`,
				},
			},
			(res) => {
				let body = '';
				res.on('data', (chunk) => {
					body += chunk;
				});
				res.on('end', () => done(`${res.statusCode} ${body.trim()}`));
			},
		);
		req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
		req.end();
	});
}

/** Reads exactly `count` bytes from `socket` (undefined if it closes first). */
function readBytes(socket: Socket, count: number): Promise<Buffer | undefined> {
	return new Promise((resolve) => {
		let got = Buffer.alloc(0);
		const onData = (chunk: Buffer) => {
			got = Buffer.concat([got, chunk]);
			if (got.length >= count) {
				socket.off('data', onData);
				socket.pause();
				const rest = got.subarray(count);
				if (rest.length > 0) socket.unshift(rest);
				resolve(got.subarray(0, count));
			}
		};
		socket.on('data', onData);
		socket.once('close', () => resolve(undefined));
		socket.once('error', () => resolve(undefined));
		socket.resume();
	});
}

/**
 * A SOCKS5 CONNECT to 127.0.0.1:`port` through a door, with user `srt` and
 * `password`: `auth refused`, or the reply code (0 granted, 2 not allowed).
 */
async function socksConnect(socketPath: string, password: string, port: number): Promise<string> {
	const socket = connect(socketPath);
	socket.on('error', () => {});
	try {
		socket.write(Buffer.from([5, 1, 2]));
		const method = await readBytes(socket, 2);
		if (method?.[1] !== 2) return `method ${method?.[1]}`;
		const user = Buffer.from('srt');
		const pass = Buffer.from(password);
		socket.write(
			Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([pass.length]), pass]),
		);
		const auth = await readBytes(socket, 2);
		if (auth?.[1] !== 0) return 'auth refused';
		socket.write(Buffer.from([5, 1, 0, 1, 127, 0, 0, 1, port >> 8, port & 0xff]));
		const reply = await readBytes(socket, 2);
		return reply === undefined ? 'closed' : `reply ${reply[1]}`;
	} finally {
		socket.destroy();
	}
}

/** Whether a connection to `socketPath` is served: it answers a request line, or is closed unanswered. */
function served(socketPath: string): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(socketPath);
		socket.once('data', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('close', () => resolve(false));
		socket.once('error', () => resolve(false));
		socket.write('GET http://127.0.0.1:1/ HTTP/1.1\r\nhost: 127.0.0.1:1\r\n\r\n');
	});
}

/** The program names of `pid` and every process below it. */
function programsBelow(pid: number): string[] {
	const table = readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.flatMap((name) => {
			try {
				const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
				const close = stat.lastIndexOf(')');
				return [
					{
						pid: Number(name),
						ppid: Number(stat.slice(close + 2).split(' ')[1]),
						// Its argv[0], not its name (comm), which Node 24 sets to `MainThread`.
						program: basename(readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0')[0] ?? ''),
					},
				];
			} catch {
				return [];
			}
		});
	const found = table.filter((proc) => proc.pid === pid);
	for (let i = 0; i < found.length; i++) {
		for (const proc of table) if (proc.ppid === found[i]?.pid) found.push(proc);
	}
	return found.map((proc) => proc.program);
}

describe('allowlistDecision (the library’s matching, per run)', () => {
	const decide = (hosts: string[], host: string, port: number) =>
		allowlistDecision(library, hosts, host, port);
	it('matches host, host:port, *.domain[:port] and [v6]:port as approved', () => {
		expect(decide(['example.com'], 'example.com', 443)).toBe(true);
		expect(decide(['example.com'], 'EXAMPLE.com.', 80)).toBe(true);
		expect(decide(['example.com'], 'api.example.com', 443)).toBe(false);
		expect(decide(['example.com:8443'], 'example.com', 8443)).toBe(true);
		expect(decide(['example.com:8443'], 'example.com', 443)).toBe(false);
		expect(decide(['*.example.com'], 'api.example.com', 443)).toBe(true);
		expect(decide(['*.example.com'], 'example.com', 443)).toBe(false);
		expect(decide(['*.example.com:8080'], 'a.example.com', 8081)).toBe(false);
		expect(decide(['[::1]:8080'], '[::1]', 8080)).toBe(true);
		expect(decide(['[::1]:8080'], '::1', 8081)).toBe(false);
		expect(decide(['127.0.0.1:80'], '2130706433', 80)).toBe(true);
		expect(decide([], 'example.com', 443)).toBe(false);
		expect(decide(['example.com'], 'evil.com\u0000.example.com', 443)).toBe(false);
	});
});

describe('openRunProxy (the supervisor’s door for one run)', () => {
	const opened: { close(): void }[] = [];
	afterAll(() => {
		for (const door of opened) door.close();
	});

	it('decides SOCKS5 per run too: its secret only, its allowlist only', async () => {
		const [portA, portB] = [40001, 40002];
		const a = await openRunProxy([`127.0.0.1:${portA}`]);
		const b = await openRunProxy([`127.0.0.1:${portB}`]);
		opened.push(a, b);
		// 2: not allowed by the ruleset. A granted connect is not needed to tell:
		// refusal comes before any dial.
		expect(await socksConnect(a.socketPath, a.token, portB)).toBe('reply 2');
		expect(await socksConnect(b.socketPath, b.token, portA)).toBe('reply 2');
		expect(await socksConnect(a.socketPath, b.token, portA)).toBe('auth refused');
		expect(await socksConnect(b.socketPath, a.token, portB)).toBe('auth refused');
		a.close();
		expect(existsSync(a.socketPath)).toBe(false);
		// Still there for the run that has not ended.
		expect(await socksConnect(b.socketPath, b.token, portA)).toBe('reply 2');
	});

	it('tunnels CONNECT (HTTPS) to an approved host:port only, with the run’s secret', async () => {
		const echo = createNetServer((socket) => socket.pipe(socket));
		await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
		const port = (echo.address() as AddressInfo).port;
		const door = await openRunProxy([`127.0.0.1:${port}`]);
		opened.push(door);
		const tunnel = (target: string, token: string) =>
			new Promise<string>((resolve) => {
				const socket = connect(door.socketPath);
				let got = '';
				socket.on('data', (chunk) => {
					got += chunk;
					if (got.startsWith('HTTP/1.1 200') && got.includes('\r\n\r\n') && !got.includes('ping')) {
						socket.write('ping');
					}
					if (got.includes('ping') || /^HTTP\/1\.1 [45]/.test(got)) socket.destroy();
				});
				socket.on('close', () =>
					resolve(got.split('\r\n')[0] + (got.endsWith('ping') ? ' ping' : '')),
				);
				socket.on('error', () => {});
				socket.write(
					`CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\nproxy-authorization: Basic ${Buffer.from(`srt:${token}`).toString('base64')}\r\n\r\n`,
				);
			});
		try {
			// Only its supervisor's user may even look in its directory.
			expect(statSync(dirname(door.socketPath)).mode & 0o777).toBe(0o700);
			expect(await tunnel(`127.0.0.1:${port}`, door.token)).toMatch(/^HTTP\/1\.1 200 .* ping$/);
			expect(await tunnel(`127.0.0.1:${port + 1}`, door.token)).toMatch(/^HTTP\/1\.1 403/);
			expect(await tunnel(`127.0.0.1:${port}`, 'not-the-token')).toMatch(/^HTTP\/1\.1 407/);
		} finally {
			echo.close();
		}
	});

	it('cuts a run’s open tunnels when its door closes', async () => {
		const echo = createNetServer((socket) => socket.pipe(socket));
		await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
		const port = (echo.address() as AddressInfo).port;
		const door = await openRunProxy([`127.0.0.1:${port}`]);
		opened.push(door);
		try {
			const socket = connect(door.socketPath);
			socket.on('error', () => {});
			const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
			const established = new Promise<void>((resolve) =>
				socket.once('data', (chunk) => {
					expect(String(chunk)).toMatch(/^HTTP\/1\.1 200/);
					resolve();
				}),
			);
			socket.write(
				`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nproxy-authorization: Basic ${Buffer.from(`srt:${door.token}`).toString('base64')}\r\n\r\n`,
			);
			await established;
			door.close();
			await closed;
			expect(socket.destroyed).toBe(true);
		} finally {
			echo.close();
		}
	});

	it('has at most RUN_PROXY_MAX_LOOKUPS name lookups of a run in flight; the others wait their turn', async () => {
		let inFlight = 0;
		let most = 0;
		let calls = 0;
		const held: (() => void)[] = [];
		const door = await openRunProxy(['*.example.com'], {
			resolve: (_hostname, _options, callback) => {
				calls++;
				inFlight++;
				most = Math.max(most, inFlight);
				held.push(() => {
					inFlight--;
					// A loopback address for a public name: the library's guard refuses it.
					callback(null, [{ address: '127.0.0.1', family: 4 }]);
				});
			},
		});
		opened.push(door);
		const names = Array.from({ length: 6 }, (_, i) => `n${i}.example.com:443`);
		const answers = names.map(
			(target) =>
				new Promise<string>((resolve) => {
					const socket = connect(door.socketPath);
					let got = '';
					socket.on('data', (chunk) => {
						got += chunk;
					});
					socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
					socket.on('error', () => {});
					socket.write(
						`CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\nproxy-authorization: Basic ${Buffer.from(`srt:${door.token}`).toString('base64')}\r\n\r\n`,
					);
				}),
		);
		await until(
			() => inFlight === RUN_PROXY_MAX_LOOKUPS,
			() => `in flight ${inFlight}`,
		);
		// Each answer lets the next waiting lookup start, never more at once.
		while (calls < names.length || held.length > 0) {
			await until(
				() => held.length > 0,
				() => `calls ${calls}`,
			);
			(held.shift() as () => void)();
		}
		for (const answer of await Promise.all(answers)) expect(answer).toMatch(/^HTTP\/1\.1 [45]\d\d/);
		expect(calls).toBe(names.length);
		expect(most).toBe(RUN_PROXY_MAX_LOOKUPS);
	});

	it('has at most RUN_PROXY_MAX_LOOKUPS name lookups in flight across all runs, served in turn', async () => {
		let inFlight = 0;
		let most = 0;
		const started: string[] = [];
		const held: (() => void)[] = [];
		const resolver = (run: string): Parameters<typeof openRunProxy>[1] & object => ({
			resolve: (hostname, _options, callback) => {
				started.push(`${run} ${hostname}`);
				inFlight++;
				most = Math.max(most, inFlight);
				held.push(() => {
					inFlight--;
					callback(null, [{ address: '127.0.0.1', family: 4 }]);
				});
			},
		});
		const a = await openRunProxy(['*.example.com'], resolver('a'));
		const b = await openRunProxy(['*.example.com'], resolver('b'));
		opened.push(a, b);
		const ask = (door: { socketPath: string; token: string }, target: string) =>
			new Promise<string>((resolve) => {
				const socket = connect(door.socketPath);
				let got = '';
				socket.on('data', (chunk) => {
					got += chunk;
				});
				socket.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
				socket.on('error', () => {});
				socket.write(
					`CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\nproxy-authorization: Basic ${Buffer.from(`srt:${door.token}`).toString('base64')}\r\n\r\n`,
				);
			});
		// Run a asks for 4 names first; once 2 are in flight, run b asks for 2.
		const answers = [0, 1, 2, 3].map((i) => ask(a, `a${i}.example.com:443`));
		await until(
			() => inFlight === RUN_PROXY_MAX_LOOKUPS,
			() => `in flight ${inFlight}`,
		);
		answers.push(ask(b, 'b0.example.com:443'), ask(b, 'b1.example.com:443'));
		// b's lookups wait too: the limit is the process's, not each run's.
		await until(
			() => runProxyLookupsWaiting() === 4,
			() => `in flight ${inFlight}, waiting ${runProxyLookupsWaiting()}`,
		);
		expect(inFlight).toBe(RUN_PROXY_MAX_LOOKUPS);
		while (started.length < 6 || held.length > 0) {
			await until(
				() => held.length > 0,
				() => `started ${started.join(', ')}`,
			);
			(held.shift() as () => void)();
		}
		for (const answer of await Promise.all(answers)) expect(answer).toMatch(/^HTTP\/1\.1 [45]\d\d/);
		expect(most).toBe(RUN_PROXY_MAX_LOOKUPS);
		// b's first lookup went before a's last two: the runs take turns.
		expect(started.indexOf('b b0.example.com')).toBeLessThan(started.indexOf('a a3.example.com'));
	});

	it('closes a connection whose request head is not whole in time, and an idle tunnel', async () => {
		const echo = createNetServer((socket) => socket.pipe(socket));
		await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
		const port = (echo.address() as AddressInfo).port;
		const door = await openRunProxy([`127.0.0.1:${port}`], {
			headersTimeoutMs: 300,
			idleTimeoutMs: 1000,
		});
		opened.push(door);
		/** 'closed' once `socket` closes, 'still open' if it has not 8 s later. */
		const closing = (socket: Socket) =>
			new Promise<string>((resolve) => {
				socket.once('close', () => resolve('closed'));
				setTimeout(() => resolve('still open'), 8000).unref();
			});
		try {
			// Half a request head, then nothing more (it keeps the idle timer from firing alone).
			const slow = connect(door.socketPath);
			slow.on('error', () => {});
			const slowClosed = closing(slow);
			slow.write('GET http://127.0.0.1:1/ HTTP/1.1\r\nhost: 127.0.0.1:1\r\n');
			const drip = setInterval(() => slow.write('x-drip: 1\r\n'), 100);
			expect(await slowClosed).toBe('closed');
			clearInterval(drip);

			// A tunnel is kept while bytes flow, closed once idle.
			const tunnel = connect(door.socketPath);
			tunnel.on('error', () => {});
			let got = '';
			tunnel.on('data', (chunk) => {
				got += chunk;
			});
			const tunnelClosed = closing(tunnel);
			tunnel.write(
				`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nproxy-authorization: Basic ${Buffer.from(`srt:${door.token}`).toString('base64')}\r\n\r\n`,
			);
			await until(
				() => got.startsWith('HTTP/1.1 200'),
				() => got,
			);
			for (let i = 0; i < 25; i++) {
				tunnel.write('.');
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			expect(tunnel.destroyed).toBe(false);
			expect(got.endsWith('.'.repeat(20))).toBe(true);
			expect(await tunnelClosed).toBe('closed');
		} finally {
			echo.close();
		}
	});

	it('survives malformed input on a door: the supervisor’s process is not disturbed', async () => {
		const door = await openRunProxy(['127.0.0.1:1']);
		opened.push(door);
		const payloads = [
			Buffer.from('\r\n\r\n'),
			Buffer.from(`GET / HTTP/1.1\r\n${'x: y\r\n'.repeat(20_000)}\r\n`),
			Buffer.from('CONNECT :0 HTTP/1.1\r\n\r\n'),
			Buffer.from([5, 255, ...Array.from({ length: 255 }, (_, i) => i)]),
			Buffer.from([5, 1, 2, 1, 0, 0]),
			Buffer.from([4, 1, 0, 80, 127, 0, 0, 1, 0]),
			Buffer.from([0x16, 3, 1, 0, 5, 1, 2, 3]),
			Buffer.alloc(0),
		];
		await Promise.all(
			payloads.map(
				(payload) =>
					new Promise<void>((resolve) => {
						const socket = connect(door.socketPath);
						socket.on('error', () => {});
						socket.on('close', () => resolve());
						socket.on('data', () => {});
						socket.end(payload);
						setTimeout(() => socket.destroy(), 2000).unref();
					}),
			),
		);
		expect(await served(door.socketPath)).toBe(true);
	});

	it('serves at most RUN_PROXY_MAX_CONNECTIONS connections of a run at once; other runs are not affected', async () => {
		const a = await openRunProxy(['127.0.0.1:1']);
		const b = await openRunProxy(['127.0.0.1:1']);
		opened.push(a, b);
		const held: Socket[] = [];
		for (let i = 0; i < RUN_PROXY_MAX_CONNECTIONS; i++) {
			const socket = connect(a.socketPath);
			socket.on('error', () => {});
			held.push(socket);
			await new Promise((resolve) => socket.once('connect', resolve));
		}
		try {
			expect(await served(a.socketPath)).toBe(false);
			expect(await served(b.socketPath)).toBe(true);
			// One closed: room for another, once the proxy has seen it close.
			held.pop()?.destroy();
			let again = false;
			for (let i = 0; i < 100 && !again; i++) again = await served(a.socketPath);
			expect(again).toBe(true);
		} finally {
			for (const socket of held) socket.destroy();
		}
	});
});

describe.skipIf(skip)('network-approved runs through the supervisor’s proxy', () => {
	beforeAll(async () => {
		temp = createTempHome('run-proxy');
		for (const dir of ['tools', 'logs', 'flags', 'user']) {
			mkdirSync(join(temp.home, dir), { recursive: true });
		}
		probe = join(temp.home, 'tools', 'probe.mjs');
		writeFileSync(probe, PROBE);
		flags = join(temp.home, 'flags');
		for (const body of ['hello from A', 'hello from B']) {
			const server = await listen(body);
			servers.push(server);
			ports.push((server.address() as AddressInfo).port);
		}
	});

	afterAll(async () => {
		await Promise.all(started.map((agent) => agent.stop(100)));
		for (const server of servers) server.close();
		temp?.cleanup();
	});

	it('two concurrent runs with different allowlists each reach only their own; a run’s door closes when it ends', async () => {
		const [portA, portB] = ports as [number, number];
		const urlA = `http://127.0.0.1:${portA}/`;
		const urlB = `http://127.0.0.1:${portB}/`;
		const go = join(flags, 'go');
		const endA = join(flags, 'end-a');
		const endB = join(flags, 'end-b');
		const steps = (end: string) => [
			`wait:${go}`,
			`http:${urlA}`,
			`http:${urlB}`,
			'http:http://not-approved.invalid/',
			`badauth:${urlA}`,
			`badauth:${urlB}`,
			`unix:${join(flags, 'agent.sock')}`,
			`wait:${end}`,
		];
		const a = await startRun(policyFor('a', portA), steps(endA));
		const b = await startRun(policyFor('b', portB), steps(endB));
		for (const run of [a, b]) {
			expect(run.how.kind).toBe('direct');
			expect(run.how.terminate).toBe('sandbox-nested');
		}
		// Both running before either asks anything.
		await until(
			() => a.log().includes(`waiting ${go}`) && b.log().includes(`waiting ${go}`),
			() => a.log() + b.log(),
		);
		writeFileSync(go, '');
		await until(
			() => a.log().includes(`waiting ${endA}`) && b.log().includes(`waiting ${endB}`),
			() => a.log() + b.log(),
		);
		expect(a.log()).toContain(`http ${urlA}: 200 hello from A`);
		expect(a.log()).toMatch(new RegExp(`http ${urlB}: 403`));
		expect(b.log()).toContain(`http ${urlB}: 200 hello from B`);
		expect(b.log()).toMatch(new RegExp(`http ${urlA}: 403`));
		for (const run of [a, b]) {
			expect(run.log()).toMatch(/http http:\/\/not-approved\.invalid\/: 403/);
			// Wrong credentials are refused before any allowlist is asked.
			expect(run.log()).toMatch(new RegExp(`badauth ${urlA}: 407`));
			expect(run.log()).toMatch(new RegExp(`badauth ${urlB}: 407`));
			// The bridges may use a Unix socket, the agent may not (the seccomp
			// helper filters it, as in the library's own sandbox).
			expect(run.log()).toMatch(/unix: (EPERM|EACCES)/);
		}
		// No Node sandbox host and no host-side bridges: bwrap, its shell, the
		// two in-sandbox bridges, the seccomp helper, the agent.
		const programs = programsBelow(a.agent.pid);
		expect(programs.filter((name) => name === 'node')).toHaveLength(1);
		// (A socat bridge forks one child per open connection.)
		expect(new Set(programs)).toEqual(new Set(['bwrap', 'sh', 'socat', 'apply-seccomp', 'node']));

		// Each door answers its own run's secret only, with its own allowlist.
		const doorA = doorOf(a.how);
		const doorB = doorOf(b.how);
		expect(doorA.socketPath).not.toBe(doorB.socketPath);
		expect(doorA.token).not.toBe(doorB.token);
		expect(await viaDoor(doorA, urlA)).toBe('200 hello from A');
		expect(await viaDoor(doorA, urlB)).toMatch(/^403/);
		expect(await viaDoor({ ...doorA, token: doorB.token }, urlA)).toMatch(/^407/);
		expect(await viaDoor({ ...doorB, token: doorA.token }, urlB)).toMatch(/^407/);

		// A ends: its door is gone, B's still works.
		writeFileSync(endA, '');
		const exitA = await a.agent.exited;
		expect(exitA.exitCode, a.log()).toBe(0);
		expect(existsSync(doorA.socketPath)).toBe(false);
		expect(await viaDoor(doorA, urlA)).toMatch(/^(ENOENT|ECONNREFUSED)$/);
		expect(await viaDoor(doorB, urlB)).toBe('200 hello from B');
		writeFileSync(endB, '');
		expect((await b.agent.exited).exitCode, b.log()).toBe(0);
		expect(await viaDoor(doorB, urlB)).toMatch(/^(ENOENT|ECONNREFUSED)$/);
	});

	it('a stop reaches the agent inside the seccomp helper’s namespace, and nothing of the run stays', async () => {
		const run = await startRun(policyFor('c', ports[0] as number), [
			`wait:${join(flags, 'never')}`,
		]);
		await until(
			() => run.log().includes('waiting'),
			() => run.log(),
		);
		const door = doorOf(run.how);
		const exit = await run.agent.stop(5000);
		// The agent got the SIGTERM (not the SIGKILL after the grace period).
		expect(exit.killed).toBe(false);
		expect(exit.stopped).toBe(true);
		expect(programsBelow(run.agent.pid)).toEqual([]);
		expect(existsSync(door.socketPath)).toBe(false);
	});
});
