import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { getAgent, isProcessAlive } from '@agentspace/agents';
import { installRunAgent, recordChange } from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import { createTempHome, type GitRepo, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callDaemon, type DaemonConnection } from './daemonClient.js';
import { daemonPaths } from './daemonPaths.js';
import { type RunningDaemon, runDaemon } from './runDaemon.js';
import { daemonServices } from './services/daemonServices.js';

const actor = { type: 'human', id: 'tester' } as const;
let temp: TempHome;
let db: AgentSpaceDb;
let repo: GitRepo | undefined;
let daemon: RunningDaemon | undefined;
let services: ReturnType<typeof daemonServices>;
let token: string;
beforeEach(() => {
	temp = createTempHome('daemon');
	db = openDb({ path: join(temp.home, 'agentspace.db') });
	token = generateAuthToken();
});
afterEach(async () => {
	await daemon?.close(0);
	daemon = undefined;
	closeDb(db);
	repo?.cleanup();
	temp.cleanup();
});

/** Installs and enables the runnable fixture agent, `node agent.mjs <args>`. */
async function installTicker(args: string[]): Promise<void> {
	repo = await installRunAgent({ db, home: temp.home, actor, args });
}

async function start(): Promise<DaemonConnection> {
	services = daemonServices({ env: process.env });
	daemon = await runDaemon({ db, home: temp.home, token, services });
	return { socket: daemon.socket, token };
}

/** Sends one raw line to the socket and returns the answer line. */
function rawRequest(socket: string, line: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const connection = createConnection(socket);
		let answer = '';
		connection.setEncoding('utf8');
		connection.on('connect', () => connection.write(`${line}\n`));
		connection.on('data', (chunk: string) => {
			answer += chunk;
		});
		connection.on('end', () => resolve(answer.trim()));
		connection.on('error', reject);
	});
}

const types = () => queryEvents(db, { stream_id: 'agent:echo-agent' }).map((e) => e.type);

describe('the daemon', () => {
	it('listens on a 0600 socket in a 0700 run directory and answers status', async () => {
		const connection = await start();
		const paths = daemonPaths(temp.home);
		expect(statSync(paths.runDir).mode & 0o777).toBe(0o700);
		expect(statSync(paths.socket).mode & 0o777).toBe(0o600);
		expect(readFileSync(paths.pidFile, 'utf8').trim()).toBe(String(process.pid));
		const status = await callDaemon(connection, 'status', {});
		expect(status).toMatchObject({
			pid: process.pid,
			socket: paths.socket,
			agents: [],
			uiUrl: null,
		});
		expect(status.rssBytes).toBeGreaterThan(0);
	});

	it('refuses `ui` when it was started without a web UI, saying how to get one', async () => {
		const connection = await start();
		await expect(callDaemon(connection, 'ui', { port: 6767, actor })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: 'this daemon does not host the web UI',
		});
		expect(await callDaemon(connection, 'uiClose', { actor })).toEqual({ closed: false });
		await expect(callDaemon(connection, 'ui', { port: 0, actor })).rejects.toMatchObject({
			code: 'VALIDATION_FAILED',
		});
	});

	it('refuses a request with a wrong or missing token, audits it as security.denied, and runs nothing', async () => {
		await installTicker([]);
		const connection = await start();
		const params = { id: 'echo-agent', restart: 'no', unsandboxed: true, env: {}, actor } as const;
		await expect(
			callDaemon({ ...connection, token: generateAuthToken() }, 'run', params),
		).rejects.toMatchObject({ code: 'AUTH_FAILED' });
		const missing = JSON.parse(
			await rawRequest(connection.socket, JSON.stringify({ method: 'run', params })),
		);
		expect(missing).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
		const garbage = JSON.parse(await rawRequest(connection.socket, 'not json at all'));
		expect(garbage).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } });
		const denied = await getAuditEvents(db, { type: 'security.denied', order: 'asc' });
		// The second refusal without a token is folded into the next entry of its kind (see daemonSocketFlood.test.ts).
		expect(denied.map((e) => e.metadata.kind)).toEqual(['wrong-token', 'no-token']);
		expect(denied[0]).toMatchObject({ severity: 'security' });
		expect(JSON.stringify(denied)).not.toContain(connection.token);
		expect(types()).not.toContain('agent_run_started');
	});

	it('refuses a malformed request from an authenticated caller, naming the field', async () => {
		const connection = await start();
		const answer = JSON.parse(
			await rawRequest(
				connection.socket,
				JSON.stringify({ token, method: 'stop', params: { id: 'x', graceMs: -1, actor } }),
			),
		);
		expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
		expect(answer.error.message).toContain('graceMs');
	});

	it('refuses to start a second daemon for the same home, and leaves the first running', async () => {
		const connection = await start();
		await expect(
			runDaemon({ db, home: temp.home, token, services: daemonServices({ env: process.env }) }),
		).rejects.toMatchObject({ code: 'CONFLICT' });
		expect((await callDaemon(connection, 'status', {})).pid).toBe(process.pid);
	});

	it('on shutdown never removes a socket file that is not its own', async () => {
		await start();
		const paths = daemonPaths(temp.home);
		// Another daemon's socket at the path now (say its lock was wrongly taken over).
		renameSync(paths.socket, `${paths.socket}.mine`);
		writeFileSync(paths.socket, 'not ours');
		await daemon?.close(0);
		await daemon?.closed;
		daemon = undefined;
		expect(readFileSync(paths.socket, 'utf8')).toBe('not ours');
		expect(readdirSync(paths.runDir).sort()).toEqual(['daemon.sock', 'daemon.sock.mine']);
	});

	it('runs an agent in the background and stops it on request, recording both', async () => {
		await installTicker(['--every', '50']);
		const connection = await start();
		const run = await callDaemon(connection, 'run', {
			id: 'echo-agent',
			restart: 'no',
			unsandboxed: true,
			env: { PATH: process.env.PATH ?? '' },
			actor,
		});
		expect(run).toMatchObject({ id: 'echo-agent', state: 'running', sandboxed: false });
		expect(isProcessAlive(run.pid as number)).toBe(true);
		await expect(
			callDaemon(connection, 'run', {
				id: 'echo-agent',
				restart: 'no',
				unsandboxed: true,
				env: {},
				actor,
			}),
		).rejects.toMatchObject({ code: 'CONFLICT' });
		expect((await callDaemon(connection, 'status', {})).agents.map((a) => a.id)).toEqual([
			'echo-agent',
		]);
		const stopper = { type: 'human', id: 'stopper' } as const;
		const stopped = await callDaemon(connection, 'stop', {
			id: 'echo-agent',
			graceMs: 5000,
			actor: stopper,
		});
		expect(stopped).toMatchObject({ id: 'echo-agent', runId: run.runId });
		expect(stopped.exit?.stopped).toBe(true);
		expect(isProcessAlive(run.pid as number)).toBe(false);
		expect(getAgent(db, 'echo-agent')?.status).toBe('stopped');
		expect(types()).toEqual(expect.arrayContaining(['agent_run_started', 'agent_run_stopped']));
		// The stop is recorded as the act of who asked for it.
		const [stopEvent] = queryEvents(db, {
			stream_id: 'agent:echo-agent',
			types: ['agent_run_stopped'],
		});
		expect(stopEvent?.metadata.actor).toEqual(stopper);
		const [ended] = await getAuditEvents(db, { type: 'agents.run_ended' });
		expect(ended?.actor).toMatchObject(stopper);
		expect((await callDaemon(connection, 'status', {})).agents).toEqual([]);
		await expect(
			callDaemon(connection, 'stop', { id: 'echo-agent', graceMs: 0, actor }),
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});

	it('stops every agent when it shuts down, and removes its socket and pid file', async () => {
		await installTicker(['--every', '50']);
		const connection = await start();
		const run = await callDaemon(connection, 'run', {
			id: 'echo-agent',
			restart: 'always',
			unsandboxed: true,
			env: {},
			actor,
		});
		const { stopped } = await callDaemon(connection, 'shutdown', { graceMs: 5000, actor });
		expect(stopped.map((a) => a.id)).toEqual(['echo-agent']);
		await daemon?.closed;
		daemon = undefined;
		expect(isProcessAlive(run.pid as number)).toBe(false);
		expect(getAgent(db, 'echo-agent')?.status).toBe('stopped');
		const paths = daemonPaths(temp.home);
		expect(() => statSync(paths.socket)).toThrow();
		expect(() => statSync(paths.pidFile)).toThrow();
	});

	it('on start, records runs whose supervisor is gone as crashed, and starts the `always` ones again', async () => {
		await installTicker(['--every', '50']);
		// A run recorded by a supervisor that died without recording its end.
		const deadPid = 2 ** 22 + 12345; // above pid_max's default: never a live process
		recordChange(db, {
			actor,
			events: [
				{
					type: 'agent_run_started',
					fields: {
						agent_id: 'echo-agent',
						run_id: 'run_lost',
						pid: deadPid,
						sandboxed: false,
						restart_policy: 'always',
						attempt: 0,
						supervisor_pid: deadPid + 1,
					},
				},
			],
			audit: { eventType: 'agents.run_started', agentId: 'echo-agent', metadata: {} },
		});
		const connection = await start();
		expect(services[0].lost()).toMatchObject([
			{ agentId: 'echo-agent', runId: 'run_lost', restartPolicy: 'always', orphanStopped: false },
		]);
		const crashed = queryEvents(db, {
			stream_id: 'agent:echo-agent',
			types: ['agent_run_crashed'],
		});
		expect(crashed).toHaveLength(1);
		expect(crashed[0]).toMatchObject({ run_id: 'run_lost' });
		expect(await getAuditEvents(db, { type: 'agents.run_lost' })).toHaveLength(1);
		// Started again, by the daemon, under a new run.
		const [agent] = (await callDaemon(connection, 'status', {})).agents;
		expect(agent).toMatchObject({ id: 'echo-agent', restartPolicy: 'always', sandboxed: false });
		expect(agent?.runId).not.toBe('run_lost');
		expect(getAgent(db, 'echo-agent')?.status).toBe('running');
	});
});
