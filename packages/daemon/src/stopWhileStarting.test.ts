import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isProcessAlive, type SupervisedAgent, sandboxReadiness } from '@agentspace/agents';
import { installRunAgent, openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import { type GitRepo, sandboxTestGate } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callDaemon, type DaemonConnection } from './daemonClient.js';
import { type RunningDaemon, runDaemon } from './runDaemon.js';
import { daemonServices } from './services/daemonServices.js';

// Needs the OS sandbox: skipped outside CI where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });
// The built sandbox host's entry, beside the agents package's `./sandbox-host` export.
const HOST = join(
	dirname(createRequire(import.meta.url).resolve('@agentspace/agents/sandbox-host')),
	'sandboxHostMain.js',
);

// A sandboxed start plans the sandbox (a short-lived planner process) before
// the run is started and recorded. A stop that reaches the daemon then must
// stop the starting run, not answer "not running" and leave it running.
const actor = { type: 'human', id: 'tester' } as const;
let temp: TempHomeDb;
let db: AgentSpaceDb;
let repo: GitRepo;
let daemon: RunningDaemon | undefined;

beforeEach(() => {
	temp = openTempHomeDb('daemon-stop-starting');
	db = temp.db;
});
afterEach(async () => {
	await daemon?.close(0);
	daemon = undefined;
	repo?.cleanup();
	temp.cleanup();
});

/** Installs the fixture agent, starts the daemon and asks it to run the agent sandboxed; returns once the daemon lists the run, still starting. */
async function runUntilListed(): Promise<{
	connection: DaemonConnection;
	running: Promise<SupervisedAgent>;
	listed: SupervisedAgent | undefined;
}> {
	repo = await installRunAgent({ db, home: temp.home, actor, args: ['--every', '100'] });
	const token = generateAuthToken();
	daemon = await runDaemon({
		db,
		home: temp.home,
		token,
		services: daemonServices({ env: process.env, sandboxHostScript: HOST }),
	});
	const connection: DaemonConnection = { socket: daemon.socket, token };
	let started = false;
	const running = callDaemon(connection, 'run', {
		id: 'echo-agent',
		restart: 'no',
		unsandboxed: false,
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
		actor,
	}).finally(() => {
		started = true;
	});
	// The moment the daemon knows of the run: it is still starting (no pid yet).
	let listed: SupervisedAgent | undefined;
	while (listed === undefined && !started) {
		const status = await callDaemon(connection, 'status', {});
		listed = status.agents.find((agent) => agent.id === 'echo-agent');
	}
	return { connection, running, listed };
}

/** The run is over: its process is gone, the daemon lists nothing, the stop is recorded. */
async function expectStopped(connection: DaemonConnection, run: SupervisedAgent): Promise<void> {
	expect(run.pid).not.toBeNull();
	expect(isProcessAlive(run.pid as number)).toBe(false);
	expect((await callDaemon(connection, 'status', {})).agents).toEqual([]);
	const types = queryEvents(db, { stream_id: 'agent:echo-agent' }).map((event) => event.type);
	expect(types.slice(-2)).toEqual(['agent_run_started', 'agent_run_stopped']);
}

describe.skipIf(!sandbox.run)('a stop that reaches the daemon while a sandboxed run starts', () => {
	it('stops the starting run once it has started, and answers with that run', async () => {
		const { connection, running, listed } = await runUntilListed();
		expect(listed, 'the run started before the daemon listed it').toBeDefined();
		expect(listed?.pid).toBeNull();
		const stopped = await callDaemon(connection, 'stop', {
			id: 'echo-agent',
			graceMs: 5000,
			actor,
		});
		const run = await running;
		expect(stopped).toMatchObject({ id: 'echo-agent', runId: run.runId });
		await expectStopped(connection, run);
	});

	it('is stopped by a stop of every agent too (agents stop with no id, a daemon shutting down)', async () => {
		const { connection, running, listed } = await runUntilListed();
		expect(listed?.pid).toBeNull();
		const stopped = await callDaemon(connection, 'stopAll', { graceMs: 5000, actor });
		const run = await running;
		expect(stopped).toEqual([expect.objectContaining({ id: 'echo-agent', runId: run.runId })]);
		await expectStopped(connection, run);
	});
});
