import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import {
	createFixtureAgentRepo,
	FIXTURE_RUN_AGENT,
	fixtureAgentManifest,
	type GitRepo,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeActor } from '../catalog/recordChange.js';
import { enableAgent } from '../enable/enableAgent.js';
import { installAgent } from '../install/installAgent.js';
import { isRunRecordedRunning } from '../launcher/currentRun.js';
import { runHistory } from '../launcher/runHistory.js';
import { isProcessAlive } from '../process/isProcessAlive.js';
import { SupervisorRegistry } from '../supervisor/supervisorRegistry.js';
import { installRunAgent } from '../testing/installRunAgent.js';
import { openTempHomeDb, type TempHomeDb } from '../testing/tempHomeDb.js';
import { stopAgent } from './stopAgent.js';

// stopAgent with real supervisors: the daemon's registry in this process, and
// a foreground supervisor (what `agents run --foreground` is) in a process of
// its own, each running the real fixture agent.

const runner: ChangeActor = { type: 'human', id: 'runner' };
const stopper: ChangeActor = { type: 'human', id: 'stopper' };
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
const AGENTS_ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

let temp: TempHomeDb;
let repos: GitRepo[];
let children: ChildProcess[];

beforeEach(async () => {
	temp = openTempHomeDb('stop-agent');
	repos = [
		await installRunAgent({ db: temp.db, home: temp.home, actor: runner, args: ['--every', '50'] }),
	];
	children = [];
});
afterEach(() => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
	for (const repo of repos) repo.cleanup();
	temp.cleanup();
});

/** A second runnable agent, `other-agent` (the run fixture, under another id). */
async function installOtherAgent(): Promise<void> {
	const { build: _build, ...manifest } = fixtureAgentManifest();
	const repo = createFixtureAgentRepo({
		...manifest,
		id: 'other-agent',
		build: undefined,
		entrypoint: { command: 'node', args: ['agent.mjs', '--every', '50'] },
		permissions: [],
	});
	repos.push(repo);
	repo.commit({ 'agent.mjs': readFileSync(FIXTURE_RUN_AGENT, 'utf8') });
	await installAgent({ db: temp.db, home: temp.home, source: repo.url, actor: runner });
	enableAgent({ db: temp.db, id: 'other-agent', approve: 'all', actor: runner });
}

/**
 * `agents run --foreground`, as a process of its own: supervises `id` and, on
 * SIGTERM, stops it (grace 2 s) and exits once the stop is recorded.
 * Resolves with the supervisor process, its run and the agent's pid once the
 * run has started.
 */
async function runInForeground(
	id: string,
): Promise<{ child: ChildProcess; runId: string; agentPid: number }> {
	const script = `
		import { openDb } from '@agentspace/db';
		import { superviseAgent } from ${JSON.stringify(AGENTS_ENTRY)};
		const [home, id] = process.argv.slice(1);
		const db = openDb({ path: home + '/agentspace.db' });
		let started;
		const supervisor = await superviseAgent({
			db, home, id, actor: ${JSON.stringify(runner)}, unsandboxed: true,
			supervisorPid: process.pid, env: { PATH: process.env.PATH },
			onStatus: (status) => {
				if (status.state === 'started') started = status;
			},
		});
		process.on('SIGTERM', () => void supervisor.stop(2000));
		// Said only now: a SIGTERM before the handler would end this process unrecorded.
		process.stdout.write('started ' + started.runId + ' ' + started.pid + '\\n');
		await supervisor.done;
		db.$client.close();
	`;
	const child = spawn(process.execPath, ['--input-type=module', '-e', script, temp.home, id], {
		cwd: PACKAGE_DIR,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.push(child);
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	return new Promise((resolve, reject) => {
		let stdout = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			const started = /started (\S+) (\d+)\n/.exec(stdout);
			if (started !== null) {
				resolve({ child, runId: started[1] as string, agentPid: Number(started[2]) });
			}
		});
		child.on('exit', (code) => reject(new Error(`the supervisor exited (${code}): ${stderr}`)));
	});
}

/** Events and audit entries recorded so far. */
function recorded(db: AgentSpaceDb): number {
	const row = db.$client
		.prepare('SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM audit_log) AS n')
		.get() as { n: number };
	return row.n;
}

function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('stopAgent', () => {
	it('stops a foreground run by signalling its supervisor, which records the stop and exits', async () => {
		const run = await runInForeground('echo-agent');
		expect(isProcessAlive(run.agentPid)).toBe(true);

		const stopped = await stopAgent({
			db: temp.db,
			id: 'echo-agent',
			graceMs: 2000,
			actor: stopper,
		});

		expect(stopped).toEqual([{ id: 'echo-agent', runId: run.runId, exit: null }]);
		expect(isRunRecordedRunning(temp.db, run.runId)).toBe(false);
		expect(runHistory(temp.db, 'echo-agent')[0]).toMatchObject({
			runId: run.runId,
			status: 'stopped',
		});
		expect(await exited(run.child)).toBe(0);
		expect(isProcessAlive(run.agentPid)).toBe(false);
	});

	it("stops the supervisor's own run through it, as the actor, and never signals the supervisor's process", async () => {
		// The registry runs in this process, as the daemon does under its hosted UI:
		// its runs are recorded with this pid, which must not be sent SIGTERM.
		const registry = new SupervisorRegistry({
			db: temp.db,
			home: temp.home,
			supervisorPid: process.pid,
		});
		const started = await registry.run({
			id: 'echo-agent',
			restart: 'always',
			unsandboxed: true,
			env: { PATH: process.env.PATH },
			actor: runner,
		});

		const stopped = await stopAgent({
			db: temp.db,
			supervisor: registry,
			id: 'echo-agent',
			graceMs: 2000,
			actor: stopper,
		});

		expect(stopped).toEqual([
			{
				id: 'echo-agent',
				runId: started.runId,
				exit: expect.objectContaining({ stopped: true, killed: false }),
			},
		]);
		expect(registry.list()).toEqual([]);
		expect(isProcessAlive(started.pid as number)).toBe(false);
		const [ended] = await getAuditEvents(temp.db, { type: 'agents.run_ended' });
		expect(ended).toMatchObject({ actor: stopper, metadata: { stopped: true } });
	});

	it('with all: stops what the supervisor runs through it and every foreground run', async () => {
		await installOtherAgent();
		const registry = new SupervisorRegistry({
			db: temp.db,
			home: temp.home,
			supervisorPid: process.pid,
		});
		const supervised = await registry.run({
			id: 'echo-agent',
			restart: 'no',
			unsandboxed: true,
			env: { PATH: process.env.PATH },
			actor: runner,
		});
		const foreground = await runInForeground('other-agent');

		const stopped = await stopAgent({
			db: temp.db,
			supervisor: registry,
			all: true,
			graceMs: 2000,
			actor: stopper,
		});

		expect(stopped).toEqual([
			{
				id: 'echo-agent',
				runId: supervised.runId,
				exit: expect.objectContaining({ stopped: true }),
			},
			{ id: 'other-agent', runId: foreground.runId, exit: null },
		]);
		expect(await exited(foreground.child)).toBe(0);
		expect(isProcessAlive(supervised.pid as number)).toBe(false);
		expect(isProcessAlive(foreground.agentPid)).toBe(false);
		expect(runHistory(temp.db, 'other-agent')[0]?.status).toBe('stopped');
	});

	it('stops a foreground run when the supervisor it is given is not running (no daemon)', async () => {
		const run = await runInForeground('echo-agent');
		const noDaemon = {
			supervised: () => undefined,
			stop: () => Promise.reject(new Error('not asked: it is not running')),
			stopAll: () => Promise.reject(new Error('not asked: it is not running')),
		};

		const stopped = await stopAgent({
			db: temp.db,
			supervisor: noDaemon,
			all: true,
			graceMs: 2000,
			actor: stopper,
		});

		expect(stopped).toEqual([{ id: 'echo-agent', runId: run.runId, exit: null }]);
		expect(await exited(run.child)).toBe(0);
	});

	it('is idempotent: an agent that is not running is left as it is, and nothing is recorded', async () => {
		const registry = new SupervisorRegistry({ db: temp.db, home: temp.home });
		const before = recorded(temp.db);

		expect(
			await stopAgent({
				db: temp.db,
				supervisor: registry,
				id: 'echo-agent',
				graceMs: 0,
				actor: stopper,
			}),
		).toEqual([]);
		expect(await stopAgent({ db: temp.db, all: true, graceMs: 0, actor: stopper })).toEqual([]);
		expect(recorded(temp.db)).toBe(before);
	});

	it('refuses an id that is not in the catalogue (NOT_FOUND) and stops nothing', async () => {
		const run = await runInForeground('echo-agent');

		await expect(
			stopAgent({ db: temp.db, id: 'no-such-agent', graceMs: 0, actor: stopper }),
		).rejects.toMatchObject({
			code: 'NOT_FOUND',
			message: 'no agent "no-such-agent" in the catalogue',
		});
		expect(isRunRecordedRunning(temp.db, run.runId)).toBe(true);
		expect(isProcessAlive(run.agentPid)).toBe(true);
	});
});
