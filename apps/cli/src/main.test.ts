import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, runNode, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli } from './testCli.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('cli');
});
afterEach(() => temp.cleanup());

describe('agentspace (end to end)', () => {
	it('prints help with examples and exits 0 when run bare or with --help', () => {
		for (const args of [[], ['--help']]) {
			const result = runNode(CLI_BIN, args);
			expect(result.status).toBe(0);
			expect(result.stdout).toMatch(/Usage: agentspace/);
			expect(result.stdout).toMatch(/Examples:/);
			expect(result.stdout).toMatch(/doctor/);
		}
	});

	it('prints its version', () => {
		const result = runNode(CLI_BIN, ['--version']);
		expect(result.status).toBe(0);
		expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
	});

	it.each([
		[['frobnicate'], /error\[USAGE\]: unknown command 'frobnicate'/],
		[['audit', 'lst'], /Did you mean list\?/],
		[['audit', 'list', '--bogus'], /error\[USAGE\]: unknown option '--bogus'/],
		[['config', 'set', 'securityMode'], /error\[USAGE\]: missing required argument 'value'/],
	])('rejects %j as a usage error (exit 2) with a hint', (args, message) => {
		const result = runCli(temp.home, args);
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).toMatch(/hint: run the command with --help/);
		expect(result.stdout).toBe('');
	});

	it('exits quietly when the reader of its output goes away (`| head`)', async () => {
		const child = spawn(process.execPath, [CLI_BIN, '--help'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout.destroy();
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const code = await new Promise((resolve) => child.on('exit', resolve));
		expect(stderr).toBe('');
		expect(code).toBe(0);
	});

	it('also reports usage errors as JSON with --json', () => {
		const result = runCli(temp.home, ['audit', 'list', '--bogus', '--json']);
		expect(result.status).toBe(2);
		expect(JSON.parse(result.stdout)).toEqual({
			error: { code: 'USAGE', message: "unknown option '--bogus'" },
		});
	});

	it('refuses an empty --home instead of using the current directory', () => {
		const result = runNode(
			CLI_BIN,
			['--home', '', 'config', 'set', 'securityMode', 'full-control'],
			{ cwd: temp.home },
		);
		expect(result.status).toBe(7);
		expect(result.stderr).toMatch(/the home directory must not be empty/);
		expect(readdirSync(temp.home)).toEqual([]);
	});

	it('explains a --home that is a file instead of reporting a bug', () => {
		const file = join(temp.home, 'a-file');
		writeFileSync(file, 'x');
		const result = runCli(file, ['config', 'set', 'securityMode', 'full-control']);
		expect(result.status).toBe(7);
		expect(result.stderr).toMatch(/cannot use .*a-file as the AgentSpace home/);
		expect(result.stderr).toMatch(
			/hint: --home \(or AGENTSPACE_HOME\) must name a directory you can write/,
		);
	});

	it('takes the home from AGENTSPACE_HOME when --home is absent', () => {
		const result = runNode(CLI_BIN, ['config', 'path'], { env: { AGENTSPACE_HOME: temp.home } });
		expect(result.stdout.trim()).toBe(`${temp.home}/config.json`);
	});
});
