// A published MCP server nobody here wrote, confined by the OS sandbox rather
// than by itself: @modelcontextprotocol/server-filesystem packaged as an agent
// (build step `npm install`), approved `filesystem:write` for ONE directory but
// started with two — its own allow-list takes both, so a write to the second
// passes the server's checks and must be stopped by the sandbox (EROFS).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxReadiness } from '@agentspace/agents';
import {
	createNpmMcpAgentRepo,
	createTempHome,
	type GitRepo,
	sandboxTestGate,
	type TempHome,
} from '@agentspace/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../testCli.js';
import { publishedServerHome } from './publishedServers.testing.js';

// Needs the OS sandbox: skipped where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

let temp: TempHome;
let repo: GitRepo;
let approved: string;
let notApproved: string;

const { until, cli, listedTargets } = publishedServerHome(() => temp.home);

describe.skipIf(!sandbox.run)(
	'server-filesystem as a sandboxed MCP agent: writes only where approved',
	() => {
		beforeAll(async () => {
			temp = createTempHome('cli-tools-filesystem');
			approved = mkdtempSync(join(tmpdir(), 'agentspace-fs-approved-'));
			notApproved = mkdtempSync(join(tmpdir(), 'agentspace-fs-not-approved-'));
			// The server is told it may use both directories; only one is approved for writing.
			repo = createNpmMcpAgentRepo('server-filesystem', {
				args: [approved, notApproved],
				permissions: [`filesystem:write:${approved}`],
			});
			cli(['agents', 'install', repo.url]);
			cli(['agents', 'build', 'filesystem', '--yes']);
			cli(['agents', 'enable', 'filesystem', '--all']);
			cli(['agents', 'run', 'filesystem']);
			await until(
				() => listedTargets().includes('filesystem/write_file'),
				'the filesystem server to list its tools',
			);
			// write_file is not read-only: limited-control (the default) denies it until allowed.
			cli(['tools', 'allow', 'filesystem/write_file']);
		}, 120_000);

		afterAll(() => {
			if (temp === undefined) return;
			runCli(temp.home, ['daemon', 'stop', '--timeout', '2']);
			temp.cleanup();
			repo.cleanup();
			rmSync(approved, { recursive: true, force: true });
			rmSync(notApproved, { recursive: true, force: true });
		});

		it('the server allows both directories itself', () => {
			const allowed = cli(['tools', 'call', 'filesystem/list_allowed_directories']).stdout;
			expect(allowed).toContain(approved);
			expect(allowed).toContain(notApproved);
		});

		it('write_file succeeds in the approved directory: the file exists with the content', () => {
			const file = join(approved, 'hello.txt');
			const result = cli([
				'tools',
				'call',
				'filesystem/write_file',
				'--arg',
				`path=${file}`,
				'--arg',
				'content=written by server-filesystem in the sandbox',
			]);
			expect(result.stdout).toMatch(/Successfully wrote to/);
			expect(readFileSync(file, 'utf8')).toBe('written by server-filesystem in the sandbox');
		});

		it('write_file fails in the other directory because of the sandbox (EROFS), and nothing is written', () => {
			const file = join(notApproved, 'hello.txt');
			const result = runCli(temp.home, [
				'tools',
				'call',
				'filesystem/write_file',
				'--arg',
				`path=${file}`,
				'--arg',
				'content=must not land',
			]);
			// The server's own check passed (the directory is in its allow-list): the
			// operating system refused the write — a read-only file system.
			expect(result.status, result.stderr).toBe(12);
			expect(result.stdout).toMatch(
				/^(EROFS: read-only file system|EACCES: permission denied|EPERM: operation not permitted), open '/,
			);
			expect(result.stdout).toContain(file);
			expect(result.stderr).toMatch(
				/error\[TOOL_ERROR\]: filesystem\/write_file reported an error/,
			);
			expect(existsSync(file)).toBe(false);
			expect(readdirSync(notApproved)).toEqual([]);
			const calls = runCliJson<{ calls: { status: string }[] }>(temp.home, [
				'tools',
				'log',
				'--tool',
				'write_file',
			]).json.calls;
			expect(calls.map((call) => call.status)).toEqual(['error', 'ok']);
		});
	},
);
