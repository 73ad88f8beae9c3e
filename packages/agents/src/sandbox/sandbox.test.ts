// The sandbox end to end: the compiled host (run `pnpm build` first; turbo's
// test task does) runs real agents under bubblewrap. Slow-ish: ~0.4 s per run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	createTempHome,
	FIXTURE_RUN_AGENT,
	sandboxTestGate,
	type TempHome,
} from '@agentspace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentPaths, agentPaths } from '../agentPaths.js';
import type { Permission } from '../permissions/types.js';
import { sandboxedCommand } from './sandboxedCommand.js';
import { type SandboxPolicy, sandboxPolicyFor } from './sandboxPolicy.js';
import { sandboxReadiness } from './sandboxReadiness.js';

const HOST = fileURLToPath(new URL('../../dist/sandbox/sandboxHostMain.js', import.meta.url));
// CI installs the sandbox's tools (.ci/run): there a missing one is a failure, never a skip.
const skip = !sandboxTestGate(sandboxReadiness(), { file: import.meta.url }).run;

// An agent that does what its arguments say, one line of output per step.
const PROBE = `
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
const say = (line) => process.stdout.write(line + '\\n');
const [mode, ...rest] = process.argv.slice(2);
if (mode === 'argv') { say('argv ' + JSON.stringify(rest)); process.exit(0); }
for (const step of [mode, ...rest]) {
	const [kind, ...more] = step.split(':');
	const arg = more.join(':');
	if (kind === 'read') {
		try { say('read ' + arg + ': ok ' + readFileSync(arg, 'utf8').trim()); } catch (e) { say('read ' + arg + ': ' + e.code); }
	} else if (kind === 'write') {
		try { writeFileSync(arg, 'written in the sandbox'); say('write ' + arg + ': ok'); } catch (e) { say('write ' + arg + ': ' + e.code); }
	} else if (kind === 'connect') {
		const [host, port] = arg.split(':');
		const result = await new Promise((done) => {
			const socket = connect({ host, port: Number(port), timeout: 3000 });
			socket.once('connect', () => { socket.destroy(); done('ok'); });
			socket.once('timeout', () => { socket.destroy(); done('ETIMEDOUT'); });
			socket.once('error', (e) => done(e.code));
		});
		say('connect ' + arg + ': ' + result);
	} else if (kind === 'http') {
		// Through the proxy the sandbox sets, as curl or npm would.
		const proxy = new URL(process.env.HTTP_PROXY);
		const auth = decodeURIComponent(proxy.username) + ':' + decodeURIComponent(proxy.password);
		const result = await new Promise((done) => {
			const req = request({ host: proxy.hostname, port: proxy.port, path: arg, headers: {
				host: new URL(arg).host, 'proxy-authorization': 'Basic ' + Buffer.from(auth).toString('base64'),
			} }, (res) => { let body = ''; res.on('data', (d) => (body += d)); res.on('end', () => done(res.statusCode + ' ' + body.trim())); });
			req.on('error', (e) => done(e.code));
			req.end();
		});
		say('http ' + arg + ': ' + result);
	} else if (kind === 'env') {
		say('env ' + JSON.stringify(process.env));
	} else if (kind === 'exit') {
		process.exit(Number(arg));
	}
}
`;

interface Run {
	readonly child: ChildProcess;
	readonly stdout: () => string;
	readonly stderr: () => string;
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	waitFor(text: string, timeoutMs?: number): Promise<void>;
}

let temp: TempHome;
let userHome: string;
let agentHome: string;
let paths: AgentPaths;
let outside: string;
let approvedDir: string;
let probe: string;
let policy: SandboxPolicy;
let agentEnv: NodeJS.ProcessEnv;
let approvedServer: Server;
let otherServer: Server;
let approvedPort: number;
let otherPort: number;
const running: ChildProcess[] = [];

function listen(body: string): Promise<Server> {
	return new Promise((resolve) => {
		const server = createServer((_req, res) => res.end(body));
		server.listen(0, '127.0.0.1', () => resolve(server));
	});
}

function start(
	argv: readonly string[],
	env: NodeJS.ProcessEnv = agentEnv,
	runPolicy = policy,
): Run {
	const [command = '', ...args] = argv;
	const launch = sandboxedCommand({ hostScript: HOST, policy: runPolicy, command, args });
	return startHost(launch.args, env);
}

function startHost(args: readonly string[], env: NodeJS.ProcessEnv = agentEnv): Run {
	// As the supervisor starts it: the agent's env and cwd, pipes, its own group.
	const child = spawn(process.execPath, args, {
		env,
		cwd: paths.src,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	running.push(child);
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.once('close', (code, signal) => resolve({ code, signal })),
	);
	return {
		child,
		stdout: () => stdout,
		stderr: () => stderr,
		exited,
		async waitFor(text, timeoutMs = 10_000) {
			const until = Date.now() + timeoutMs;
			while (!stdout.includes(text)) {
				if (Date.now() > until) {
					throw new Error(
						`no "${text}" within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`,
					);
				}
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		},
	};
}

async function run(argv: readonly string[], env?: NodeJS.ProcessEnv) {
	const started = start(argv, env);
	const { code, signal } = await started.exited;
	return { code, signal, stdout: started.stdout(), stderr: started.stderr() };
}

const probeRun = (...steps: string[]) => run([process.execPath, probe, ...steps]);

/** Host pids of the processes whose command line contains `text`. */
function pidsWith(text: string): number[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
		.filter((name) => {
			try {
				return readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text);
			} catch {
				return false;
			}
		})
		.map(Number);
}

/** Pids of the live (not zombie) members of process group `pgid`. */
function groupMembers(pgid: number): number[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.filter((name) => {
			try {
				const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
				const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				return Number(pgrp) === pgid && state !== 'Z';
			} catch {
				return false;
			}
		})
		.map(Number);
}

// The host drops TMPDIR for itself, so the library's scratch goes to /tmp.
// Other packages' tests may run sandboxes at the same time: only names one
// of our hosts made are looked at.
const HOST_TMP = '/tmp';
const SCRATCH = /\/tmp\/((?:claude-http|claude-socks|claude-empty)-[A-Za-z0-9]+(?:\.sock)?)/g;

/** The library's scratch in /tmp that the processes `pids` name, and the proxy sockets of host `hostPid`. */
function scratchOf(hostPid: number, pids: readonly number[]): string[] {
	const named = pids.flatMap((pid) => {
		try {
			const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			return [...cmdline.matchAll(SCRATCH)].map((match) => match[1] as string);
		} catch {
			return [];
		}
	});
	return [
		...named,
		...readdirSync(HOST_TMP).filter((name) => name.startsWith(`srt-mux-${hostPid}-`)),
	];
}

/** pid and start time of `pid` and every process below it. */
function treeOf(pid: number): string[] {
	const table = readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.flatMap((name) => {
			try {
				const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
				const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				return [{ pid: Number(name), ppid: Number(fields[1]), start: fields[19] }];
			} catch {
				return [];
			}
		});
	const found = table.filter((proc) => proc.pid === pid);
	for (let i = 0; i < found.length; i++) {
		for (const proc of table) if (proc.ppid === found[i]?.pid) found.push(proc);
	}
	return found.map((proc) => `${proc.pid} ${proc.start}`);
}

/** Which of `members` (from treeOf) still exist, in any state (a zombie included). */
function stillThere(members: readonly string[]): string[] {
	return members.filter((member) => {
		const [pid, start] = member.split(' ');
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] === start;
		} catch {
			return false;
		}
	});
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
	const until = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > until) return false;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return true;
}

describe.skipIf(skip)('the OS sandbox (bubblewrap)', () => {
	beforeAll(async () => {
		if (!existsSync(HOST)) throw new Error(`${HOST} is missing: run pnpm build first`);
		temp = createTempHome('sandbox');
		userHome = join(temp.home, 'user');
		agentHome = join(userHome, '.config', 'agentspace');
		paths = agentPaths(agentHome, 'probe');
		outside = join(temp.home, 'outside');
		approvedDir = join(temp.home, 'approved');
		for (const dir of [
			paths.src,
			join(paths.src, 'cache'),
			join(paths.data, 'home'),
			join(paths.data, 'tmp'),
			join(userHome, '.ssh'),
			join(agentHome, 'agents', 'other', 'src'),
			outside,
			approvedDir,
			join(temp.home, 'tools'),
		]) {
			mkdirSync(dir, { recursive: true });
		}
		writeFileSync(join(userHome, '.ssh', 'id_rsa'), 'PRIVATE KEY');
		writeFileSync(join(userHome, '.ssh', 'known_hosts'), 'KNOWN HOSTS');
		writeFileSync(join(userHome, 'notes.txt'), 'NOTES');
		writeFileSync(join(agentHome, 'agentspace.db'), 'DATABASE');
		writeFileSync(join(agentHome, 'agents', 'other', 'src', 'secret.txt'), 'OTHER AGENT');
		writeFileSync(join(paths.src, 'index.txt'), 'CHECKOUT');
		probe = join(temp.home, 'tools', 'probe.mjs');
		writeFileSync(probe, PROBE);
		approvedServer = await listen('hello from the approved port');
		otherServer = await listen('hello from another port');
		approvedPort = (approvedServer.address() as AddressInfo).port;
		otherPort = (otherServer.address() as AddressInfo).port;
		const approved: Permission[] = [
			{ domain: 'filesystem', action: 'write', path: approvedDir },
			// Relative paths in manifests land in the checkout: writable below a read-only directory.
			{ domain: 'filesystem', action: 'write', path: join(paths.src, 'cache') },
			{ domain: 'filesystem', action: 'read', path: join(userHome, '.ssh', 'known_hosts') },
			{ domain: 'network', action: 'egress', host: '127.0.0.1', port: approvedPort },
		];
		policy = sandboxPolicyFor({
			agentHome,
			userHome,
			paths,
			installPath: paths.src,
			runId: 'run-sandbox-test',
			approved,
		});
		agentEnv = {
			PATH: process.env.PATH,
			HOME: join(paths.data, 'home'),
			TMPDIR: join(paths.data, 'tmp'),
			AGENTSPACE_RUN_ID: 'run-sandbox-test',
		};
	});

	afterAll(() => {
		for (const child of running) {
			if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// Gone.
				}
			}
		}
		approvedServer?.close();
		otherServer?.close();
		temp?.cleanup();
	});

	it('writes only to the data directory and approved paths', async () => {
		const targets = {
			data: join(paths.data, 'out.txt'),
			approved: join(approvedDir, 'out.txt'),
			cache: join(paths.src, 'cache', 'out.txt'),
			outside: join(outside, 'out.txt'),
			userHome: join(userHome, 'out.txt'),
			checkout: join(paths.src, 'index.txt'),
			newInCheckout: join(paths.src, 'new.txt'),
			hook: join(paths.data, '.git', 'hooks', 'pre-commit'),
			database: join(agentHome, 'agentspace.db'),
		};
		const result = await probeRun(...Object.values(targets).map((path) => `write:${path}`));
		expect(result.code, result.stderr).toBe(0);
		for (const ok of [targets.data, targets.approved, targets.cache]) {
			expect(result.stdout).toContain(`write ${ok}: ok`);
			expect(readFileSync(ok, 'utf8')).toBe('written in the sandbox');
		}
		for (const denied of [targets.outside, targets.userHome, targets.checkout]) {
			expect(result.stdout).toMatch(new RegExp(`write ${denied}: (EROFS|EACCES)`));
		}
		expect(existsSync(targets.outside)).toBe(false);
		expect(existsSync(targets.userHome)).toBe(false);
		expect(readFileSync(targets.checkout, 'utf8')).toBe('CHECKOUT');
		// The checkout lies in the hidden AgentSpace home, shown again read-only
		// entry by entry around its writable cache: a new file there lands in the
		// sandbox's scratch directory, never on the host.
		expect(existsSync(targets.newInCheckout)).toBe(false);
		expect(result.stdout).not.toContain(`write ${targets.hook}: ok`);
		expect(existsSync(targets.hook)).toBe(false);
		// The AgentSpace home is an empty scratch area inside: whatever happens there stays there.
		expect(readFileSync(targets.database, 'utf8')).toBe('DATABASE');
	});

	it('hides credential stores and the AgentSpace home, but not the agent’s checkout', async () => {
		const result = await probeRun(
			`read:${join(userHome, '.ssh', 'id_rsa')}`,
			`read:${join(userHome, '.ssh', 'known_hosts')}`,
			`read:${join(agentHome, 'agentspace.db')}`,
			`read:${join(agentHome, 'agents', 'other', 'src', 'secret.txt')}`,
			`read:${join(paths.src, 'index.txt')}`,
			`read:${join(userHome, 'notes.txt')}`,
		);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain(`read ${join(userHome, '.ssh', 'id_rsa')}: ENOENT`);
		expect(result.stdout).toContain(`read ${join(agentHome, 'agentspace.db')}: ENOENT`);
		expect(result.stdout).toContain(
			`read ${join(agentHome, 'agents', 'other', 'src', 'secret.txt')}: ENOENT`,
		);
		// Approved explicitly, inside a hidden store.
		expect(result.stdout).toContain(
			`read ${join(userHome, '.ssh', 'known_hosts')}: ok KNOWN HOSTS`,
		);
		expect(result.stdout).toContain(`read ${join(paths.src, 'index.txt')}: ok CHECKOUT`);
		expect(result.stdout).toContain(`read ${join(userHome, 'notes.txt')}: ok NOTES`);
	});

	it('lets the network reach only approved hosts and ports, through the proxy', async () => {
		const result = await probeRun(
			`connect:127.0.0.1:${approvedPort}`,
			`http:http://127.0.0.1:${approvedPort}/`,
			`http:http://127.0.0.1:${otherPort}/`,
			'http:http://not-approved.invalid/',
		);
		expect(result.code, result.stderr).toBe(0);
		// The sandbox's loopback is its own: the host's servers are not there.
		expect(result.stdout).toContain(`connect 127.0.0.1:${approvedPort}: ECONNREFUSED`);
		expect(result.stdout).toContain(
			`http http://127.0.0.1:${approvedPort}/: 200 hello from the approved port`,
		);
		expect(result.stdout).toMatch(new RegExp(`http http://127.0.0.1:${otherPort}/: 403`));
		expect(result.stdout).toMatch(/http http:\/\/not-approved\.invalid\/: 403/);
	});

	it('gives the agent exactly the environment the host was given, plus the proxy settings', async () => {
		const secret = 'AWS_SECRET_ACCESS_KEY';
		const before = process.env[secret];
		process.env[secret] = 'leaked-from-the-test-process';
		try {
			const env = { ...agentEnv, TRICKY: `it's "quoted" $HOME \`id\` ; \n second line` };
			const result = await run([process.execPath, probe, 'env'], env);
			expect(result.code, result.stderr).toBe(0);
			const line = result.stdout.split('\n').find((l) => l.startsWith('env ')) ?? 'env {}';
			const seen = JSON.parse(line.slice(4)) as Record<string, string>;
			expect(seen[secret]).toBeUndefined();
			for (const [name, value] of Object.entries(env)) expect(seen[name], name).toBe(value);
			const added = Object.keys(seen).filter((name) => !(name in env));
			const fromWrapper =
				/(_PROXY|_proxy)$|^(SANDBOX_RUNTIME|GIT_SSH_COMMAND|GIT_CONFIG_PARAMETERS|JAVA_TOOL_OPTIONS|PWD|OLDPWD)$|^(CLAUDE_CODE_HOST_|CLOUDSDK_PROXY_)/;
			expect(added.filter((name) => !fromWrapper.test(name))).toEqual([]);
			expect(seen.HTTPS_PROXY).toMatch(/^http:\/\/.+@localhost:3128$/);
		} finally {
			if (before === undefined) delete process.env[secret];
			else process.env[secret] = before;
		}
	});

	it('passes every argument through unchanged (no shell injection)', async () => {
		const nasty = [
			"it's",
			'$(touch /tmp/x)',
			'`id`',
			'a b',
			'',
			'"',
			'\\',
			'\n',
			'*',
			';exit 9',
			'-e',
		];
		const result = await run([process.execPath, probe, 'argv', ...nasty]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain(`argv ${JSON.stringify(nasty)}`);
	});

	it('propagates exit codes, 128+n for a signal', async () => {
		expect((await probeRun('exit:7')).code).toBe(7);
		expect((await run([process.execPath, FIXTURE_RUN_AGENT, '--crash-after', '10'])).code).toBe(3);
		const killed = await run([process.execPath, '-e', "process.kill(process.pid, 'SIGKILL')"]);
		expect(killed.code).toBe(137);
	});

	it('stops gracefully on SIGTERM to the host’s process group', async () => {
		const agent = start([process.execPath, FIXTURE_RUN_AGENT, '--every', '50']);
		await agent.waitFor('tick 1');
		const pid = agent.child.pid as number;
		const sentAt = Date.now();
		process.kill(-pid, 'SIGTERM');
		const exit = await agent.exited;
		expect(agent.stdout()).toContain('bye'); // the agent's own SIGTERM handler ran
		expect(exit).toEqual({ code: 0, signal: null });
		expect(Date.now() - sentAt).toBeLessThan(3000);
	});

	it('stops an agent that is still starting', async () => {
		for (const delayMs of [150, 250, 350]) {
			const marker = `--marker-${randomUUID()}`;
			const agent = start([process.execPath, FIXTURE_RUN_AGENT, '--every', '50', marker]);
			await new Promise((resolve) => setTimeout(resolve, delayMs));
			process.kill(-(agent.child.pid as number), 'SIGTERM');
			const exit = await agent.exited;
			// 0: the agent's handler ran; 143: stopped before it ran; 1: the group's
			// SIGTERM also ended the library's socat bridge while bwrap was setting
			// up, and bwrap failed on its missing socket; killed by the SIGTERM: on a
			// busy machine the host had not yet installed its handler (nothing started).
			expect([0, 1, 143, 'SIGTERM'], `${JSON.stringify(exit)} ${agent.stderr()}`).toContain(
				exit.code ?? exit.signal,
			);
			expect(await eventually(() => pidsWith(marker).length === 0)).toBe(true);
			// Its proxy's socket is gone too (a reset in the middle of initialize() left it).
			expect(scratchOf(agent.child.pid as number, [])).toEqual([]);
		}
	});

	it('leaves no zombie behind after a stop: bwrap reaps the sandbox’s pid 1', async () => {
		const agent = start([process.execPath, FIXTURE_RUN_AGENT, '--every', '50']);
		await agent.waitFor('tick 1');
		const members = treeOf(agent.child.pid as number);
		// The host, bwrap, the library's shell as pid 1, the seccomp helper, the agent…
		expect(members.length).toBeGreaterThan(3);
		process.kill(-(agent.child.pid as number), 'SIGTERM');
		expect(await agent.exited).toEqual({ code: 0, signal: null });
		// …all gone once the host has exited: none left unreaped (a zombie under
		// pid 1 would still be there until pid 1 reaps it, if it ever does).
		expect(stillThere(members)).toEqual([]);
	});

	it('leaves nothing running when the host’s group is SIGKILLed', async () => {
		const marker = `--marker-${randomUUID()}`;
		const agent = start([process.execPath, FIXTURE_RUN_AGENT, '--ignore-term', marker]);
		await agent.waitFor('ready');
		const pid = agent.child.pid as number;
		// bwrap, its helpers and the agent carry the marker in their command lines;
		// the library's socat bridge is in the host's group.
		expect(pidsWith(marker).length).toBeGreaterThan(0);
		expect(groupMembers(pid).length).toBeGreaterThan(1);
		const scratch = scratchOf(pid, [...groupMembers(pid), ...pidsWith(marker)]);
		// The stubborn agent ignores the stop…
		process.kill(-pid, 'SIGTERM');
		await agent.waitFor('ignoring SIGTERM');
		// …so the supervisor kills the group after the grace period.
		process.kill(-pid, 'SIGKILL');
		await agent.exited;
		expect(await eventually(() => pidsWith(marker).length === 0)).toBe(true);
		expect(await eventually(() => groupMembers(pid).length === 0)).toBe(true);
		// A killed host cannot remove the library's sockets and scratch directory.
		for (const name of scratch) rmSync(join(HOST_TMP, name), { recursive: true, force: true });
	});

	it('refuses a bad policy argument with exit code 2 and says what is wrong', async () => {
		const notJson = startHost([HOST, 'not json']);
		expect((await notJson.exited).code).toBe(2);
		expect(notJson.stderr()).toMatch(/^agentspace-sandbox: the sandbox policy argument is invalid/);
		expect(notJson.stderr()).toContain('not JSON');

		const missing = startHost([HOST]);
		expect((await missing.exited).code).toBe(2);

		const bad = {
			...policy,
			cwd: 'relative/dir',
			allowedHosts: ['EXAMPLE.com'],
			extra: 1,
			argv: [],
		};
		const wrong = startHost([HOST, JSON.stringify(bad)]);
		expect((await wrong.exited).code).toBe(2);
		for (const field of ['cwd', 'allowedHosts[0]', 'extra', 'argv[0]']) {
			expect(wrong.stderr()).toContain(`  - ${field}: `);
		}
	});

	it('exits 125 with what to install when the sandbox cannot be set up', async () => {
		const result = await run([process.execPath, probe, 'exit:0'], {
			...agentEnv,
			PATH: '/nonexistent',
		});
		expect(result.code).toBe(125);
		expect(result.stderr).toContain(
			'agentspace-sandbox: cannot start the agent inside the sandbox',
		);
		expect(result.stderr).toContain('apt-get install bubblewrap socat ripgrep');
	});
});
