// A sandboxed run without network approval, as the supervisor starts it:
// sandboxedStart plans it with the compiled host (run `pnpm build` first) and
// startAgentProcess runs bwrap itself. Real bubblewrap, real signals.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempHome, FIXTURE_RUN_AGENT, type TempHome } from '@agentspace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentPaths, agentPaths } from '../agentPaths.js';
import { type AgentProcess, startAgentProcess } from '../launcher/startAgentProcess.js';
import { RotatingLog } from '../logs/rotatingLog.js';
import type { Permission } from '../permissions/types.js';
import { type SandboxedStartInput, sandboxedStart } from './sandboxedStart.js';
import { type SandboxPolicy, sandboxPolicyFor } from './sandboxPolicy.js';
import { sandboxReadiness } from './sandboxReadiness.js';

const HOST = fileURLToPath(new URL('../../dist/sandbox/sandboxHostMain.js', import.meta.url));
const readiness = sandboxReadiness();
const skip = !readiness.ready && process.env.CI === undefined;

const PROBE = `
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
const say = (line) => process.stdout.write(line + '\\n');
for (const step of process.argv.slice(2)) {
	const [kind, ...more] = step.split(':');
	const arg = more.join(':');
	if (kind === 'read') {
		try { say('read ' + arg + ': ok ' + readFileSync(arg, 'utf8').trim()); } catch (e) { say('read ' + arg + ': ' + e.code); }
	} else if (kind === 'write') {
		try { writeFileSync(arg, 'written in the sandbox'); say('write ' + arg + ': ok'); } catch (e) { say('write ' + arg + ': ' + e.code); }
	} else if (kind === 'connect') {
		const [host, port] = arg.split(':');
		say('connect ' + arg + ': ' + await new Promise((done) => {
			const socket = connect({ host, port: Number(port), timeout: 3000 });
			socket.once('connect', () => { socket.destroy(); done('ok'); });
			socket.once('timeout', () => { socket.destroy(); done('ETIMEDOUT'); });
			socket.once('error', (e) => done(e.code));
		}));
	} else if (kind === 'unix') {
		say('unix ' + arg + ': ' + await new Promise((done) => {
			const server = createServer();
			server.once('error', (e) => done(e.code));
			server.listen(arg, () => { server.close(); done('ok'); });
		}));
	} else if (kind === 'env') {
		say('env ' + JSON.stringify(process.env));
	}
}
`;

let temp: TempHome;
let userHome: string;
let agentHome: string;
let paths: AgentPaths;
let outside: string;
let approvedDir: string;
let repo: string;
let probe: string;
let policy: SandboxPolicy;
let env: NodeJS.ProcessEnv;
let logCount = 0;
const started: AgentProcess[] = [];

interface Proc {
	readonly pid: number;
	readonly ppid: number;
	readonly state: string;
	readonly start: string;
	/**
	 * Its program, from its command line's first word: not its name (`comm`),
	 * which a process may change (Node 24 names its main thread `MainThread`).
	 */
	readonly program: string;
}

/** The last path part of `pid`'s argv[0] ('' once it is gone, or a zombie). */
function programOf(pid: string): string {
	try {
		return basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '');
	} catch {
		return '';
	}
}

function procs(): Proc[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.flatMap((name) => {
			try {
				const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
				const close = stat.lastIndexOf(')');
				const fields = stat.slice(close + 2).split(' ');
				return [
					{
						pid: Number(name),
						ppid: Number(fields[1]),
						state: fields[0] as string,
						start: fields[19] as string,
						program: programOf(name),
					},
				];
			} catch {
				return [];
			}
		});
}

/** `pid` and every process below it. */
function tree(pid: number): Proc[] {
	const all = procs();
	const found = all.filter((proc) => proc.pid === pid);
	for (let i = 0; i < found.length; i++) {
		for (const proc of all) if (proc.ppid === found[i]?.pid) found.push(proc);
	}
	return found;
}

/** Which of `members` still exist in any state (a zombie included), by pid and start time. */
function stillThere(members: readonly Proc[]): Proc[] {
	const now = procs();
	return members.flatMap((member) =>
		now.filter((proc) => proc.pid === member.pid && proc.start === member.start),
	);
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
	const until = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > until) return false;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	return true;
}

async function startRun(
	argv: readonly string[],
	runEnv = env,
	runPolicy = policy,
	more: Partial<SandboxedStartInput> = {},
) {
	const [command = '', ...args] = argv;
	const how = await sandboxedStart({
		hostScript: HOST,
		policy: runPolicy,
		command,
		args,
		env: runEnv,
		...more,
	});
	const logPath = join(temp.home, 'logs', `run-${++logCount}.log`);
	const agent = await startAgentProcess({
		command: how.command,
		args: how.args,
		cwd: paths.src,
		env: runEnv,
		log: new RotatingLog(logPath),
		terminate: how.terminate,
		...(how.fd3 === undefined ? {} : { fd3: how.fd3 }),
		onExit: how.release,
	});
	started.push(agent);
	const log = () => {
		try {
			return readFileSync(logPath, 'utf8');
		} catch {
			return '';
		}
	};
	return { how, agent, log };
}

async function probeRun(...steps: string[]) {
	const run = await startRun([process.execPath, probe, ...steps]);
	const exit = await run.agent.exited;
	return { ...run, exit, output: run.log() };
}

describe.skipIf(skip)('a sandboxed run without network approval (bwrap started directly)', () => {
	beforeAll(() => {
		temp = createTempHome('direct-sandbox');
		userHome = join(temp.home, 'user');
		agentHome = join(userHome, '.config', 'agentspace');
		paths = agentPaths(agentHome, 'probe');
		outside = join(temp.home, 'outside');
		approvedDir = join(temp.home, 'approved');
		repo = join(approvedDir, 'repo');
		for (const dir of [
			paths.src,
			join(paths.data, 'tmp'),
			join(userHome, '.ssh'),
			outside,
			join(repo, '.git', 'hooks'),
			join(temp.home, 'tools'),
		]) {
			mkdirSync(dir, { recursive: true });
		}
		writeFileSync(join(userHome, '.ssh', 'id_rsa'), 'PRIVATE KEY');
		writeFileSync(join(agentHome, 'agentspace.db'), 'DATABASE');
		writeFileSync(join(repo, '.git', 'config'), '[core]\n');
		writeFileSync(join(paths.src, 'index.txt'), 'CHECKOUT');
		probe = join(temp.home, 'tools', 'probe.mjs');
		writeFileSync(probe, PROBE);
		const approved: Permission[] = [{ domain: 'filesystem', action: 'write', path: approvedDir }];
		policy = sandboxPolicyFor({
			agentHome,
			userHome,
			paths,
			installPath: paths.src,
			runId: 'run-direct-test',
			approved,
		});
		env = { PATH: process.env.PATH, HOME: join(paths.data, 'home') };
	});

	afterAll(async () => {
		await Promise.all(started.map((agent) => agent.stop(100)));
		temp?.cleanup();
	});

	it('is bwrap, a shell as its pid 1 and the agent: no Node host, proxy or bridge', async () => {
		const run = await startRun([process.execPath, FIXTURE_RUN_AGENT, '--every', '60000']);
		expect(run.how.kind).toBe('direct');
		await eventually(() => run.log().includes('ready pid='));
		try {
			const members = tree(run.agent.pid);
			expect(members.map((proc) => proc.program)).toEqual(['bwrap', 'sh', 'node']);
			expect(members.some((proc) => proc.program === 'socat')).toBe(false);
		} finally {
			// Even when it fails: a run left going keeps its mount points for the next tests.
			await run.agent.stop();
		}
	});

	it('applies the policy’s filesystem rules, no network at all and no unix sockets', async () => {
		const hook = join(repo, '.git', 'hooks', 'post-checkout');
		const { exit, output } = await probeRun(
			`write:${join(paths.data, 'out.txt')}`,
			`write:${join(approvedDir, 'out.txt')}`,
			`write:${join(outside, 'out.txt')}`,
			`write:${join(paths.src, 'index.txt')}`,
			`write:${hook}`,
			`write:${join(repo, '.git', 'config')}`,
			`read:${join(userHome, '.ssh', 'id_rsa')}`,
			`read:${join(agentHome, 'agentspace.db')}`,
			`read:${join(paths.src, 'index.txt')}`,
			'connect:1.1.1.1:80',
			`unix:${join(paths.data, 'probe.sock')}`,
		);
		expect(exit.exitCode, output).toBe(0);
		expect(output).toContain(`write ${join(paths.data, 'out.txt')}: ok`);
		expect(output).toContain(`write ${join(approvedDir, 'out.txt')}: ok`);
		expect(output).toMatch(new RegExp(`write ${join(outside, 'out.txt')}: (EROFS|EACCES)`));
		expect(output).toMatch(new RegExp(`write ${join(paths.src, 'index.txt')}: (EROFS|EACCES)`));
		expect(output).not.toContain(`write ${hook}: ok`);
		expect(output).not.toContain(`write ${join(repo, '.git', 'config')}: ok`);
		expect(readFileSync(join(repo, '.git', 'config'), 'utf8')).toBe('[core]\n');
		expect(output).toContain(`read ${join(userHome, '.ssh', 'id_rsa')}: ENOENT`);
		expect(output).toContain(`read ${join(agentHome, 'agentspace.db')}: ENOENT`);
		expect(output).toContain(`read ${join(paths.src, 'index.txt')}: ok CHECKOUT`);
		expect(output).toMatch(/connect 1\.1\.1\.1:80: (ENETUNREACH|EHOSTUNREACH|ECONNREFUSED)/);
		expect(output).toContain(`unix ${join(paths.data, 'probe.sock')}: EPERM`);
		// The mount points bwrap made on the host for paths that did not exist are gone.
		expect(readdirSync(paths.data).filter((name) => name.startsWith('.'))).toEqual([]);
	});

	it('keeps the home folders the library opens by default read-only (~/.npm/_logs, ~/.claude/debug)', async () => {
		// The library opens them under the HOME the sandbox is planned with: the user's here.
		const logs = join(userHome, '.npm', '_logs');
		const debug = join(userHome, '.claude', 'debug');
		mkdirSync(logs, { recursive: true });
		mkdirSync(debug, { recursive: true });
		const run = await startRun(
			[process.execPath, probe, `write:${join(logs, 'x.log')}`, `write:${join(debug, 'x.txt')}`],
			{ ...env, HOME: userHome },
		);
		const exit = await run.agent.exited;
		const output = run.log();
		expect(exit.exitCode, output).toBe(0);
		expect(output).toMatch(new RegExp(`write ${join(logs, 'x.log')}: (EROFS|EACCES)`));
		expect(output).toMatch(new RegExp(`write ${join(debug, 'x.txt')}: (EROFS|EACCES)`));
		expect(existsSync(join(logs, 'x.log'))).toBe(false);
	});

	it('gives the agent its environment, TMPDIR and working directory', async () => {
		const { exit, output } = await probeRun('env');
		expect(exit.exitCode, output).toBe(0);
		const line = output.split('\n').find((l) => l.includes('env {')) ?? 'env {}';
		const seen = JSON.parse(line.slice(line.indexOf('env ') + 4)) as Record<string, string>;
		expect(seen.HOME).toBe(env.HOME);
		expect(seen.TMPDIR).toBe(policy.tmpdir);
		expect(seen.PWD ?? paths.src).toBe(paths.src);
		// Nothing else is added: no proxy variables without a network approval.
		const added = Object.keys(seen).filter((name) => !(name in env));
		expect(added.sort()).toEqual(['PWD', 'TMPDIR']);
	});

	it('stops gracefully: the agent’s SIGTERM handler runs, nothing is left, not even a zombie', async () => {
		const run = await startRun([process.execPath, FIXTURE_RUN_AGENT, '--every', '50']);
		await eventually(() => run.log().includes('tick 1'));
		const members = tree(run.agent.pid);
		expect(members).toHaveLength(3);
		const exit = await run.agent.stop(5000);
		expect(run.log()).toContain('bye');
		expect(exit).toMatchObject({ exitCode: 0, signal: null, stopped: true, killed: false });
		// Gone as soon as the run has ended: bwrap reaped its pid 1, which reaped the rest.
		expect(stillThere(members)).toEqual([]);
	});

	it('sends the SIGTERM once to an agent that renames itself (as Node 24 names its main thread)', async () => {
		// The stop watches for the agent exec'ing another program; a new name
		// (`comm`) without an exec is the same program and gets no second SIGTERM.
		const agent = join(temp.home, 'tools', 'renaming-agent.mjs');
		writeFileSync(
			agent,
			`let terms = 0;
process.on('SIGTERM', () => {
	terms++;
	if (terms > 1) return;
	process.title = 'renamed-agent';
	setTimeout(() => { process.stdout.write('sigterms ' + terms + '\\n'); process.exit(0); }, 1000);
});
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`,
		);
		const run = await startRun([process.execPath, agent]);
		await eventually(() => run.log().includes('ready'));
		const exit = await run.agent.stop(5000);
		expect(exit).toMatchObject({ exitCode: 0, stopped: true, killed: false });
		expect(run.log()).toContain('sigterms 1');
	});

	it('kills a stubborn agent after the grace period, leaving nothing behind', async () => {
		const run = await startRun([process.execPath, FIXTURE_RUN_AGENT, '--ignore-term']);
		await eventually(() => run.log().includes('ready pid='));
		const members = tree(run.agent.pid);
		const exit = await run.agent.stop(300);
		expect(run.log()).toContain('ignoring SIGTERM');
		// The sandbox's pid 1 was killed (bwrap reports 137): recorded as SIGKILL, as for a host.
		expect(exit).toMatchObject({ exitCode: null, signal: 'SIGKILL', stopped: true, killed: true });
		// Gone as soon as the run has ended: bwrap reaped its pid 1, which reaped the rest.
		expect(stillThere(members)).toEqual([]);
	});

	it('keeps a mount point another supervisor’s sandbox still uses, and removes it after', async () => {
		// A repository whose .git has no hooks yet: each sandbox gets an empty
		// file bwrap makes at .git/hooks to bind over. Another supervisor (a
		// foreground agents run beside the daemon) runs a second sandbox.
		const shared = join(approvedDir, 'fresh');
		mkdirSync(join(shared, '.git'), { recursive: true });
		const freshPolicy = sandboxPolicyFor({
			agentHome,
			userHome,
			paths,
			installPath: paths.src,
			runId: 'run-direct-shared',
			approved: [{ domain: 'filesystem', action: 'write', path: approvedDir }],
		});
		const hooks = join(shared, '.git', 'hooks');
		const other = join(temp.home, 'tools', 'other-supervisor.mjs');
		const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
		writeFileSync(
			other,
			`import { sandboxedStart } from '${dist}sandbox/sandboxedStart.js';
import { startAgentProcess } from '${dist}launcher/startAgentProcess.js';
import { RotatingLog } from '${dist}logs/rotatingLog.js';
const policy = JSON.parse(process.argv[2]);
const how = await sandboxedStart({ hostScript: '${HOST}', policy, command: process.execPath, args: ['${FIXTURE_RUN_AGENT}', '--every', '50'], env: process.env });
const agent = await startAgentProcess({ command: how.command, args: how.args, cwd: policy.cwd, env: process.env, log: new RotatingLog('${join(temp.home, 'logs', 'other.log')}', {}, [], (_stream, line) => { if (line.includes('tick 1')) console.log('running'); }), terminate: how.terminate, fd3: how.fd3, onExit: how.release });
process.on('SIGTERM', () => void agent.stop(2000).then(() => process.exit(0)));
`,
		);
		// This supervisor's run starts first…
		const first = await startRun(
			[process.execPath, FIXTURE_RUN_AGENT, '--every', '50'],
			env,
			freshPolicy,
		);
		await eventually(() => first.log().includes('tick 1'));
		expect(statSync(hooks).size).toBe(0); // bwrap's mount point, on the host
		// …then the other supervisor's.
		const { spawn } = await import('node:child_process');
		const supervisor = spawn(process.execPath, [other, JSON.stringify(freshPolicy)], {
			env: { ...env, PATH: process.env.PATH },
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const ended = new Promise((resolve) => supervisor.once('exit', resolve));
		await new Promise<void>((resolve) =>
			supervisor.stdout.on('data', (chunk: Buffer) => {
				if (chunk.toString().includes('running')) resolve();
			}),
		);
		// The first run ends: the mount point the other sandbox binds over stays…
		await first.agent.stop();
		expect(existsSync(hooks)).toBe(true);
		// …and goes when the other one ends.
		supervisor.kill('SIGTERM');
		await ended;
		expect(existsSync(hooks)).toBe(false);
	});

	it('propagates the agent’s exit code', async () => {
		const run = await startRun([process.execPath, FIXTURE_RUN_AGENT, '--crash-after', '10']);
		expect((await run.agent.exited).exitCode).toBe(3);
	});

	it('starts a network-approved run directly too, with a proxy door of its own (the host only off Linux)', async () => {
		const how = await sandboxedStart({
			hostScript: HOST,
			policy: { ...policy, allowedHosts: ['example.com'] },
			command: 'true',
			args: [],
			env,
		});
		expect(how.kind).toBe('direct');
		expect(how.terminate).toBe('sandbox-nested');
		// The library's seccomp helper filters the agent, after the bridges start.
		expect(how.fd3).toBeUndefined();
		expect(how.args).not.toContain(HOST);
		expect(how.args).toContain('--unshare-net');
		const socket = how.args[how.args.indexOf('--bind', how.args.indexOf('--unshare-net')) + 1];
		expect(socket).toMatch(/agentspace-proxy-[^/]+\/p\.sock$/);
		expect(existsSync(socket as string)).toBe(true);
		how.release();
		expect(existsSync(socket as string)).toBe(false);
		const elsewhere = await sandboxedStart({
			hostScript: HOST,
			policy: { ...policy, allowedHosts: ['example.com'] },
			command: 'true',
			args: [],
			env,
			platform: 'darwin',
		});
		expect(elsewhere.kind).toBe('host');
		expect(elsewhere.args).toContain(HOST);
	});

	it('ends a network-approved run with 125 and the reason in its log when its proxy cannot be opened', async () => {
		const before = process.env.TMPDIR;
		// Where the supervisor makes the run's proxy socket: not writable.
		process.env.TMPDIR = '/proc';
		let run: Awaited<ReturnType<typeof startRun>>;
		try {
			run = await startRun([process.execPath, probe], env, {
				...policy,
				allowedHosts: ['example.com'],
			});
		} finally {
			if (before === undefined) delete process.env.TMPDIR;
			else process.env.TMPDIR = before;
		}
		const exit = await run.agent.exited;
		expect(exit.exitCode).toBe(125);
		expect(run.log()).toContain('cannot open its network proxy');
		expect(run.log()).toContain('hint: check that the temporary directory (/proc) is writable');
	});

	it('ends the run with 125 and the reason in its log when the sandbox cannot be set up', async () => {
		const run = await startRun([process.execPath, probe], { ...env, PATH: '/nonexistent' });
		const exit = await run.agent.exited;
		expect(exit.exitCode).toBe(125);
		expect(run.log()).toContain('agentspace-sandbox: cannot start the agent inside the sandbox');
	});

	it('ends the run with 125, the reason and a hint when the planner cannot start or hangs', async () => {
		// Its working directory (the agent's checkout) is gone: the planner cannot be spawned.
		const gone = await startRun([process.execPath, probe], env, {
			...policy,
			cwd: join(temp.home, 'no-such-checkout'),
		});
		expect((await gone.agent.exited).exitCode).toBe(125);
		expect(gone.log()).toContain('cannot start the sandbox planner');
		expect(gone.log()).toContain(
			`agentspace-sandbox: hint: check that the agent's directory (${join(temp.home, 'no-such-checkout')}) exists`,
		);
		// A planner that never answers is ended after its time limit.
		const stuck = join(temp.home, 'tools', 'stuck-planner.mjs');
		writeFileSync(stuck, 'setInterval(() => {}, 1000);\n');
		const hung = await startRun([process.execPath, probe], env, policy, {
			hostScript: stuck,
			plannerTimeoutMs: 300,
		});
		expect((await hung.agent.exited).exitCode).toBe(125);
		expect(hung.log()).toContain('the sandbox planner was ended by SIGKILL (no plan after 0.3 s)');
		expect(hung.log()).toContain(
			`agentspace-sandbox: hint: it reads the agent's data directory (${paths.data})`,
		);
		// One that exits 0 without a plan.
		const silent = join(temp.home, 'tools', 'silent-planner.mjs');
		writeFileSync(silent, '\n');
		const empty = await startRun([process.execPath, probe], env, policy, { hostScript: silent });
		expect((await empty.agent.exited).exitCode).toBe(125);
		expect(empty.log()).toContain('the sandbox planner printed no plan');
		expect(empty.log()).toContain('agentspace-sandbox: hint: run `agentspace doctor`');
	});
});
