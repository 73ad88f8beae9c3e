import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxReadiness } from '@agentspace/agents';
import { type AgentScenario, agentScenario } from '@agentspace/agents/testing';
import { createGitRepo, sandboxTestGate } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson, spawnCli } from '../../testCli.js';

// Needs the OS sandbox: skipped outside CI where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

// `agents run --foreground` and `agents logs` through the built binary, with
// real agent processes and signals.
let agent: AgentScenario;
beforeEach(async () => {
	agent = await agentScenario({
		label: 'agents-run',
		agent: {
			manifest: { id: 'ticker', name: 'Ticker' },
			args: ['--every', '100', '--print-env'],
			permissions: ['env:read:ECHO_GREETING'],
		},
		until: 'installed',
	});
});
afterEach(async () => {
	await agent.cleanup();
});

describe('agents run --foreground', () => {
	it('refuses what may not run: not enabled, no sandbox tools, a bad --restart or --grace', (ctx) => {
		// Without the sandbox's tools `agents run` names them before "not enabled".
		ctx.skip(!sandbox.run, 'needs the OS sandbox');
		const notEnabled = runCli(agent.home, ['agents', 'run', 'ticker', '--foreground']);
		expect(notEnabled.status).toBe(5);
		expect(notEnabled.stderr).toMatch(/not enabled/);
		// In the background too, checked before any daemon is started for it.
		const background = runCli(agent.home, ['agents', 'run', 'ticker']);
		expect(background.status).toBe(5);
		expect(background.stderr).toMatch(/not enabled/);
		expect(existsSync(join(agent.home, 'run', 'daemon.pid'))).toBe(false);
		expect(runCli(agent.home, ['agents', 'enable', 'ticker', '--all']).status).toBe(0);
		// A PATH without bwrap, socat and rg (node itself is found by its full path).
		const noSandbox = runCli(agent.home, ['agents', 'run', 'ticker', '--foreground'], {
			PATH: agent.home,
		});
		expect(noSandbox.status).toBe(5);
		expect(noSandbox.stderr).toMatch(/needs bwrap, socat, rg/);
		expect(noSandbox.stderr).toMatch(/apt-get install bubblewrap socat ripgrep/);
		expect(noSandbox.stderr).toMatch(/--unsandboxed/);
		expect(
			runCli(agent.home, ['agents', 'run', 'ticker', '--foreground', '--restart', 'sometimes'])
				.status,
		).toBe(2);
		expect(
			runCli(agent.home, ['agents', 'run', 'ticker', '--foreground', '--grace', 'x']).status,
		).toBe(2);
		expect(runCli(agent.home, ['agents', 'run', 'ticker', '--grace', '3']).status).toBe(2);
		expect(runCliJson(agent.home, ['agents', 'status']).json).toMatchObject({
			agents: [expect.objectContaining({ status: 'enabled', runs: 0 })],
		});
	});

	it('runs the agent with only approved variables, echoes its output, stops on Ctrl-C, and logs it', async () => {
		expect(runCli(agent.home, ['agents', 'enable', 'ticker', '--all']).status).toBe(0);
		const running = spawnCli(
			agent.home,
			['agents', 'run', 'ticker', '--foreground', '--unsandboxed'],
			{
				AWS_SECRET_ACCESS_KEY: 'AKIAPARENTSECRETKEY00',
				ECHO_GREETING: 'approved-greeting-value',
			},
		);
		await running.waitForStdout(/tick 2/, 15_000);
		const status = runCliJson<{
			agents: { id: string; status: string; pid: number; alive: boolean; rssBytes: number }[];
		}>(agent.home, ['agents', 'status']);
		expect(status.json.agents[0]).toMatchObject({ id: 'ticker', status: 'running', alive: true });
		expect(status.json.agents[0]?.rssBytes).toBeGreaterThan(0);
		expect(runCli(agent.home, ['agents', 'ps']).stdout).toMatch(
			/ticker\s+Ticker\s+running\s+\d+\s+\d+s\s+-\s+1\s+[\d.]+s\s+[\d.]+ MB\s+no/,
		);
		running.child.kill('SIGINT');
		expect(await running.exited).toEqual({ code: 0, signal: null });
		const out = running.stdout();
		expect(out).toMatch(/│ bye/);
		expect(out).toContain('ECHO_GREETING');
		expect(out).not.toContain('AKIAPARENTSECRETKEY00');
		// The approved value reached the agent; not named like a secret, it is shown as it is.
		expect(out).toContain('"ECHO_GREETING":"approved-greeting-value"');
		expect(running.stderr()).toMatch(/started ticker \(run run_/);

		const logs = runCli(agent.home, ['agents', 'logs', 'ticker', '-n', '2']);
		expect(logs.status).toBe(0);
		expect(logs.stdout).toMatch(/│ bye\n.*· exited with code 0\n$/);
		const json = runCli(agent.home, ['agents', 'logs', 'ticker', '--json', '-n', '1']);
		expect(JSON.parse(json.stdout)).toMatchObject({ stream: 'system', text: 'exited with code 0' });
		const stopped = runCliJson<{ agents: { status: string; pid: null }[] }>(agent.home, [
			'agents',
			'status',
		]);
		expect(stopped.json.agents[0]).toMatchObject({ status: 'stopped', pid: null });
		const info = runCliJson<{ status: string; runCount: number }>(agent.home, [
			'agents',
			'info',
			'ticker',
		]);
		expect(info.json).toMatchObject({ status: 'stopped', runCount: 1 });
		const audit = runCliJson<{ entries: { eventType: string; severity: string }[] }>(agent.home, [
			'audit',
			'list',
			'--type',
			'agents.run_started',
		]);
		expect(audit.json.entries).toEqual([expect.objectContaining({ severity: 'security' })]);
		const logDir = join(agent.home, 'logs', 'ticker');
		expect(
			readFileSync(
				join(logDir, `${/run run_\S+/.exec(running.stderr())?.[0].slice(4).replace(/,$/, '')}.log`),
				'utf8',
			),
		).toContain('approved-greeting-value');
	});
});

describe.skipIf(!sandbox.run)('examples/hello-agent', () => {
	it('installs, builds, is enabled and runs in the sandbox through the whole lifecycle', async () => {
		const example = createGitRepo('hello-agent');
		try {
			cpSync(
				fileURLToPath(new URL('../../../../../examples/hello-agent', import.meta.url)),
				example.path,
				{
					recursive: true,
				},
			);
			example.commit({}, 'hello');
			expect(runCli(agent.home, ['agents', 'install', example.url]).status).toBe(0);
			expect(runCli(agent.home, ['agents', 'build', 'hello-agent', '--yes']).status).toBe(0);
			expect(
				runCli(agent.home, ['agents', 'enable', 'hello-agent', '--approve', 'env:read:HELLO_NAME'])
					.status,
			).toBe(0);
			const running = spawnCli(agent.home, ['agents', 'run', 'hello-agent', '--foreground'], {
				HELLO_NAME: 'Ada',
			});
			await running.waitForStdout(/hello #2/, 15_000);
			running.child.kill('SIGINT');
			expect(await running.exited).toEqual({ code: 0, signal: null });
			expect(running.stdout()).toMatch(/goodbye after \d+ hellos/);
			const notes = readFileSync(
				join(agent.home, 'agents', 'hello-agent', 'data', 'home', 'hello-notes.txt'),
				'utf8',
			);
			expect(notes).toMatch(/hello #2/);
			expect(runCli(agent.home, ['agents', 'logs', 'hello-agent', '-n', '1']).stdout).toMatch(
				/exited with code 0/,
			);
		} finally {
			example.cleanup();
		}
	});
});
