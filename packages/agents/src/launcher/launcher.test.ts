import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, FIXTURE_RUN_AGENT, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { RotatingLog } from '../logs/rotatingLog.js';
import { parsePermission } from '../permissions/parsePermission.js';
import type { Permission } from '../permissions/types.js';
import { runEnvironment, secretVariable } from './runEnvironment.js';
import { startAgentProcess } from './startAgentProcess.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('launcher');
});
afterEach(() => temp.cleanup());

const paths = () => agentPaths(temp.home, 'fixture');
const logPath = () => join(paths().logs, 'run_1.log');

function permissions(...texts: string[]): Permission[] {
	return texts.map((text) => {
		const parsed = parsePermission(text, { home: '/home/u', agentDir: '/a' });
		if (!parsed.ok) throw new Error(text);
		return parsed.value;
	});
}

const FAKE_AWS = 'AKIAFAKEFAKEFAKEFAKE/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function environment(approved: Permission[] = [], secrets: Record<string, string> = {}) {
	return runEnvironment({
		callerEnv: {
			PATH: process.env.PATH,
			LANG: 'C.UTF-8',
			AWS_SECRET_ACCESS_KEY: FAKE_AWS,
			ECHO_GREETING: 'hi there',
			HOME: '/root',
		},
		paths: paths(),
		agentId: 'fixture',
		runId: 'run_1',
		sessionToken: 'session-token-value-0123456789',
		approved,
		secrets,
	});
}

async function start(args: string[], env = environment(), secrets: string[] = []) {
	const log = new RotatingLog(logPath(), {}, secrets);
	return startAgentProcess({
		command: process.execPath,
		args: [FIXTURE_RUN_AGENT, ...args],
		cwd: temp.home,
		env,
		log,
	});
}

async function waitForLog(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let text = '';
		try {
			text = readFileSync(logPath(), 'utf8');
		} catch {
			// Not created yet.
		}
		if (pattern.test(text)) return text;
		if (Date.now() > deadline) throw new Error(`log never matched ${pattern}:\n${text}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('runEnvironment', () => {
	it('passes an allowlist: nothing of the caller’s but PATH, LANG, TZ and approved variables', () => {
		const env = environment(permissions('env:read:ECHO_GREETING', 'secret:read:github-token'), {
			'github-token': 'ghs_value',
		});
		expect(Object.keys(env).sort()).toEqual(
			[
				'AGENTSPACE_AGENT_ID',
				'AGENTSPACE_RUN_ID',
				'AGENTSPACE_SECRET_GITHUB_TOKEN',
				'AGENTSPACE_SESSION_TOKEN',
				'ECHO_GREETING',
				'HOME',
				'LANG',
				'PATH',
				'TMPDIR',
			].sort(),
		);
		expect(env.HOME).toBe(join(paths().data, 'home'));
		expect(env.AGENTSPACE_SECRET_GITHUB_TOKEN).toBe('ghs_value');
		expect(secretVariable('my.api-key')).toBe('AGENTSPACE_SECRET_MY_API_KEY');
		expect(JSON.stringify(environment())).not.toContain(FAKE_AWS);
	});
});

describe('startAgentProcess', () => {
	it('runs the agent in the environment it is given, captures its output, and stops it with SIGTERM', async () => {
		const run = await start(['--print-env', '--every', '50']);
		const text = await waitForLog(/tick 2/);
		expect(text).toMatch(/ stdout ready pid=\d+/);
		expect(text).not.toContain('AKIAFAKE');
		const seen = JSON.parse(/ stdout env (.*)\n/.exec(text)?.[1] ?? '{}') as Record<string, string>;
		expect(seen.HOME).toBe(join(paths().data, 'home'));
		expect(seen.AWS_SECRET_ACCESS_KEY).toBeUndefined();
		const exit = await run.stop(5000);
		expect(exit).toEqual({ exitCode: 0, signal: null, stopped: true, killed: false });
		const final = readFileSync(logPath(), 'utf8');
		expect(final).toMatch(/ stdout bye\n/);
		expect(final).toMatch(/ system exited with code 0\n$/);
	});

	it('kills a stubborn agent and everything it started after the grace period', async () => {
		const run = await start(['--ignore-term', '--spawn-child']);
		const text = await waitForLog(/child pid=(\d+)/);
		const grandchild = Number(/child pid=(\d+)/.exec(text)?.[1]);
		expect(alive(grandchild)).toBe(true);
		const started = Date.now();
		const exit = await run.stop(500);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(exit).toMatchObject({ signal: 'SIGKILL', stopped: true, killed: true });
		expect(readFileSync(logPath(), 'utf8')).toMatch(
			/ignoring SIGTERM[\s\S]*killed by SIGKILL after the grace period/,
		);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(alive(grandchild)).toBe(false);
	});

	it('reports a crash as an exit it did not ask for', async () => {
		const run = await start(['--crash-after', '100']);
		const exit = await run.exited;
		expect(exit).toEqual({ exitCode: 3, signal: null, stopped: false, killed: false });
		expect(readFileSync(logPath(), 'utf8')).toMatch(
			/ stderr crashing on purpose\n.* system exited with code 3\n$/,
		);
	});

	it('never writes an injected secret to the log, even when the agent prints it', async () => {
		const secret = 'ghs_injected_secret_value_123';
		const env = environment(permissions('secret:read:token'), { token: secret });
		const run = await start(['--print-env'], env, [secret]);
		await waitForLog(/ stdout env /);
		await run.stop(2000);
		const text = readFileSync(logPath(), 'utf8');
		expect(text).toContain('AGENTSPACE_SECRET_TOKEN');
		expect(text).not.toContain(secret);
	});

	it('refuses a command that does not exist', async () => {
		const log = new RotatingLog(logPath());
		await expect(
			startAgentProcess({
				command: 'no-such-agent-binary',
				args: [],
				cwd: temp.home,
				env: environment(),
				log,
			}),
		).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
	});
});
