import { execFileSync, spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	realpathSync,
	rmSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLogPath } from '../logs/readRunLog.js';
import {
	CHANGE_TIME_SLACK_MS,
	checkGitDirs,
	DISABLED_SUFFIX,
	type GitFinding,
} from './checkGitDirs.js';
import { findGitDirs } from './findGitDirs.js';
import { finishGitGuard } from './gitGuardRun.js';
import { gitGuardSnapshotPath, writeGitGuardSnapshot } from './gitGuardSnapshot.js';
import { protectGitDirs } from './protectGitDirs.js';
import { trustedExecutable } from './trustedExecutable.js';

// What a security review found in the end-of-run check (issue 11): symlinks
// planted to make the check write outside the sandbox, a check that blocked
// the daemon, protected paths the library had dropped, a `.git` file pointing
// out of the writable paths, and repositories git finds but the scan did not.
let temp: TempHome;
let home: string;
let root: string;
let userHome: string;
let marker: string;
let db: AgentSpaceDb;

beforeEach(() => {
	temp = createTempHome('git-guard-hardening');
	home = realpathSync(temp.home);
	root = join(home, 'writable');
	userHome = join(home, 'user-home');
	marker = join(home, 'MARKER');
	mkdirSync(root);
	mkdirSync(join(userHome, '.ssh'), { recursive: true });
	db = openDb({ path: join(home, 'agentspace.db') });
});
// Removing a home with 1,500 repositories and 20,000 hooks took more than the
// default 10 s hook timeout once, in CI's Node 24 leg on a loaded machine.
afterEach(() => {
	closeDb(db);
	temp.cleanup();
}, 120_000);

function gitInit(dir: string, ...args: string[]): string {
	mkdirSync(dir, { recursive: true });
	execFileSync('git', ['init', '-q', ...args, dir]);
	return dir;
}
const plantHook = (path: string) =>
	writeFileSync(path, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
const evilConfig = () =>
	`[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tfsmonitor = "touch ${marker}; false"\n`;
const startRun = (runId = 'run-1') =>
	writeGitGuardSnapshot(home, 'agent', runId, protectGitDirs([root]));
function userGit(dir: string, ...args: string[]) {
	return spawnSync(
		'git',
		['-c', 'user.name=u', '-c', 'user.email=u@example.org', '-C', dir, ...args],
		{ encoding: 'utf8' },
	);
}
function exerciseRepo(dir: string): void {
	userGit(dir, 'status');
	userGit(dir, 'commit', '--allow-empty', '-q', '-m', 'after the run');
	userGit(dir, 'checkout', '-q', '-b', 'next');
}
/** Waits until the file system's clock is past `path`'s change time by the slack (nothing timed asserted). */
function afterChangeOf(path: string): void {
	const after = statSync(path).ctimeMs + CHANGE_TIME_SLACK_MS + 2;
	const probe = join(home, 'clock-probe');
	do writeFileSync(probe, String(Math.random()));
	while (statSync(probe).ctimeMs <= after);
}

describe('the end-of-run check never writes outside what it checks', () => {
	it('ignores quarantine symlinks planted toward the user’s home: nothing lands there, the payload stays disabled', async () => {
		startRun('run-1');
		// The agent knows its run id: it plants a payload as a "hook", and the
		// old quarantine's destination as a symlink into the user's home.
		const x = gitInit(join(root, 'data', 'x'));
		writeFileSync(join(x, '.git', 'hooks', '.bash_aliases'), `touch ${marker}\n`);
		mkdirSync(join(x, '.git', 'agentspace-quarantine', 'run-1'), { recursive: true });
		symlinkSync(userHome, join(x, '.git', 'agentspace-quarantine', 'run-1', 'hooks'));
		// …and a config (an fsmonitor) to be moved into a symlinked ~/.ssh.
		const y = gitInit(join(root, 'data', 'y'));
		writeFileSync(join(y, '.git', 'config'), evilConfig());
		mkdirSync(join(y, '.git', 'agentspace-quarantine'));
		symlinkSync(join(userHome, '.ssh'), join(y, '.git', 'agentspace-quarantine', 'run-1'));

		const check = await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-1' });

		expect(readdirSync(userHome)).toEqual(['.ssh']);
		expect(readdirSync(join(userHome, '.ssh'))).toEqual([]);
		expect(check?.complete).toBe(true);
		expect(check?.findings.map((finding) => finding.path).sort()).toEqual([
			join(x, '.git', 'hooks', '.bash_aliases'),
			join(y, '.git', 'config'),
		]);
		// Disabled beside itself, not executable; the config replaced by its safe entries.
		const disabled = join(x, '.git', 'hooks', `.bash_aliases${DISABLED_SUFFIX}run-1`);
		expect(statSync(disabled).mode & 0o777).toBe(0o600);
		expect(existsSync(join(x, '.git', 'hooks', '.bash_aliases'))).toBe(false);
		expect(readFileSync(join(y, '.git', 'config'), 'utf8')).not.toContain('fsmonitor');
		exerciseRepo(y);
		expect(existsSync(marker)).toBe(false);
	});
});

describe('the end-of-run check runs in a process of its own', () => {
	it('keeps the caller’s event loop ticking through 1,500 planted repositories, a huge config and a hooks folder of 20,000 entries', async () => {
		startRun('run-2');
		// 1,500 repositories, each config with a command: git parses each one (a
		// process per repository), which the old check did in the daemon's thread.
		for (let n = 0; n < 1500; n += 1) {
			const gitDir = join(root, 'many', `r${n}`, '.git');
			mkdirSync(join(gitDir, 'objects'), { recursive: true });
			mkdirSync(join(gitDir, 'refs'));
			writeFileSync(join(gitDir, 'HEAD'), 'ref: refs/heads/main\n');
			writeFileSync(join(gitDir, 'config'), evilConfig());
		}
		// 3,000 safe entries and one that runs code: the old check spawned git
		// once per safe entry, rewriting the file each time.
		const repo = gitInit(join(root, 'big'));
		const remotes = Array.from(
			{ length: 3000 },
			(_, n) => `[remote "r${n}"]\n\turl = https://example.org/${n}.git\n`,
		).join('');
		writeFileSync(join(repo, '.git', 'config'), `${evilConfig()}${remotes}`);
		for (let n = 0; n < 20_000; n += 1) writeFileSync(join(repo, '.git', 'hooks', `h${n}`), '');

		let last = performance.now();
		let longestGap = 0;
		const ticker = setInterval(() => {
			const now = performance.now();
			longestGap = Math.max(longestGap, now - last);
			last = now;
		}, 20);
		const check = await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-2' });
		clearInterval(ticker);
		// Up to now too: a loop blocked throughout never ticks at all.
		longestGap = Math.max(longestGap, performance.now() - last);

		// A liveness bound, generous: the check in the caller's thread held it for seconds.
		expect(longestGap).toBeLessThan(1000);
		expect(check?.complete).toBe(true);
		expect(check?.count).toBe(1501 + 20_000);
		expect(check?.findings).toHaveLength(100);
		const kept = userGit(repo, 'config', '--get-regexp', '^remote\\.');
		expect(kept.stdout.trim().split('\n')).toHaveLength(3000);
		expect(readFileSync(join(repo, '.git', 'config'), 'utf8')).not.toContain('fsmonitor');
		expect(readFileSync(join(root, 'many', 'r1499', '.git', 'config'), 'utf8')).not.toContain(
			'fsmonitor',
		);
		const [entry] = await getAuditEvents(db, { type: 'security.git_neutralised' });
		expect(entry?.metadata).toMatchObject({ runId: 'run-2', count: 1501 + 20_000 });
	}, 120_000);

	it('reports a check stopped at its deadline as unchecked', async () => {
		startRun('run-3');
		const planted = gitInit(join(root, 'p'));
		plantHook(join(planted, '.git', 'hooks', 'post-checkout'));
		// No process starts within a millisecond: the deadline always passes first.
		const check = await finishGitGuard({
			db,
			home,
			agentId: 'agent',
			runId: 'run-3',
			process: { deadlineMs: 1 },
		});
		expect(check?.complete).toBe(false);
		const [entry] = await getAuditEvents(db, { type: 'security.git_unchecked' });
		expect(entry).toMatchObject({
			severity: 'security',
			metadata: {
				runId: 'run-3',
				reason: expect.stringMatching(/did not finish within 0\.001 s and was stopped/),
			},
		});
	}, 60_000);
});

describe('protected paths are skipped only while they are what the sandbox protected', () => {
	it('checks a symlinked hooks directory replaced by a real one', () => {
		const repo = gitInit(join(root, 'linked'));
		mkdirSync(join(root, 'shared-hooks'));
		rmSync(join(repo, '.git', 'hooks'), { recursive: true });
		symlinkSync(join(root, 'shared-hooks'), join(repo, '.git', 'hooks'));
		const snapshot = startRun();
		expect(snapshot.protected).toContain(join(repo, '.git', 'hooks'));
		// The library dropped the rule for the symlink: the agent swaps in a folder.
		rmSync(join(repo, '.git', 'hooks'));
		mkdirSync(join(repo, '.git', 'hooks'));
		plantHook(join(repo, '.git', 'hooks', 'post-checkout'));

		expect(checkGitDirs(snapshot).findings.map((finding) => finding.path)).toEqual([
			join(repo, '.git', 'hooks', 'post-checkout'),
		]);
		exerciseRepo(repo);
		expect(existsSync(marker)).toBe(false);
	});

	it('checks a writable path whose .git file became a repository, and makes such a .git file read-only', () => {
		const store = gitInit(join(home, 'store'), '--bare');
		writeFileSync(join(root, '.git'), `gitdir: ${store}\n`);
		afterChangeOf(join(root, '.git'));
		const snapshot = startRun();
		expect(snapshot.protected).toContain(join(root, '.git'));
		// What the sandbox could not stop before this fix: the file replaced by a repository.
		rmSync(join(root, '.git'));
		gitInit(root);
		plantHook(join(root, '.git', 'hooks', 'post-checkout'));
		writeFileSync(join(root, '.git', 'config'), evilConfig());

		expect(
			checkGitDirs(snapshot)
				.findings.map((finding) => finding.path)
				.sort(),
		).toEqual([join(root, '.git', 'config'), join(root, '.git', 'hooks', 'post-checkout')]);
		exerciseRepo(root);
		expect(existsSync(marker)).toBe(false);
	});
});

describe('what git finds, the check finds', () => {
	it('finds a repository made of a HEAD and a commondir (git’s is_git_directory)', () => {
		const snapshot = startRun();
		const store = join(root, 'a', 'store');
		mkdirSync(join(store, 'objects'), { recursive: true });
		mkdirSync(join(store, 'refs'));
		mkdirSync(join(store, 'hooks'));
		writeFileSync(join(store, 'config'), evilConfig());
		plantHook(join(store, 'hooks', 'post-checkout'));
		const wt = join(root, 'a', 'wt');
		mkdirSync(wt);
		writeFileSync(join(wt, 'HEAD'), 'ref: refs/heads/main\n');
		writeFileSync(join(wt, 'commondir'), '../store\n');
		// Git takes wt as a repository, with store's config.
		expect(userGit(wt, 'config', 'core.fsmonitor').stdout).toContain('touch');

		expect(findGitDirs([root]).gitDirs.map((found) => found.gitDir)).toEqual(
			expect.arrayContaining([wt, store]),
		);
		expect(
			checkGitDirs(snapshot)
				.findings.map((finding) => finding.path)
				.sort(),
		).toEqual([join(store, 'config'), join(store, 'hooks', 'post-checkout')]);
		expect(userGit(wt, 'config', 'core.fsmonitor').stdout).toBe('');
	});

	it('disables a .git file made during the run that points out of the writable paths; an older one stays', () => {
		const elsewhere = gitInit(join(home, 'elsewhere'), '--bare');
		const older = join(root, 'older');
		mkdirSync(older);
		writeFileSync(join(older, '.git'), `gitdir: ${elsewhere}\n`);
		afterChangeOf(join(older, '.git'));
		const snapshot = startRun();
		const planted = join(root, 'w');
		mkdirSync(planted);
		writeFileSync(join(planted, '.git'), `gitdir: ${elsewhere}\n`);

		const check = checkGitDirs(snapshot);
		expect(check.findings).toEqual([
			{
				path: join(planted, '.git'),
				kind: 'gitfile',
				quarantinedTo: join(planted, `.git${DISABLED_SUFFIX}run-1`),
			},
		]);
		expect(existsSync(join(older, '.git'))).toBe(true);
	});
});

describe('a second review (issue 11)', () => {
	it('checks in full a config staged in an earlier run and reached through a commondir made in this one', async () => {
		// Run 1: not a repository yet (no HEAD), so nothing checked it.
		const stage = join(root, 'p', 'stage');
		mkdirSync(join(stage, 'objects'), { recursive: true });
		mkdirSync(join(stage, 'refs'));
		mkdirSync(join(stage, 'hooks'));
		writeFileSync(join(stage, 'config'), evilConfig());
		plantHook(join(stage, 'hooks', 'post-checkout'));
		afterChangeOf(join(stage, 'hooks', 'post-checkout'));
		// Run 2: its start scan stops at a bound.
		const snapshot = writeGitGuardSnapshot(
			home,
			'agent',
			'run-1',
			protectGitDirs([root], { maxEntries: 1 }),
		);
		expect(snapshot.complete).toBe(false);
		const src = join(root, 'p', 'src');
		mkdirSync(join(src, '.git'), { recursive: true });
		writeFileSync(join(src, '.git', 'HEAD'), 'ref: refs/heads/main\n');
		writeFileSync(join(src, '.git', 'commondir'), '../../stage\n');
		expect(userGit(src, 'config', 'core.fsmonitor').stdout).toContain('touch');

		const check = await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-1' });

		expect(check?.findings.map((finding) => finding.path).sort()).toEqual([
			join(src, '.git', 'commondir'),
			join(stage, 'config'),
			join(stage, 'hooks', 'post-checkout'),
		]);
		exerciseRepo(src);
		userGit(stage, 'status');
		expect(existsSync(marker)).toBe(false);
		const [entry] = await getAuditEvents(db, { type: 'security.git_unprotected' });
		expect(entry).toMatchObject({
			severity: 'security',
			metadata: { runId: 'run-1', reason: expect.stringContaining('stopped after') },
		});
	});

	it('keeps core.worktree only inside the writable paths', async () => {
		startRun();
		// A repository whose work tree is the user's home, with a .bashrc committed.
		const evil = gitInit(join(root, 'w'));
		writeFileSync(join(evil, '.bashrc'), `touch ${marker}\n`);
		userGit(evil, 'add', '.bashrc');
		userGit(evil, 'commit', '-q', '-m', 'x');
		userGit(evil, 'config', 'core.worktree', userHome);
		// A submodule-like one whose work tree is inside the writable paths: kept.
		const kept = gitInit(join(root, 'k'));
		userGit(kept, 'config', 'core.worktree', '..');

		const check = await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-1' });

		expect(check?.findings).toEqual([
			expect.objectContaining({
				path: join(evil, '.git', 'config'),
				unsafeKeys: ['core.worktree'],
			}),
		]);
		expect(userGit(kept, 'config', 'core.worktree').stdout.trim()).toBe('..');
		userGit(evil, 'reset', '-q', '--hard');
		expect(existsSync(join(userHome, '.bashrc'))).toBe(false);
	});

	it('lists at most 20 unsafe keys of a config, and counts them all', () => {
		const snapshot = startRun();
		const repo = gitInit(join(root, 'aliases'));
		const aliases = Array.from({ length: 30 }, (_, n) => `\ta${n} = !touch ${marker}\n`).join('');
		writeFileSync(join(repo, '.git', 'config'), `[alias]\n${aliases}`);
		const [finding] = checkGitDirs(snapshot).findings;
		expect(finding?.unsafeKeys).toHaveLength(20);
		expect(finding?.unsafeKeyCount).toBe(30);
	});

	it('disables the configs of new repositories past the parse budget whole, hooks first', () => {
		const snapshot = startRun();
		for (let n = 0; n < 203; n += 1) {
			const gitDir = join(root, 'tiny', `r${n}`, '.git');
			mkdirSync(join(gitDir, 'objects'), { recursive: true });
			mkdirSync(join(gitDir, 'refs'));
			mkdirSync(join(gitDir, 'hooks'));
			writeFileSync(join(gitDir, 'HEAD'), 'ref: refs/heads/main\n');
			writeFileSync(join(gitDir, 'config'), evilConfig());
			plantHook(join(gitDir, 'hooks', 'post-checkout'));
		}
		const all: GitFinding[] = [];
		const check = checkGitDirs(snapshot, undefined, (finding) => all.push(finding));
		expect(check.count).toBe(406);
		const kinds = all.map((finding) => finding.kind);
		// Every hook before any config.
		expect(kinds.lastIndexOf('hook')).toBeLessThan(kinds.indexOf('config'));
		// 200 parsed (their unsafe key named), 3 disabled whole, unread.
		const configs = all.filter((finding) => finding.kind === 'config');
		expect(configs.filter((finding) => finding.unsafeKeys?.length === 0)).toHaveLength(3);
		for (let n = 0; n < 203; n += 1) {
			expect(readFileSync(join(root, 'tiny', `r${n}`, '.git', 'config'), 'utf8')).not.toContain(
				'fsmonitor',
			);
		}
	}, 60_000);

	it('keeps the snapshot of a run not fully checked, so it is checked again (the daemon start: reconcileGitGuard.test.ts)', async () => {
		startRun('run-5');
		const planted = gitInit(join(root, 'p'));
		await finishGitGuard({
			db,
			home,
			agentId: 'agent',
			runId: 'run-5',
			process: { deadlineMs: 1 },
		});
		expect(existsSync(gitGuardSnapshotPath(home, 'agent', 'run-5'))).toBe(true);
		// Whatever the first check saw, the second sees what is there now.
		plantHook(join(planted, '.git', 'hooks', 'post-checkout'));
		const check = await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-5' });
		expect(check?.count).toBe(1);
		expect(existsSync(gitGuardSnapshotPath(home, 'agent', 'run-5'))).toBe(false);
	});

	it('escapes control characters of planted names in the run’s log', async () => {
		startRun();
		const repo = gitInit(join(root, 'forge'));
		plantHook(join(repo, '.git', 'hooks', 'x\ngit guard: all clear\u001b[2J'));
		await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-1' });
		const log = readFileSync(runLogPath(home, 'agent', 'run-1'), 'utf8');
		expect(log).not.toContain('\u001b');
		const lines = log.split('\n').filter((line) => line.includes('all clear'));
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain('was planted during the run');
	});

	it('never runs a git planted in the writable paths on the PATH', async () => {
		startRun();
		const bin = join(root, 'bin');
		mkdirSync(bin);
		writeFileSync(join(bin, 'git'), `#!/bin/sh\ntouch ${join(root, 'PLANTED')}\nexit 1\n`, {
			mode: 0o755,
		});
		const repo = gitInit(join(root, 'r'));
		writeFileSync(join(repo, '.git', 'config'), evilConfig());
		const path = process.env.PATH;
		process.env.PATH = `${bin}:${path}`;
		try {
			expect(trustedExecutable('git', process.env.PATH, [root])).not.toContain(root);
			await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-1' });
		} finally {
			process.env.PATH = path;
		}
		expect(existsSync(join(root, 'PLANTED'))).toBe(false);
		// Parsed by the real git: its safe entries kept.
		expect(readFileSync(join(repo, '.git', 'config'), 'utf8')).toContain('repositoryformatversion');
	});
});
