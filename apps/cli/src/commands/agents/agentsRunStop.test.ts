import { readFileSync } from 'node:fs';
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCli, spawnCli } from '../../testCli.js';

// `agents run --foreground` stopped by a signal at the worst moments: while
// its run starts, and the moment the run is recorded — when `agents stop`,
// revoke and the admin UI's Stop (stopAgent, which signals a foreground
// supervisor) first find it. Through the built binary, with the real agent
// process and real signals; the run must end recorded as stopped and leave no
// process behind.

interface RunRow {
	readonly run_id: string;
	readonly status: string;
	readonly pid: number;
	readonly reason: string | null;
}

let agent: AgentScenario;
/** Agent process groups a failing test may have left running. */
let groups: number[];
beforeEach(async () => {
	agent = await agentScenario({
		label: 'agents-run-stop',
		agent: { manifest: { id: 'ticker', name: 'Ticker' }, args: ['--every', '100'] },
		until: 'enabled',
	});
	groups = [];
});
afterEach(async () => {
	for (const group of groups) if (isGroupAlive(group)) process.kill(-group, 'SIGKILL');
	await agent.cleanup();
});

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

function runForeground(): RunningCli {
	return spawnCli(agent.home, ['agents', 'run', 'ticker', '--foreground', '--unsandboxed']);
}

describe('agents run --foreground, signalled', () => {
	it('stops and records a run signalled while it starts (its start is being recorded)', async () => {
		// The test holds the database's write lock, so the CLI starts the agent
		// and then waits (busy_timeout) to record the start: it is signalled there.
		agent.db.$client.exec('BEGIN IMMEDIATE');
		let running: RunningCli;
		let agentPid: number | undefined;
		try {
			running = runForeground();
			const cliPid = running.child.pid as number;
			while (agentPid === undefined && running.child.exitCode === null) {
				agentPid = agentChildOf(cliPid);
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			expect(agentPid).toBeDefined();
			groups.push(agentPid as number);
			process.kill(cliPid, 'SIGTERM');
		} finally {
			agent.db.$client.exec('ROLLBACK');
		}
		expect(await running.exited).toEqual({ code: 0, signal: null });
		expect(runs()).toEqual([
			expect.objectContaining({ status: 'stopped', pid: agentPid, reason: 'stopped on request' }),
		]);
		expect(isGroupAlive(agentPid as number)).toBe(false);
	});

	it('stops and records a run signalled the moment it is recorded, every time', async () => {
		for (let attempt = 0; attempt < 5; attempt++) {
			const running = runForeground();
			// Polled without yielding, so the signal follows the record as closely
			// as it can (a CLI that fails instead is caught by the deadline).
			const deadline = Date.now() + 20_000;
			let started: RunRow | undefined;
			while (started === undefined && Date.now() < deadline) {
				started = runs()[attempt];
			}
			expect(started).toMatchObject({ status: 'running' });
			const run = started as RunRow;
			groups.push(run.pid);
			process.kill(running.child.pid as number, 'SIGTERM');
			expect(await running.exited).toEqual({ code: 0, signal: null });
			expect(runs()[attempt]).toMatchObject({
				run_id: run.run_id,
				status: 'stopped',
				reason: 'stopped on request',
			});
			expect(isGroupAlive(run.pid)).toBe(false);
		}
	});
});
