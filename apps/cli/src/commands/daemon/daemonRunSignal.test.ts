import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '@agentspace/agents';
import { type AgentScenario, agentScenario, recordChange } from '@agentspace/agents/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCli, spawnCli } from '../../testCli.js';

// `daemon run` stopped by a signal while it starts: while it reconciles a run
// lost by a supervisor that died, and once it has started that `always` agent
// again but not yet recorded its run. Through the built binary, with the
// real agent process and real signals. The test holds the database's write
// lock (BEGIN IMMEDIATE) so the daemon waits at a known point (busy_timeout)
// when it is signalled; the daemon must then finish starting, stop the agent
// it started again (recorded as stopped), say `stopped`, release its lock and
// socket and exit 0 — not die half-way, leaving that agent unsupervised.

interface RunRow {
	readonly run_id: string;
	readonly status: string;
	readonly pid: number;
	readonly reason: string | null;
}

let agent: AgentScenario;
let daemon: RunningCli | undefined;
/** Agent process groups a failing test may have left running. */
let groups: number[];
beforeEach(async () => {
	agent = await agentScenario({
		label: 'daemon-run-signal',
		agent: { manifest: { id: 'ticker', name: 'Ticker' }, args: ['--every', '100'] },
		until: 'enabled',
	});
	groups = [];
	daemon = undefined;
});
afterEach(async () => {
	const pid = daemon?.child.pid;
	if (pid !== undefined && daemon?.child.exitCode === null && isProcessAlive(pid)) {
		process.kill(pid, 'SIGKILL');
		await daemon?.exited;
	}
	for (const run of runs()) if (run.pid > 0) groups.push(run.pid);
	for (const group of groups) if (isGroupAlive(group)) process.kill(-group, 'SIGKILL');
	await agent.cleanup();
});

const pidFile = () => join(agent.home, 'run', 'daemon.pid');
const socket = () => join(agent.home, 'run', 'daemon.sock');

/** Records `runId`, a run of `ticker` (restart `always`) whose supervisor died without recording its end. */
function recordLostRun(runId: string): void {
	const deadPid = 2 ** 22 + 12345; // above pid_max's default: never a live process
	recordChange(agent.db, {
		actor: agent.actor,
		events: [
			{
				type: 'agent_run_started',
				fields: {
					agent_id: 'ticker',
					run_id: runId,
					pid: deadPid,
					sandboxed: false,
					restart_policy: 'always',
					attempt: 0,
					supervisor_pid: deadPid + 1,
				},
			},
		],
		audit: { eventType: 'agents.run_started', agentId: 'ticker', metadata: {} },
	});
}

function runs(): RunRow[] {
	return agent.db.$client
		.prepare(
			"SELECT run_id, status, pid, reason FROM agent_runs WHERE agent_id = 'ticker' ORDER BY rowid",
		)
		.all() as RunRow[];
}

/** Whether any process of the group `pgid` (an agent is the leader of its own) is left. */
function isGroupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
		throw error;
	}
}

/** The fixture agent's process among the children `pid` has started, from /proc. */
function agentChildOf(pid: number): number | undefined {
	try {
		return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
			.split(' ')
			.filter(Boolean)
			.map(Number)
			.find((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('agent.mjs'));
	} catch {
		// Gone meanwhile: looked for again.
		return undefined;
	}
}

/** Polls `check` until it holds; fails naming `what` if the daemon exits first or 20 s pass. */
async function waitFor(check: () => boolean, what: string): Promise<void> {
	const deadline = Date.now() + 20_000;
	while (!check()) {
		if (Date.now() > deadline || daemon?.child.exitCode !== null) {
			throw new Error(
				`never saw ${what}\nstdout: ${daemon?.stdout()}\nstderr: ${daemon?.stderr()}\nexit: ${daemon?.child.exitCode}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/**
 * Starts `daemon run` and resolves once it holds the daemon lock (its pid in
 * the pid file): its signal handlers are in by then, and it is about to
 * reconcile the lost run.
 */
async function startDaemon(): Promise<RunningCli> {
	daemon = spawnCli(agent.home, ['daemon', 'run']);
	const pid = daemon.child.pid as number;
	await waitFor(
		() => existsSync(pidFile()) && readFileSync(pidFile(), 'utf8').trim() === String(pid),
		'the daemon take its lock',
	);
	return daemon;
}

/**
 * What every signalled start must end in: a daemon stopped cleanly, the lost
 * run recorded as crashed, and the one run it started again after it stopped
 * (its process gone) and recorded so. Returns that run.
 */
async function expectStoppedCleanly(running: RunningCli, lostRunId: string): Promise<RunRow> {
	expect(await running.exited).toEqual({ code: 0, signal: null });
	expect(running.stdout()).toMatch(new RegExp(`run ${lostRunId} of ticker was lost`));
	expect(running.stdout()).toMatch(/started ticker again \(restart policy always\)/);
	expect(running.stdout()).toMatch(/ stopped\n$/);
	expect(existsSync(pidFile())).toBe(false);
	expect(existsSync(socket())).toBe(false);
	const all = runs();
	const lost = all.findIndex((run) => run.run_id === lostRunId);
	expect(all[lost]).toMatchObject({ status: 'crashed' });
	const after = all.slice(lost + 1);
	expect(after).toEqual([expect.objectContaining({ status: 'stopped' })]);
	const again = after[0] as RunRow;
	groups.push(again.pid);
	expect(isGroupAlive(again.pid)).toBe(false);
	return again;
}

describe('daemon run, signalled while it starts', () => {
	it('finishes starting, then stops, when signalled while it reconciles a lost run', async () => {
		recordLostRun('run_lost');
		// Held from before the daemon starts: it waits to record the lost run as crashed.
		agent.db.$client.exec('BEGIN IMMEDIATE');
		let running: RunningCli;
		try {
			running = await startDaemon();
			process.kill(running.child.pid as number, 'SIGTERM');
		} finally {
			agent.db.$client.exec('ROLLBACK');
		}
		await expectStoppedCleanly(running, 'run_lost');
	});

	it('stops the agent it started again when signalled before that run is recorded', async () => {
		// The lock is let go for the reconciliation and taken again at once
		// (polled without yielding), before the daemon, which starts the agent
		// first, records its run. Should the daemon record it first anyway (a
		// busy machine), that start must stop cleanly too, and it is tried
		// again: the test passes only once the signal came in the window.
		let signalledInWindow = false;
		for (let attempt = 0; attempt < 5 && !signalledInWindow; attempt++) {
			const lostRunId = `run_lost_${attempt}`;
			recordLostRun(lostRunId);
			const before = runs().length;
			agent.db.$client.exec('BEGIN IMMEDIATE');
			let locked = true;
			let running: RunningCli;
			let agentPid: number | undefined;
			try {
				running = await startDaemon();
				const daemonPid = running.child.pid as number;
				agent.db.$client.exec('ROLLBACK');
				locked = false;
				const deadline = Date.now() + 20_000;
				while (runs()[before - 1]?.status === 'running' && Date.now() < deadline) {}
				agent.db.$client.exec('BEGIN IMMEDIATE');
				locked = true;
				expect(runs()[before - 1]).toMatchObject({ run_id: lostRunId, status: 'crashed' });
				if (runs().length === before) {
					await waitFor(() => {
						agentPid = agentChildOf(daemonPid);
						return agentPid !== undefined;
					}, 'the daemon start the agent again');
					groups.push(agentPid as number);
					// Started, its run not recorded yet: the daemon waits for the lock.
					expect(runs()).toHaveLength(before);
					signalledInWindow = true;
				}
				process.kill(daemonPid, 'SIGTERM');
			} finally {
				if (locked) agent.db.$client.exec('ROLLBACK');
			}
			const again = await expectStoppedCleanly(running, lostRunId);
			if (signalledInWindow) expect(again.pid).toBe(agentPid);
		}
		expect(signalledInWindow).toBe(true);
	});
});
