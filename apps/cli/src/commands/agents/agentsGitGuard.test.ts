import { execFileSync, spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	realpathSync,
	rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxReadiness } from '@agentspace/agents';
import {
	createGitRepo,
	createTempHome,
	type GitRepo,
	sandboxTestGate,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../../testCli.js';

// Issue 11 §1, for real: an agent approved filesystem:write:<dir> tries to
// plant git hooks and config (core.fsmonitor) in a repository four levels
// below <dir>, and makes new repositories during its run. After the run the
// user runs git there as usual: nothing the agent planted may run.

const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

// The agent: every attempt once, one JSON line of results, then idle.
const PLANTER = `
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const [approved, marker] = process.argv.slice(2);
const attempt = (f) => { try { f(); return 'ok'; } catch (error) { return error.code ?? String(error); } };
const hook = '#!/bin/sh\\ntouch ' + marker + '\\n';
const fsmonitor = '[core]\\n\\tfsmonitor = "touch ' + marker + '; false"\\n';
const gitDir = (dir) => {
	for (const sub of ['hooks', 'objects', 'refs/heads']) mkdirSync(join(dir, sub), { recursive: true });
	writeFileSync(join(dir, 'HEAD'), 'ref: refs/heads/main\\n');
	writeFileSync(join(dir, 'config'), '[core]\\n\\trepositoryformatversion = 0\\n\\tbare = false\\n' + fsmonitor.slice(7));
	for (const name of ['post-checkout', 'pre-commit', 'post-commit']) writeFileSync(join(dir, 'hooks', name), hook, { mode: 0o755 });
};
const deep = join(approved, 'l1', 'l2', 'l3', 'deep', '.git');
const evil = join(approved, 'l1', 'evil');
const results = {
	deepConfig: attempt(() => appendFileSync(join(deep, 'config'), fsmonitor)),
	deepPostCheckout: attempt(() => writeFileSync(join(deep, 'hooks', 'post-checkout'), hook, { mode: 0o755 })),
	deepPreCommit: attempt(() => writeFileSync(join(deep, 'hooks', 'pre-commit'), hook, { mode: 0o755 })),
	deepReplaceHooks: attempt(() => renameSync(join(deep, 'hooks'), join(deep, 'hooks-aside'))),
	deepMoveGitDir: attempt(() => renameSync(deep, deep + '-aside')),
	// Not a mount's to stop: a commondir sends git to a config elsewhere.
	deepCommondir: attempt(() => { gitDir(evil); writeFileSync(join(deep, 'commondir'), evil + '\\n'); }),
	// A brand-new repository three levels down, as git init makes it.
	newRepo: attempt(() => gitDir(join(approved, 'n1', 'n2', 'fresh', '.git'))),
	// A worktree whose .git file points to a git directory elsewhere in the tree.
	gitFile: attempt(() => {
		gitDir(join(approved, 'store', 'gd'));
		mkdirSync(join(approved, 'g1', 'g2', 'wt'), { recursive: true });
		writeFileSync(join(approved, 'g1', 'g2', 'wt', '.git'), 'gitdir: ' + join(approved, 'store', 'gd') + '\\n');
	}),
};
console.log('results ' + JSON.stringify(results));
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 60_000);
`;

let temp: TempHome;
let agentRepo: GitRepo;
let approved: string;
let outside: string;

beforeEach(() => {
	temp = createTempHome('agents-git-guard');
	approved = realpathSync(mkdtempSync(join(tmpdir(), 'agentspace-approved-')));
	outside = realpathSync(mkdtempSync(join(tmpdir(), 'agentspace-outside-')));
	agentRepo = createGitRepo('planter');
});
afterEach(() => {
	runCli(temp.home, ['daemon', 'stop', '--timeout', '1']);
	rmSync(approved, { recursive: true, force: true });
	rmSync(outside, { recursive: true, force: true });
	temp.cleanup();
	agentRepo.cleanup();
});

/** git as the user runs it, outside any sandbox. */
const userGit = (dir: string, ...args: string[]) =>
	spawnSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@example.org', '-C', dir, ...args], {
		encoding: 'utf8',
	});

describe.skipIf(!sandbox.run)('the git guard, through agents run', () => {
	// Without a network approval the sandbox is bubblewrap started directly;
	// with one, through the sandbox host and its proxy: both take policy.denyWrite.
	it.each([
		['without a network approval', []],
		['with a network approval', ['network:egress:example.org']],
	])(
		'keeps planted hooks and config from ever running (%s): read-only at depth, neutralised when new',
		async (_, extra: string[]) => {
			const marker = join(outside, 'MARKER');
			const deep = join(approved, 'l1', 'l2', 'l3', 'deep');
			mkdirSync(deep, { recursive: true });
			execFileSync('git', ['init', '-q', deep]);
			expect(userGit(deep, 'commit', '--allow-empty', '-q', '-m', 'first').status).toBe(0);
			agentRepo.commit({
				'planter.mjs': PLANTER,
				'agentspace.agent.json': {
					id: 'planter',
					name: 'planter',
					version: '1.0.0',
					entrypoint: { command: 'node', args: ['planter.mjs', approved, marker] },
					permissions: [`filesystem:write:${approved}`, ...extra],
				},
			});
			expect(runCli(temp.home, ['agents', 'install', agentRepo.url]).status).toBe(0);
			expect(runCli(temp.home, ['agents', 'enable', 'planter', '--all']).status).toBe(0);

			const running = spawnCli(temp.home, ['agents', 'run', 'planter', '--foreground']);
			await running.waitForStdout(/results \{.*\}/, 20_000);
			running.child.kill('SIGINT');
			expect(await running.exited).toEqual({ code: 0, signal: null });
			const results = JSON.parse(/results (\{.*\})/.exec(running.stdout())?.[1] ?? '{}');

			// Four levels down, the existing repository's hooks and config are read-only.
			for (const denied of ['deepConfig', 'deepPostCheckout', 'deepPreCommit']) {
				expect(results[denied], denied).toMatch(/^(EROFS|EPERM|EACCES)$/);
			}
			expect(results.deepReplaceHooks).not.toBe('ok');
			expect(results.deepMoveGitDir).not.toBe('ok');
			expect(readFileSync(join(deep, '.git', 'config'), 'utf8')).not.toContain('fsmonitor');
			expect(existsSync(join(deep, '.git', 'hooks', 'post-checkout'))).toBe(false);
			// What no mount could stop was written…
			expect(results).toMatchObject({ deepCommondir: 'ok', newRepo: 'ok', gitFile: 'ok' });

			// …and after the run, git as the user runs it executes none of it.
			const fresh = join(approved, 'n1', 'n2', 'fresh');
			const worktree = join(approved, 'g1', 'g2', 'wt');
			for (const repo of [deep, fresh, worktree]) {
				userGit(repo, 'status');
				userGit(repo, 'commit', '--allow-empty', '-q', '-m', 'after the run');
				userGit(repo, 'checkout', '-q', '-b', 'next');
				userGit(repo, 'checkout', '-q', '-');
			}
			expect(existsSync(marker)).toBe(false);
			// The repository that existed is whole again (the commondir is gone).
			expect(userGit(deep, 'log', '--oneline').stdout).toMatch(/after the run/);

			// Reported: a security audit entry naming the paths, and the run log.
			const audit = runCli(temp.home, [
				'audit',
				'list',
				'--type',
				'security.git_neutralised',
				'--json',
			]);
			expect(audit.status).toBe(0);
			for (const planted of [
				join(fresh, '.git', 'hooks', 'post-checkout'),
				join(fresh, '.git', 'config'),
				join(approved, 'store', 'gd', 'hooks', 'pre-commit'),
				join(approved, 'l1', 'evil', 'config'),
				join(deep, '.git', 'commondir'),
			]) {
				expect(audit.stdout).toContain(planted);
			}
			expect(audit.stdout).toContain('"severity": "security"');
			const log = runCli(temp.home, ['agents', 'logs', 'planter', '-n', '100']).stdout;
			expect(log).toMatch(
				/git guard: hook ".*fresh\/\.git\/hooks\/post-checkout" was planted during the run/,
			);
			// Disabled beside itself (a name git never runs), kept for the user to look at.
			const disabled = readdirSync(join(fresh, '.git', 'hooks')).filter((name) =>
				name.startsWith('post-checkout.agentspace-disabled-'),
			);
			expect(disabled).toHaveLength(1);
		},
		60_000,
	);
});
