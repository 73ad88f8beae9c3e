import { existsSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { isProcessAlive, sandboxReadiness } from '@agentspace/agents';
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import { sandboxTestGate } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../testCli.js';
import { DAEMON_NODE_FLAGS } from './daemonConnection.js';

// Needs the OS sandbox: skipped outside CI where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

// The daemon through the built binary: real processes, a real socket, the
// real OS sandbox, kill -9.
let agent: AgentScenario;

const pidFile = () => join(agent.home, 'run', 'daemon.pid');
const daemonPid = () => Number(readFileSync(pidFile(), 'utf8').trim());
// A zombie (exited, not yet reaped by pid 1) is not alive.
const alive = isProcessAlive;
const waitFor = async (check: () => boolean, what: string, timeoutMs = 15_000) => {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
};

interface StatusJson {
	agents: {
		id: string;
		status: string;
		pid: number | null;
		runId: string | null;
		sandboxed: boolean | null;
		restarts: number | null;
		supervisor: string | null;
	}[];
}
const agentStatus = (id: string) =>
	runCliJson<StatusJson>(agent.home, ['agents', 'status']).json.agents.find((a) => a.id === id);

beforeEach(async () => {
	agent = await agentScenario({
		label: 'daemon-cli',
		agent: { manifest: { id: 'ticker', name: 'Ticker' }, args: ['--every', '100'] },
		until: 'enabled',
	});
});
afterEach(async () => {
	if (existsSync(pidFile())) {
		runCli(agent.home, ['daemon', 'stop', '--timeout', '1']);
		if (existsSync(pidFile()) && alive(daemonPid())) process.kill(daemonPid(), 'SIGKILL');
	}
	await agent.cleanup();
});

describe('agentspace daemon', () => {
	it('starts once, says so when started again, refuses a second daemon, and stops', () => {
		expect(runCliJson(agent.home, ['daemon', 'status']).json).toMatchObject({ running: false });
		const started = runCliJson<{ started: boolean; pid: number }>(agent.home, ['daemon', 'start']);
		expect(started.status).toBe(0);
		expect(started.json.started).toBe(true);
		expect(alive(started.json.pid)).toBe(true);
		const again = runCli(agent.home, ['daemon', 'start']);
		expect(again.status).toBe(0);
		expect(again.stdout).toMatch(new RegExp(`already running \\(pid ${started.json.pid}\\)`));
		const second = runCli(agent.home, ['daemon', 'run']);
		expect(second.status).toBe(4);
		expect(second.stderr).toMatch(/already running/);
		const status = runCliJson<{ running: boolean; pid: number; rssBytes: number }>(agent.home, [
			'daemon',
			'status',
		]);
		expect(status.json).toMatchObject({ running: true, pid: started.json.pid });
		expect(status.json.rssBytes).toBeGreaterThan(1_000_000);
		const stopped = runCli(agent.home, ['daemon', 'stop']);
		expect(stopped.status).toBe(0);
		expect(alive(started.json.pid)).toBe(false);
		expect(existsSync(join(agent.home, 'run', 'daemon.sock'))).toBe(false);
		expect(runCli(agent.home, ['daemon', 'stop']).stdout).toMatch(/not running/);
	});

	// /proc/<pid>/cmdline is Linux's.
	it.skipIf(process.platform !== 'linux')(
		'starts the daemon with its Node flags (a small young generation, DAEMON_NODE_FLAGS)',
		() => {
			const started = runCliJson<{ pid: number }>(agent.home, ['daemon', 'start']);
			expect(started.status).toBe(0);
			// argv as the kernel has it: node, its flags, then the CLI's script and `daemon run`.
			const argv = readFileSync(`/proc/${started.json.pid}/cmdline`, 'utf8')
				.split('\0')
				.slice(0, -1);
			const script = argv.findIndex((arg) => arg.endsWith('.js'));
			expect(argv.slice(1, script)).toEqual([...DAEMON_NODE_FLAGS]);
			expect(DAEMON_NODE_FLAGS).toEqual([expect.stringMatching(/^--max-semi-space-size=\d+$/)]);
			expect(argv.slice(script + 1)).toEqual(['--home', agent.home, 'daemon', 'run']);
		},
	);

	it('runs an agent in the background in the sandbox, shows it, and stops it', async (ctx) => {
		ctx.skip(!sandbox.run, 'needs the OS sandbox');
		const run = runCliJson<{ id: string; runId: string; pid: number; sandboxed: boolean }>(
			agent.home,
			['agents', 'run', 'ticker'],
		);
		expect(run.status).toBe(0);
		expect(run.json).toMatchObject({ id: 'ticker', sandboxed: true, state: 'running' });
		await waitFor(
			() => runCli(agent.home, ['agents', 'logs', 'ticker']).stdout.includes('tick 2'),
			'the second tick in the log',
		);
		expect(agentStatus('ticker')).toMatchObject({
			status: 'running',
			pid: run.json.pid,
			sandboxed: true,
			restarts: 0,
			supervisor: 'daemon',
		});
		const twice = runCli(agent.home, ['agents', 'run', 'ticker']);
		expect(twice.status).toBe(4);
		expect(twice.stderr).toMatch(/already running/);

		const stop = runCli(agent.home, ['agents', 'stop', 'ticker', '--timeout', '5']);
		expect(stop.status).toBe(0);
		expect(stop.stdout).toMatch(/Stopped ticker \(run run_\S+\): exit code 0/);
		expect(alive(run.json.pid)).toBe(false);
		expect(agentStatus('ticker')).toMatchObject({ status: 'stopped', pid: null });
		expect(runCli(agent.home, ['agents', 'logs', 'ticker', '-n', '3']).stdout).toMatch(/bye/);
		// Idempotent: stopping what does not run is fine; an unknown agent is not.
		expect(runCli(agent.home, ['agents', 'stop', 'ticker']).stdout).toMatch(/not running/);
		expect(runCli(agent.home, ['agents', 'stop', 'nope']).status).toBe(3);
		expect(runCli(agent.home, ['agents', 'stop']).status).toBe(2);
		const audit = runCliJson<{ entries: { eventType: string; severity: string }[] }>(agent.home, [
			'audit',
			'list',
			'--type',
			'agents.run_started',
		]);
		expect(audit.json.entries).toEqual([expect.objectContaining({ severity: 'info' })]);
	});

	it('after kill -9 of the daemon, records the lost run and starts the `always` agent again', async (ctx) => {
		ctx.skip(!sandbox.run, 'needs the OS sandbox');
		const run = runCliJson<{ runId: string; pid: number }>(agent.home, [
			'agents',
			'run',
			'ticker',
			'--restart',
			'always',
		]);
		expect(run.status).toBe(0);
		const pid = daemonPid();
		process.kill(pid, 'SIGKILL');
		await waitFor(() => !alive(pid), 'the daemon to die');
		// The sandbox dies with its supervisor: nothing is left running unsupervised.
		await waitFor(() => !alive(run.json.pid), 'the sandboxed agent to die with the daemon');
		expect(agentStatus('ticker')).toMatchObject({ status: 'running' });

		expect(runCli(agent.home, ['daemon', 'start']).status).toBe(0);
		const events = runCliJson<{ type: string; run_id?: string; reason?: string }[]>(agent.home, [
			'events',
			'list',
			'--stream',
			'agent:ticker',
		]).json;
		const crashed = events.find((e) => e.type === 'agent_run_crashed');
		expect(crashed).toMatchObject({ run_id: run.json.runId });
		expect(crashed?.reason).toMatch(/^lost: its supervisor \(pid \d+\) ended/);
		await waitFor(() => {
			const now = agentStatus('ticker');
			return now?.status === 'running' && now.runId !== run.json.runId;
		}, 'the agent to run again under a new run');
		expect(agentStatus('ticker')).toMatchObject({ supervisor: 'daemon', sandboxed: true });
		const lost = runCliJson<{ entries: unknown[] }>(agent.home, [
			'audit',
			'list',
			'--type',
			'agents.run_lost',
		]);
		expect(lost.json.entries).toHaveLength(1);
	});

	it('refuses a request with a wrong token and audits it as security.denied', async () => {
		expect(runCli(agent.home, ['daemon', 'start']).status).toBe(0);
		const answer = await new Promise<string>((resolve, reject) => {
			const socket = createConnection(join(agent.home, 'run', 'daemon.sock'));
			let text = '';
			socket.setEncoding('utf8');
			socket.on('connect', () =>
				socket.write(
					`${JSON.stringify({
						token: 'not-the-token',
						method: 'run',
						params: {
							id: 'ticker',
							restart: 'no',
							unsandboxed: true,
							env: {},
							actor: { type: 'human', id: 'mallory' },
						},
					})}\n`,
				),
			);
			socket.on('data', (chunk: string) => {
				text += chunk;
			});
			socket.on('end', () => resolve(text));
			socket.on('error', reject);
		});
		expect(JSON.parse(answer)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
		expect(agentStatus('ticker')).toMatchObject({ status: 'enabled' });
		const denied = runCliJson<{ entries: { severity: string }[] }>(agent.home, [
			'audit',
			'list',
			'--type',
			'security.denied',
		]);
		expect(denied.json.entries).toEqual([expect.objectContaining({ severity: 'security' })]);
	});
});
