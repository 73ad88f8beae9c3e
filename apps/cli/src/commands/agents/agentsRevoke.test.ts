import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, type SupervisedAgent, sandboxReadiness } from '@agentspace/agents';
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import { getOrCreateAuthToken } from '@agentspace/core';
import { callDaemon, daemonPaths } from '@agentspace/daemon';
import { sandboxTestGate } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson, spawnCli } from '../../testCli.js';

// Needs the OS sandbox: skipped outside CI where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

// `agents revoke` of a running agent through the built binary: the daemon's
// real supervisor, the real OS sandbox, real signals.
let agent: AgentScenario;
const revoker = { type: 'human', id: userInfo().username };

const pidFile = () => join(agent.home, 'run', 'daemon.pid');
const daemonPid = () => Number(readFileSync(pidFile(), 'utf8').trim());
const waitFor = async (check: () => boolean, what: string, timeoutMs = 15_000) => {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
};

interface AuditJson {
	entries: {
		eventType: string;
		actor: { type: string; id: string };
		metadata: Record<string, unknown>;
	}[];
}
const auditOf = (type: string) =>
	runCliJson<AuditJson>(agent.home, ['audit', 'list', '--type', type]).json.entries;
const statusOf = (id: string) =>
	runCliJson<{ agents: { id: string; status: string; pid: number | null }[] }>(agent.home, [
		'agents',
		'status',
	]).json.agents.find((a) => a.id === id);

beforeEach(async () => {
	agent = await agentScenario({
		label: 'agents-revoke',
		agent: {
			manifest: { id: 'ticker', name: 'Ticker' },
			args: ['--every', '100'],
			permissions: ['env:read:TICKER_NAME'],
		},
		until: 'enabled',
	});
});
afterEach(async () => {
	if (existsSync(pidFile())) {
		runCli(agent.home, ['daemon', 'stop', '--timeout', '1']);
		if (existsSync(pidFile()) && isProcessAlive(daemonPid())) process.kill(daemonPid(), 'SIGKILL');
	}
	await agent.cleanup();
});

describe.skipIf(!sandbox.run)('agents revoke of a running agent', () => {
	it('stops the sandboxed run the daemon supervises, audited as the revoker’s, and status says stopped', async () => {
		const run = runCliJson<{ runId: string; pid: number; sandboxed: boolean }>(agent.home, [
			'agents',
			'run',
			'ticker',
		]);
		expect(run.status).toBe(0);
		expect(run.json.sandboxed).toBe(true);
		await waitFor(
			() => runCli(agent.home, ['agents', 'logs', 'ticker']).stdout.includes('tick 1'),
			'the first tick in the log',
		);

		const revoke = runCliJson<{ id: string; revoked: string[]; stopped: unknown[] }>(agent.home, [
			'agents',
			'revoke',
			'ticker',
		]);

		expect(revoke.status).toBe(0);
		expect(revoke.json).toMatchObject({
			id: 'ticker',
			revoked: ['env:read:TICKER_NAME'],
			stopped: [{ id: 'ticker', runId: run.json.runId, exit: { stopped: true } }],
		});
		expect(isProcessAlive(run.json.pid)).toBe(false);
		expect(statusOf('ticker')).toMatchObject({ status: 'stopped', pid: null });
		const ended = auditOf('agents.run_ended');
		expect(ended).toEqual([
			expect.objectContaining({
				actor: revoker,
				metadata: expect.objectContaining({ runId: run.json.runId, stopped: true }),
			}),
		]);
		const text = runCli(agent.home, ['agents', 'run', 'ticker']);
		expect(text.status).toBe(5);
		expect(text.stderr).toMatch(/not enabled/);
	});

	it('stops a run another terminal supervises (run --foreground) by signalling its supervisor', async () => {
		const running = spawnCli(agent.home, ['agents', 'run', 'ticker', '--foreground']);
		await running.waitForStdout(/tick 1/, 15_000);

		const revoke = runCliJson<{ stopped: { id: string; runId: string }[] }>(agent.home, [
			'agents',
			'revoke',
			'ticker',
		]);

		expect(revoke.status).toBe(0);
		expect(revoke.json.stopped).toEqual([
			{ id: 'ticker', runId: expect.stringMatching(/^run_/), exit: null },
		]);
		expect(await running.exited).toEqual({ code: 0, signal: null });
		expect(statusOf('ticker')).toMatchObject({ status: 'stopped', pid: null });
		expect(auditOf('agents.run_ended')).toEqual([
			expect.objectContaining({ metadata: expect.objectContaining({ stopped: true }) }),
		]);
	});

	it('records the revoker, not whoever started the run, as the one who stopped it', async () => {
		expect(runCli(agent.home, ['daemon', 'start']).status).toBe(0);
		const { token } = await getOrCreateAuthToken({ home: agent.home });
		const connection = { socket: daemonPaths(agent.home).socket, token };
		const started: SupervisedAgent = await callDaemon(connection, 'run', {
			id: 'ticker',
			restart: 'always',
			unsandboxed: false,
			env: { PATH: process.env.PATH ?? '' },
			actor: { type: 'human', id: 'someone-else' },
		});
		expect(started.sandboxed).toBe(true);

		const revoke = runCli(agent.home, [
			'agents',
			'revoke',
			'ticker',
			'--reason',
			'no longer trusted',
		]);

		expect(revoke.status).toBe(0);
		expect(revoke.stdout).toMatch(/Revoked ticker/);
		expect(revoke.stdout).toMatch(/Stopped ticker \(run run_\S+\): its approval was withdrawn\./);
		expect(isProcessAlive(started.pid as number)).toBe(false);
		expect(auditOf('agents.run_started')).toEqual([
			expect.objectContaining({ actor: { type: 'human', id: 'someone-else' } }),
		]);
		expect(auditOf('agents.run_ended')).toEqual([expect.objectContaining({ actor: revoker })]);
		// `always` does not bring it back: the supervision ended with the stop.
		expect(statusOf('ticker')).toMatchObject({ status: 'stopped', pid: null });
		expect(
			(await callDaemon(connection, 'status', {})).agents.map((a: { id: string }) => a.id),
		).toEqual([]);
	});
});

it('revokes an agent that does not run and stops nothing', () => {
	const revoke = runCliJson<{ stopped: unknown[] }>(agent.home, ['agents', 'revoke', 'ticker']);
	expect(revoke.status).toBe(0);
	expect(revoke.json.stopped).toEqual([]);
	expect(auditOf('agents.run_ended')).toEqual([]);
	// No daemon was asked, so none was given a token: nothing was created for it.
	expect(existsSync(join(agent.home, 'auth-token'))).toBe(false);
});
