// `agentspace tools …` end to end: the real CLI and a real daemon running the
// fixture MCP agent (@agentspace/testing) installed, built, enabled and run in
// the OS sandbox, as a user would.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxReadiness } from '@agentspace/agents';
import {
	createMcpFixtureAgentRepo,
	createTempHome,
	type GitRepo,
	sandboxTestGate,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson, spawnCli } from '../../testCli.js';

// Needs the OS sandbox: skipped where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

interface ListedTool {
	target: string;
	policy: string;
	pinned: boolean;
	drifted: boolean;
	annotations: Record<string, unknown>;
}

let temp: TempHome;
let repo: GitRepo;
beforeEach(() => {
	temp = createTempHome('cli-tools');
	repo = createMcpFixtureAgentRepo();
});
afterEach(() => {
	runCli(temp.home, ['daemon', 'stop', '--timeout', '2']);
	temp.cleanup();
	repo.cleanup();
});

function listed(): ListedTool[] {
	return runCliJson<{ tools: ListedTool[] }>(temp.home, ['tools', 'list']).json.tools;
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) {
			const log = join(temp.home, 'logs', 'daemon.log');
			throw new Error(
				`gave up waiting for ${what}; daemon log:\n${existsSync(log) ? readFileSync(log, 'utf8') : '(none)'}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function agentLog(): string {
	const dir = join(temp.home, 'logs', 'mcp-fixture');
	return readdirSync(dir)
		.filter((name) => name.startsWith('run_') || (name.endsWith('.log') && name !== 'build.log'))
		.map((name) => readFileSync(join(dir, name), 'utf8'))
		.join('');
}

/** Installs, builds, enables and runs the fixture in the sandbox; resolves once its tools are listed. */
async function runFixture(): Promise<void> {
	const cli = (args: string[]) => {
		const result = runCli(temp.home, args);
		expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
		return result;
	};
	cli(['agents', 'install', repo.url]);
	cli(['agents', 'build', 'mcp-fixture', '--yes']);
	cli(['agents', 'enable', 'mcp-fixture', '--all']);
	cli(['agents', 'run', 'mcp-fixture']);
	await until(() => listed().length >= 4, 'the fixture to list its tools');
}

describe.skipIf(!sandbox.run)('agentspace tools, with the fixture MCP agent sandboxed', () => {
	it('lists, calls, refuses bad arguments and denied tools, logs every call, and drops the tools when the agent stops', async () => {
		await runFixture();
		const tools = listed();
		expect(tools.map((tool) => tool.target)).toEqual(
			expect.arrayContaining([
				'mcp-fixture/add',
				'mcp-fixture/echo',
				'mcp-fixture/fail',
				'mcp-fixture/slow',
			]),
		);
		// limited-control (the default): read-only tools (echo, add) are allowed, the others denied.
		expect(tools.find((tool) => tool.target === 'mcp-fixture/echo')).toMatchObject({
			policy: 'allow',
			pinned: true,
			drifted: false,
			annotations: { readOnlyHint: true },
		});
		expect(tools.find((tool) => tool.target === 'mcp-fixture/add')?.policy).toBe('allow');
		expect(tools.find((tool) => tool.target === 'mcp-fixture/slow')?.policy).toBe('deny');
		const table = runCli(temp.home, ['tools', 'list']);
		expect(table.stdout).toMatch(/mcp-fixture\/echo\s+allow \(default\)\s+pinned\s+read-only/);

		const echo = runCli(temp.home, [
			'tools',
			'call',
			'mcp-fixture/echo',
			'--arg',
			'text=hello from the CLI',
		]);
		expect(echo.status, echo.stderr).toBe(0);
		expect(echo.stdout).toBe('hello from the CLI\n');

		const add = runCliJson<{ structuredContent: { sum: number }; callId: string }>(temp.home, [
			'tools',
			'call',
			'mcp-fixture/add',
			'--arg',
			'a=2',
			'--arg',
			'b=40',
		]);
		expect(add.status, add.stderr).toBe(0);
		expect(add.json.structuredContent).toEqual({ sum: 42 });

		// Bad arguments: every bad field, and the agent never sees the call.
		const before = agentLog();
		const bad = runCli(temp.home, ['tools', 'call', 'mcp-fixture/add', '--args', '{"a": "two"}']);
		expect(bad.status).toBe(7);
		expect(bad.stderr).toMatch(
			/error\[VALIDATION_FAILED\]: invalid arguments for mcp-fixture\/add/,
		);
		expect(bad.stderr).toMatch(/\/a/);
		expect(bad.stderr).toMatch(/\bb\b/);
		expect(agentLog()).toBe(before);

		expect(runCli(temp.home, ['tools', 'deny', 'mcp-fixture/add']).status).toBe(0);
		const refused = runCli(temp.home, [
			'tools',
			'call',
			'mcp-fixture/add',
			'--arg',
			'a=1',
			'--arg',
			'b=1',
		]);
		expect(refused.status).toBe(5);
		expect(refused.stderr).toMatch(/error\[PERMISSION_DENIED\]/);

		const log = runCliJson<{ calls: { tool: string; status: string; caller: { type: string } }[] }>(
			temp.home,
			['tools', 'log', '--agent', 'mcp-fixture'],
		).json.calls;
		expect(log.map((call) => `${call.tool} ${call.status}`)).toEqual([
			'add denied',
			'add invalid',
			'add ok',
			'echo ok',
		]);
		expect(log.every((call) => call.caller.type === 'user')).toBe(true);
		expect(
			runCliJson<{ count: number }>(temp.home, ['tools', 'log', '--status', 'invalid']).json.count,
		).toBe(1);
		const audit = runCliJson<{ entries: { eventType: string }[] }>(temp.home, [
			'audit',
			'list',
			'--limit',
			'200',
		]).json;
		expect(JSON.stringify(audit)).toMatch(/tools\.policy_set/);

		expect(runCli(temp.home, ['agents', 'stop', 'mcp-fixture']).status).toBe(0);
		await until(() => listed().length === 0, 'the tools to be removed');
	});

	it('Ctrl-C on tools call cancels the call at the agent and exits 130', async () => {
		await runFixture();
		expect(runCli(temp.home, ['tools', 'allow', 'mcp-fixture/slow']).status).toBe(0);
		const call = spawnCli(temp.home, [
			'tools',
			'call',
			'mcp-fixture/slow',
			'--args',
			'{"steps": 3000, "delayMs": 20}',
		]);
		const daemonLog = join(temp.home, 'logs', 'daemon.log');
		await until(
			() => readFileSync(daemonLog, 'utf8').includes('tools call mcp-fixture/slow'),
			'the call to start',
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		call.child.kill('SIGINT');
		expect(await call.exited).toEqual({ code: 130, signal: null });
		expect(call.stderr()).toMatch(/error\[INTERRUPTED\]: call to mcp-fixture\/slow cancelled/);
		await until(() => /slow cancelled/.test(agentLog()), 'the agent to see the cancellation');
		await until(
			() =>
				runCliJson<{ calls: { status: string }[] }>(temp.home, ['tools', 'log', '--tool', 'slow'])
					.json.calls[0]?.status === 'cancelled',
			'the call to be logged cancelled',
		);
	});

	it('shows a drifted tool with its diff, refuses it until accepted, then calls it', async () => {
		repo.cleanup();
		repo = createMcpFixtureAgentRepo({ args: ['--change-tools'] });
		await runFixture();
		expect(
			runCli(temp.home, ['tools', 'call', 'mcp-fixture/echo', '--arg', 'text=one']).status,
		).toBe(0);
		await until(
			() => listed().find((tool) => tool.target === 'mcp-fixture/echo')?.drifted === true,
			'echo to drift',
		);
		const show = runCli(temp.home, ['tools', 'show', 'mcp-fixture/echo']);
		expect(show.status, show.stderr).toBe(0);
		expect(show.stdout).toMatch(/Drifted: description changed since it was pinned/);
		expect(show.stdout).toMatch(/^ {2}- "Echoes its text back"/m);
		expect(show.stdout).toMatch(
			/^ {2}\+ "Echoes its text back \(changed: now also forwards it elsewhere\)"/m,
		);
		const held = runCli(temp.home, ['tools', 'call', 'mcp-fixture/echo', '--arg', 'text=two']);
		expect(held.status).toBe(5);
		expect(held.stderr).toMatch(/error\[PERMISSION_DRIFT\]/);
		// Off a terminal, accepting names the reviewed definition by its hash.
		const reviewed = runCliJson<{ definitionHash: string }>(temp.home, [
			'tools',
			'show',
			'mcp-fixture/echo',
		]).json.definitionHash;
		const accepted = runCli(temp.home, ['tools', 'accept', 'mcp-fixture/echo', '--hash', reviewed]);
		expect(accepted.status, accepted.stderr).toBe(0);
		const again = runCli(temp.home, ['tools', 'call', 'mcp-fixture/echo', '--arg', 'text=three']);
		expect(again.status, again.stderr).toBe(0);
		expect(again.stdout).toBe('three\n');
	});

	it('refuses bad targets and arguments with a usage error before starting a daemon', () => {
		const cases: [string[], RegExp][] = [
			[['tools', 'call', 'no-slash'], /is not a tool: expected <agent>\/<tool>/],
			[['tools', 'call', 'a/b', '--args', '[1]'], /--args must be a JSON object/],
			[['tools', 'call', 'a/b', '--args', '{'], /--args is not valid JSON/],
			[['tools', 'call', 'a/b', '--arg', 'novalue'], /--arg "novalue" is not key=value/],
			[['tools', 'call', 'a/*'], /names every tool/],
			[['tools', 'show', '/x'], /is not a tool/],
		];
		for (const [args, message] of cases) {
			const result = runCli(temp.home, args);
			expect(result.status, args.join(' ')).toBe(2);
			expect(result.stderr).toMatch(/^error\[USAGE\]: /);
			expect(result.stderr).toMatch(message);
			expect(result.stderr).toMatch(/\nhint: /);
		}
		expect(existsSync(join(temp.home, 'run', 'daemon.sock'))).toBe(false);
	});
});
