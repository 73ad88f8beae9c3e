// The LLM endpoint in a real daemon: the config's port and the daemon's LLM
// socket served by the keys service, a stand-in provider behind it holding
// the real key, callers with a minted key token or a run's session token
// (registered through the supervisor's hook), and the limited-control gate
// answered through the daemon's socket as `agentspace keys approve` does.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { installRunAgent } from '@agentspace/agents/testing';
import {
	defaultConfig,
	generateAuthToken,
	hasErrorCode,
	type SecurityMode,
	saveConfig,
} from '@agentspace/core';
import { addProviderKey, mintKeyToken, openVault } from '@agentspace/keys';
import { type StandInProvider, startStandInProvider } from '@agentspace/keys/testing';
import { freePort } from '@agentspace/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { callDaemon, type DaemonConnection } from '../daemonClient.js';
import { daemonServices } from './daemonServices.js';
import type { KeysService } from './keysService.js';
import { actor, runAgent, serviceHarness } from './serviceHarness.testing.js';

const REAL_KEY = 'sk-ant-the-real-key-0123456789';
let standIn: StandInProvider;
let blocker: Server | undefined;
const h = serviceHarness('daemon-keys', {
	afterDaemon: async () => {
		await new Promise((resolve) =>
			blocker === undefined ? resolve(undefined) : blocker.close(resolve),
		);
		blocker = undefined;
		await standIn.close();
	},
});
const { logLines } = h;

beforeEach(async () => {
	standIn = await startStandInProvider();
	const vault = await openVault({ home: h.temp.home, keychain: false });
	await addProviderKey(h.temp.db, vault, {
		provider: 'anthropic',
		value: REAL_KEY,
		baseUrl: standIn.url,
		actor,
	});
});

/** A daemon of the temp home with apiEndpoint.port `port` and this security mode. */
async function startDaemon(port: number, securityMode: SecurityMode = 'limited-control') {
	saveConfig(
		{ home: h.temp.home },
		{ ...defaultConfig(), securityMode, apiEndpoint: { host: '127.0.0.1', port } },
	);
	const services = daemonServices({ env: process.env, keys: { keychain: false } });
	const keys = services.find((service) => service.name === 'keys') as KeysService;
	const connection = await h.startDaemon(services);
	return { keys, connection };
}

interface Answer {
	readonly status: number;
	readonly body: string;
}

/** A Messages API request to the endpoint (TCP `port`, or its Unix socket), with this API key. */
function messages(
	where: { port: number } | { socketPath: string },
	apiKey: string | undefined,
	signal?: AbortSignal,
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const body = JSON.stringify({
			model: 'claude-test',
			max_tokens: 16,
			messages: [{ role: 'user', content: 'hi' }],
		});
		const req = request(
			{
				...('port' in where
					? { host: '127.0.0.1', port: where.port }
					: { socketPath: where.socketPath }),
				path: '/anthropic/v1/messages',
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'anthropic-version': '2023-06-01',
					...(apiKey === undefined ? {} : { 'x-api-key': apiKey }),
				},
				...(signal === undefined ? {} : { signal }),
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => {
					text += chunk;
				});
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

const auditOf = (type: string) =>
	(
		h.temp.db.$client
			.prepare(
				'SELECT actor_type, actor_id, metadata FROM audit_log WHERE event_type = ? ORDER BY id',
			)
			.all(type) as { actor_type: string; actor_id: string; metadata: string }[]
	).map((row) => ({
		actorType: row.actor_type,
		actorId: row.actor_id,
		...JSON.parse(row.metadata),
	}));

async function until<T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
	for (let i = 0; i < 400; i++) {
		const value = await probe();
		if (value !== undefined) return value;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error('timed out waiting');
}

const run = (runId: string, sessionToken: string, remembered: boolean) => ({
	agentId: 'writer',
	runId,
	sessionToken,
	llm: [{ provider: 'anthropic', remembered }],
});

describe('the LLM endpoint in the daemon', () => {
	it('answers 503 when its vault cannot open, with the reason in the daemon log only', async () => {
		const port = await freePort();
		saveConfig(
			{ home: h.temp.home },
			{ ...defaultConfig(), apiEndpoint: { host: '127.0.0.1', port } },
		);
		// The vault file holds values but is damaged: the vault cannot open (the keychain is tried first).
		writeFileSync(join(h.temp.home, 'vault.json'), '{ not json');
		const connection = await h.startDaemon(daemonServices({ env: process.env, keys: {} }));
		const token = mintKeyToken(h.temp.db, { actor, name: 'probe' }).token;
		await until(async () =>
			(await callDaemon(connection, 'keysStatus', {})).state === 'serving' ? true : undefined,
		);
		const answer = await messages({ port }, token);
		expect(answer.status).toBe(503);
		const message = JSON.parse(answer.body).error.message as string;
		expect(message).toContain('the LLM endpoint cannot start');
		expect(message).toContain('agentspace doctor');
		expect(message).not.toContain(h.temp.home);
		expect(message).not.toContain('vault.json');
		expect(logLines.join('\n')).toContain('vault.json');
		expect(standIn.requests).toEqual([]);
	});

	it('serves the configured port and its 0600 socket: a minted token passes with the real key injected, a wrong one is 401 and audited', async () => {
		const port = await freePort();
		const { connection } = await startDaemon(port);
		const status = await callDaemon(connection, 'keysStatus', {});
		expect(status).toMatchObject({
			state: 'serving',
			url: `http://127.0.0.1:${port}`,
			port,
			pending: 0,
		});
		expect(statSync(status.socketPath).mode & 0o777).toBe(0o600);
		expect((await callDaemon(connection, 'status', {})).llmEndpoint).toMatchObject({
			state: 'serving',
			port,
		});

		// The proxy and the vault load on the first request, not with the daemon.
		const loaded = () => logLines.some((line) => line.includes('loaded the LLM proxy'));
		expect(loaded()).toBe(false);
		const { token: keyToken } = await mintKeyToken(h.temp.db, { actor, name: 'laptop' });
		const byTcp = await messages({ port }, keyToken);
		expect(loaded()).toBe(true);
		expect(byTcp.status).toBe(200);
		const bySocket = await messages({ socketPath: status.socketPath }, keyToken);
		expect(bySocket.status).toBe(200);
		expect(standIn.requests.map((r) => r.headers['x-api-key'])).toEqual([REAL_KEY, REAL_KEY]);

		const wrong = await messages({ port }, 'askey_nothere00000.wrong');
		expect(wrong.status).toBe(401);
		const refused = await messages({ port }, undefined);
		expect(refused.status).toBe(401);
		expect(standIn.requests).toHaveLength(2);
		expect(auditOf('auth_failed').map((entry) => entry.kind)).toEqual(
			expect.arrayContaining(['wrong-token', 'no-token']),
		);
		expect((await callDaemon(connection, 'keysStatus', {})).requests).toBe(4);
	});

	it('reports a port in use as failed with the reason, gives runs no address, and the daemon serves on', async () => {
		const port = await freePort();
		blocker = createServer();
		await new Promise<void>((resolve) => blocker?.listen(port, '127.0.0.1', resolve));
		const { keys, connection } = await startDaemon(port);
		const status = await callDaemon(connection, 'keysStatus', {});
		expect(status.state).toBe('failed');
		expect(status.reason).toMatch(/port \d+ is in use/);
		expect((await callDaemon(connection, 'status', {})).llmEndpoint.state).toBe('failed');
		expect(keys.supervision.endpoint()).toBeUndefined();
		expect(logLines.join('\n')).toContain('is in use');
	});

	it("accepts a live run's session token, and refuses it once the run ended", async () => {
		const port = await freePort();
		const { keys } = await startDaemon(port);
		expect(keys.supervision.endpoint()).toMatchObject({ port });
		const sessionToken = generateAuthToken();
		const release = keys.supervision.onRunCredentials(run('run_1', sessionToken, true));
		expect((await messages({ port }, sessionToken)).status).toBe(200);
		release();
		const ended = await messages({ port }, sessionToken);
		expect(ended.status).toBe(401);
		expect(auditOf('auth_failed').map((entry) => entry.kind)).toContain('ended-run');
		expect(standIn.requests).toHaveLength(1);
	});

	describe('limited-control', () => {
		it("holds a run's first use until keys approve, audited with the person as actor; the run's next request passes at once", async () => {
			const port = await freePort();
			const { keys, connection } = await startDaemon(port);
			const sessionToken = generateAuthToken();
			keys.supervision.onRunCredentials(run('run_2', sessionToken, false));
			const waiting = messages({ port }, sessionToken);
			const [pending] = await until(async () => {
				const listed = (await callDaemon(connection, 'keysPending', {})).pending;
				return listed.length > 0 ? listed : undefined;
			});
			expect(pending).toMatchObject({ agentId: 'writer', runId: 'run_2', provider: 'anthropic' });
			expect(standIn.requests).toHaveLength(0);
			const decision = await callDaemon(connection, 'keysApprove', {
				agentId: 'writer',
				provider: 'anthropic',
				actor,
			});
			expect(decision).toMatchObject({ decision: 'approved', runs: ['run_2'] });
			expect((await waiting).status).toBe(200);
			expect((await messages({ port }, sessionToken)).status).toBe(200);
			expect(auditOf('llm_use_requested')).toMatchObject([
				{ actorType: 'agent', actorId: 'writer', runId: 'run_2' },
			]);
			expect(auditOf('llm_use_approved')).toMatchObject([
				{ actorType: 'human', actorId: 'tester', runId: 'run_2' },
			]);
		});

		it('answers 403 with the command to run when denied', async () => {
			const port = await freePort();
			const { keys, connection } = await startDaemon(port);
			const sessionToken = generateAuthToken();
			keys.supervision.onRunCredentials(run('run_3', sessionToken, false));
			const waiting = messages({ port }, sessionToken);
			await until(async () =>
				(await callDaemon(connection, 'keysPending', {})).pending.length > 0 ? true : undefined,
			);
			await callDaemon(connection, 'keysApprove', {
				agentId: 'writer',
				provider: 'anthropic',
				deny: true,
				actor,
			});
			const denied = await waiting;
			expect(denied.status).toBe(403);
			expect(denied.body).toContain('agentspace keys approve writer anthropic');
			expect(standIn.requests).toHaveLength(0);
			expect(auditOf('llm_use_denied')).toMatchObject([{ actorType: 'human', actorId: 'tester' }]);
		});

		it('says NOT_FOUND when nothing waits, and refuses an unknown provider', async () => {
			const { connection } = await startDaemon(await freePort());
			const nothing = await callDaemon(connection, 'keysApprove', {
				agentId: 'writer',
				provider: 'anthropic',
				actor,
			}).catch((error: unknown) => error);
			expect(hasErrorCode(nothing, 'NOT_FOUND')).toBe(true);
			const unknown = await callDaemon(connection, 'keysApprove', {
				agentId: 'writer',
				provider: 'gemini',
				actor,
			}).catch((error: unknown) => error);
			expect(hasErrorCode(unknown, 'VALIDATION_FAILED')).toBe(true);
		});
	});

	it('asks nothing in full-control', async () => {
		const port = await freePort();
		const { keys, connection } = await startDaemon(port, 'full-control');
		const sessionToken = generateAuthToken();
		keys.supervision.onRunCredentials(run('run_4', sessionToken, false));
		expect((await messages({ port }, sessionToken)).status).toBe(200);
		expect((await callDaemon(connection, 'keysPending', {})).pending).toEqual([]);
		expect(auditOf('llm_use_requested')).toEqual([]);
	});
});

describe("a run the daemon's supervisor starts", () => {
	/** The fixture agent (approved llm:anthropic) run by the daemon, and the environment it printed. */
	async function runAndReadEnv(connection: DaemonConnection): Promise<Record<string, string>> {
		const run = await runAgent(connection, 'echo-agent');
		const logPath = run.logPath as string;
		const line = await until(() => {
			if (!existsSync(logPath)) return undefined;
			return /env (\{.*\})/.exec(readFileSync(logPath, 'utf8'))?.[1];
		});
		await callDaemon(connection, 'stop', { id: 'echo-agent', graceMs: 2000, actor });
		return JSON.parse(line) as Record<string, string>;
	}

	it("is given the endpoint's address while it serves, and none when its port was taken", async () => {
		h.track(
			await installRunAgent({
				db: h.temp.db,
				home: h.temp.home,
				actor,
				args: ['--print-env'],
				permissions: ['llm:anthropic'],
			}),
		);
		const port = await freePort();
		const serving = await startDaemon(port);
		const env = await runAndReadEnv(serving.connection);
		expect(env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${port}/anthropic`);
		expect(env.AGENTSPACE_LLM_URL).toBe(`http://127.0.0.1:${port}`);
		await h.closeDaemon();

		blocker = createServer();
		await new Promise<void>((resolve) => blocker?.listen(port, '127.0.0.1', resolve));
		const failed = await startDaemon(port);
		expect((await callDaemon(failed.connection, 'keysStatus', {})).state).toBe('failed');
		const without = await runAndReadEnv(failed.connection);
		expect(without.ANTHROPIC_BASE_URL).toBeUndefined();
		expect(without.AGENTSPACE_LLM_URL).toBeUndefined();
	});
});
