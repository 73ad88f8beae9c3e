import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type ChangeActor, isProcessAlive, runHistory } from '@agentspace/agents';
import {
	type AgentScenario,
	agentScenario,
	isRunRecordedRunning,
} from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import {
	callDaemon,
	type DaemonConnection,
	daemonPaths,
	daemonServices,
	type RunningDaemon,
	runDaemon,
} from '@agentspace/daemon';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import { freePort } from '@agentspace/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createUiHost } from './uiHost.js';

// The admin UI's Stop, through the daemon-hosted UI and real processes: it
// stops a run wherever it runs, as `agents stop` does — one the daemon
// supervises through the daemon, and one a terminal supervises (`agents run
// --foreground`, here a process of its own) by signalling that supervisor.

const runner: ChangeActor = { type: 'human', id: 'runner' };
const owner: ChangeActor = { type: 'human', id: 'owner' };
const PORT = await freePort();
const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));
let agent: AgentScenario;
let db: AgentSpaceDb;
let daemon: RunningDaemon;
let connection: DaemonConnection;
let children: ChildProcess[];

beforeEach(async () => {
	agent = await agentScenario({
		label: 'ui-stop',
		agent: { args: ['--every', '50'] },
		actor: runner,
		until: 'enabled',
	});
	db = agent.db;
	const token = generateAuthToken();
	daemon = await runDaemon({
		db,
		home: agent.home,
		token,
		services: daemonServices({
			env: { PATH: process.env.PATH },
			ui: (launcher) =>
				createUiHost({
					db,
					home: agent.home,
					launcher,
					authToken: token,
					owner,
					env: { PATH: process.env.PATH },
				}),
		}),
	});
	connection = { socket: daemonPaths(agent.home).socket, token };
	children = [];
});
afterEach(async () => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
	await daemon.close(0);
	await agent.cleanup();
});

function send(
	method: string,
	path: string,
	headers: Record<string, string>,
	body?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: '127.0.0.1',
				port: PORT,
				method,
				path,
				headers: {
					host: `127.0.0.1:${PORT}`,
					...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
					...headers,
				},
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					text += chunk;
				});
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
				);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** Opens the UI, logs in as the owner and posts the agent page's Stop form; returns the page after it. */
async function pressStop(): Promise<{ status: number; page: string }> {
	const opened = await callDaemon(connection, 'ui', { port: PORT, actor: owner });
	const login = new URL(opened.loginUrl);
	const loggedIn = await send('GET', login.pathname + login.search, {});
	const cookie = (loggedIn.headers['set-cookie']?.[0] ?? '').split(';')[0] as string;
	const page = await send('GET', '/agents/echo-agent', { cookie });
	const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
	const stopped = await send(
		'POST',
		'/agents/echo-agent/stop',
		{ cookie, origin: `http://127.0.0.1:${PORT}` },
		`_csrf=${encodeURIComponent(csrf)}`,
	);
	const after = await send('GET', '/agents/echo-agent', { cookie });
	return { status: stopped.status, page: after.body };
}

/**
 * `agents run --foreground echo-agent`, as a process of its own (the
 * library's supervisor, as the CLI runs it): on SIGTERM it stops the agent and
 * exits once the stop is recorded. Resolves once the run has started.
 */
async function runInForeground(): Promise<{
	child: ChildProcess;
	runId: string;
	agentPid: number;
}> {
	const script = `
		import { superviseAgent } from '@agentspace/agents';
		import { openDb } from '@agentspace/db';
		const home = process.argv[1];
		const db = openDb({ path: home + '/agentspace.db' });
		let started;
		const supervisor = await superviseAgent({
			db, home, id: 'echo-agent', actor: ${JSON.stringify(runner)}, unsandboxed: true,
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
	const child = spawn(process.execPath, ['--input-type=module', '-e', script, agent.home], {
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

function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

it('stops a run a terminal supervises (agents run --foreground) by signalling its supervisor', async () => {
	const run = await runInForeground();
	expect(isProcessAlive(run.agentPid)).toBe(true);

	const { status, page } = await pressStop();

	expect(status).toBe(303);
	expect(page).toContain('Stopped echo-agent.');
	expect(isRunRecordedRunning(db, run.runId)).toBe(false);
	expect(runHistory(db, 'echo-agent')[0]).toMatchObject({ runId: run.runId, status: 'stopped' });
	expect(await exited(run.child)).toBe(0);
	expect(isProcessAlive(run.agentPid)).toBe(false);
	// The daemon never supervised it, and is still running.
	expect((await callDaemon(connection, 'status', {})).agents).toEqual([]);
});

it('stops a run the daemon supervises through the daemon, recorded as the person logged in', async () => {
	const started = await callDaemon(connection, 'run', {
		id: 'echo-agent',
		restart: 'always',
		unsandboxed: true,
		env: { PATH: process.env.PATH ?? '' },
		actor: runner,
	});

	const { status, page } = await pressStop();

	expect(status).toBe(303);
	// How it ended depends on whether the agent had set up its SIGTERM handler yet.
	expect(page).toMatch(/Stopped echo-agent \((exit code 0|SIGTERM)\)\./);
	expect(isProcessAlive(started.pid as number)).toBe(false);
	expect((await callDaemon(connection, 'status', {})).agents).toEqual([]);
	const [ended] = await getAuditEvents(db, { type: 'agents.run_ended' });
	expect(ended).toMatchObject({ actor: owner, metadata: { stopped: true } });
});

it('says an agent that is not running is not running, and records no stop', async () => {
	const { status, page } = await pressStop();

	expect(status).toBe(303);
	expect(page).toContain('agent &quot;echo-agent&quot; is not running under the daemon');
	expect(await getAuditEvents(db, { type: 'agents.run_ended' })).toEqual([]);
});
