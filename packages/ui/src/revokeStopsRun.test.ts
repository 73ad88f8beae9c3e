import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { type ChangeActor, isProcessAlive } from '@agentspace/agents';
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import {
	callDaemon,
	type DaemonConnection,
	daemonPaths,
	daemonServices,
	type RunningDaemon,
	runDaemon,
} from '@agentspace/daemon';
import { getAuditEvents } from '@agentspace/db';
import { freePort } from '@agentspace/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createUiHost } from './uiHost.js';

// The admin UI's revoke of a running agent, through the daemon's real
// supervisor and a real agent process: the run is stopped, as the person
// logged in, not as whoever started it.

const runner: ChangeActor = { type: 'human', id: 'runner' };
const owner: ChangeActor = { type: 'human', id: 'owner' };
const PORT = await freePort();
let agent: AgentScenario;
let daemon: RunningDaemon;
let connection: DaemonConnection;

beforeEach(async () => {
	agent = await agentScenario({
		label: 'ui-revoke',
		agent: { args: ['--every', '50'] },
		actor: runner,
		until: 'enabled',
	});
	const { db, home } = agent;
	const token = generateAuthToken();
	daemon = await runDaemon({
		db,
		home,
		token,
		services: daemonServices({
			env: { PATH: process.env.PATH },
			ui: (launcher) =>
				createUiHost({
					db,
					home,
					launcher,
					authToken: token,
					owner,
					env: { PATH: process.env.PATH },
				}),
		}),
	});
	connection = { socket: daemonPaths(home).socket, token };
});
afterEach(async () => {
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

it('stops the running agent when its approval is revoked in the UI, recorded as the person logged in', async () => {
	const started = await callDaemon(connection, 'run', {
		id: 'echo-agent',
		restart: 'always',
		unsandboxed: true,
		env: { PATH: process.env.PATH ?? '' },
		actor: runner,
	});
	expect(isProcessAlive(started.pid as number)).toBe(true);
	const opened = await callDaemon(connection, 'ui', { port: PORT, actor: owner });
	const login = new URL(opened.loginUrl);
	const loggedIn = await send('GET', login.pathname + login.search, {});
	const cookie = (loggedIn.headers['set-cookie']?.[0] ?? '').split(';')[0] as string;
	const page = await send('GET', '/agents/echo-agent', { cookie });
	const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;

	const revoked = await send(
		'POST',
		'/agents/echo-agent/revoke',
		{ cookie, origin: `http://127.0.0.1:${PORT}` },
		`_csrf=${encodeURIComponent(csrf)}`,
	);

	expect(revoked.status).toBe(303);
	expect(isProcessAlive(started.pid as number)).toBe(false);
	expect((await callDaemon(connection, 'status', {})).agents).toEqual([]);
	const [ended] = await getAuditEvents(agent.db, { type: 'agents.run_ended' });
	expect(ended).toMatchObject({ actor: owner, metadata: { stopped: true } });
	const [revoke] = await getAuditEvents(agent.db, { type: 'agents.revoked' });
	expect(revoke).toMatchObject({ actor: owner, sourceApp: 'agentspace-ui' });
	const after = await send('GET', '/agents/echo-agent', { cookie });
	expect(after.body).toContain('it cannot run until enabled again. Its run was stopped.');
});
