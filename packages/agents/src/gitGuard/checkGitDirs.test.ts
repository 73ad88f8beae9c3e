import { execFileSync, spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	realpathSync,
	renameSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLogPath } from '../logs/readRunLog.js';
import { CHANGE_TIME_SLACK_MS, checkGitDirs, DISABLED_SUFFIX } from './checkGitDirs.js';
import { finishGitGuard } from './gitGuardRun.js';
import { gitGuardSnapshotPath, writeGitGuardSnapshot } from './gitGuardSnapshot.js';
import { protectGitDirs } from './protectGitDirs.js';

let temp: TempHome;
let home: string;
let root: string;
let marker: string;

beforeEach(() => {
	temp = createTempHome('git-guard-check');
	home = realpathSync(temp.home);
	root = join(home, 'writable');
	marker = join(home, 'MARKER');
	mkdirSync(root);
});
afterEach(() => temp.cleanup());

function gitInit(dir: string): string {
	mkdirSync(dir, { recursive: true });
	execFileSync('git', ['init', '-q', dir]);
	return dir;
}

/** Runs git in `dir` as the user would (their identity, no special environment). */
function userGit(dir: string, ...args: string[]): void {
	spawnSync('git', ['-c', 'user.name=u', '-c', 'user.email=u@example.org', '-C', dir, ...args], {
		stdio: 'ignore',
	});
}

/** What an agent would plant: a hook or an fsmonitor command that touches the marker. */
const plantHook = (path: string) =>
	writeFileSync(path, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
const evilConfig = () =>
	`[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tfsmonitor = "touch ${marker}; false"\n[remote "origin"]\n\turl = https://example.org/x.git\n`;

/**
 * Waits until the file system's clock has moved far enough past `path`'s
 * change time that a run starting now sees it as older (nothing timed is asserted).
 */
function afterChangeOf(path: string): void {
	const before = statSync(path).ctimeMs;
	const probe = join(home, 'clock-probe');
	// +2: the run's start is Date.now(), whole milliseconds, while change times have nanoseconds.
	const after = before + CHANGE_TIME_SLACK_MS + 2;
	do writeFileSync(probe, String(Math.random()));
	while (statSync(probe).ctimeMs <= after);
}

/** The run starts now: scan, protect, snapshot. */
function startRun(runId = 'run-1', limits = {}) {
	const protection = protectGitDirs([root], limits);
	return writeGitGuardSnapshot(home, 'agent', runId, protection);
}

/** Every git command a user runs in a repository after the run. */
function exerciseRepo(dir: string): void {
	userGit(dir, 'status');
	userGit(dir, 'commit', '--allow-empty', '-q', '-m', 'after the run');
	userGit(dir, 'checkout', '-q', '-b', 'next');
	userGit(dir, 'checkout', '-q', '-');
}

describe('checkGitDirs', () => {
	it('neutralises a repository created during the run; repositories the sandbox protected are left alone', () => {
		const existing = gitInit(join(root, 'a', 'b', 'c', 'old'));
		const snapshot = startRun();
		// The agent: a new repository three levels down, with an fsmonitor and hooks.
		const planted = gitInit(join(root, 'x', 'y', 'new'));
		writeFileSync(join(planted, '.git', 'config'), evilConfig());
		for (const hook of ['post-checkout', 'pre-commit'])
			plantHook(join(planted, '.git', 'hooks', hook));

		const check = checkGitDirs(snapshot);

		const disabled = (path: string) => `${join(planted, '.git', path)}${DISABLED_SUFFIX}run-1`;
		expect(check.complete).toBe(true);
		expect(check.findings).toEqual(
			expect.arrayContaining([
				{
					path: join(planted, '.git', 'hooks', 'post-checkout'),
					kind: 'hook',
					quarantinedTo: disabled('hooks/post-checkout'),
				},
				{
					path: join(planted, '.git', 'config'),
					kind: 'config',
					quarantinedTo: disabled('config'),
					unsafeKeys: ['core.fsmonitor'],
					unsafeKeyCount: 1,
					replaced: true,
				},
			]),
		);
		expect(check.findings).toHaveLength(3);
		// Disabled where they were: kept for the user to look at, not executable.
		expect(statSync(disabled('hooks/pre-commit')).mode & 0o777).toBe(0o600);
		expect(readFileSync(disabled('config'), 'utf8')).toContain('fsmonitor');
		// The repository still works and keeps its remote; the samples git wrote stay.
		const config = readFileSync(join(planted, '.git', 'config'), 'utf8');
		expect(config).not.toContain('fsmonitor');
		expect(config).toContain('https://example.org/x.git');
		expect(existsSync(join(planted, '.git', 'hooks', 'pre-commit.sample'))).toBe(true);
		expect(
			readdirSync(join(existing, '.git')).filter((name) => name.includes(DISABLED_SUFFIX)),
		).toEqual([]);

		exerciseRepo(planted);
		exerciseRepo(existing);
		expect(existsSync(marker)).toBe(false);
	});

	it('leaves a repository created during the run alone when it plants nothing', () => {
		const snapshot = startRun();
		const made = gitInit(join(root, 'fresh'));
		execFileSync('git', ['-C', made, 'remote', 'add', 'origin', 'https://example.org/r.git']);
		expect(checkGitDirs(snapshot).findings).toEqual([]);
	});

	it('catches a git directory prepared before the run and renamed into place', () => {
		// Prepared earlier (no HEAD yet: not a git directory, nothing to find then).
		const stash = join(root, 'stash');
		mkdirSync(join(stash, 'hooks'), { recursive: true });
		plantHook(join(stash, 'hooks', 'post-checkout'));
		writeFileSync(join(stash, 'config'), evilConfig());
		afterChangeOf(join(stash, 'config'));
		const snapshot = startRun();
		mkdirSync(join(root, 'proj'));
		renameSync(stash, join(root, 'proj', '.git'));
		mkdirSync(join(root, 'proj', '.git', 'objects'));
		mkdirSync(join(root, 'proj', '.git', 'refs'));
		writeFileSync(join(root, 'proj', '.git', 'HEAD'), 'ref: refs/heads/main\n');

		expect(
			checkGitDirs(snapshot)
				.findings.map((finding) => finding.kind)
				.sort(),
		).toEqual(['config', 'hook']);
		exerciseRepo(join(root, 'proj'));
		expect(existsSync(marker)).toBe(false);
	});

	it('follows a commondir planted in a protected repository to the config it points at, and removes it', () => {
		const existing = gitInit(join(root, 'a', 'repo'));
		userGit(existing, 'commit', '--allow-empty', '-q', '-m', 'first');
		const snapshot = startRun();
		const evil = join(root, 'a', 'evil');
		mkdirSync(join(evil, 'hooks'), { recursive: true });
		writeFileSync(join(evil, 'config'), evilConfig());
		plantHook(join(evil, 'hooks', 'post-checkout'));
		writeFileSync(join(existing, '.git', 'commondir'), '../../evil\n');

		const check = checkGitDirs(snapshot);
		expect(check.findings.map((finding) => finding.path).sort()).toEqual([
			join(evil, 'config'),
			join(evil, 'hooks', 'post-checkout'),
			join(existing, '.git', 'commondir'),
		]);
		// The repository is its own again.
		exerciseRepo(existing);
		expect(existsSync(marker)).toBe(false);
		expect(spawnSync('git', ['-C', existing, 'log', '--oneline']).status).toBe(0);
	});

	it('replaces a symlinked hooks directory of a new repository', () => {
		const snapshot = startRun();
		mkdirSync(join(root, 'payload'));
		plantHook(join(root, 'payload', 'post-checkout'));
		const made = gitInit(join(root, 'linked'));
		execFileSync('rm', ['-r', join(made, '.git', 'hooks')]);
		symlinkSync(join(root, 'payload'), join(made, '.git', 'hooks'));
		expect(checkGitDirs(snapshot).findings).toEqual([
			expect.objectContaining({ path: join(made, '.git', 'hooks'), kind: 'hooks' }),
		]);
		exerciseRepo(made);
		expect(existsSync(marker)).toBe(false);
	});

	it('beyond the start scan’s bound, judges by change time: the user’s old hooks stay, planted ones go', () => {
		gitInit(join(root, 'near'));
		const far = gitInit(join(root, 'd1', 'd2', 'd3', 'far'));
		plantHook(join(far, '.git', 'hooks', 'pre-push'));
		const untouched = gitInit(join(root, 'd1', 'd2', 'd3', 'untouched'));
		plantHook(join(untouched, '.git', 'hooks', 'pre-push'));
		afterChangeOf(join(untouched, '.git', 'hooks', 'pre-push'));
		const snapshot = startRun('run-1', { maxEntries: 4 });
		expect(snapshot.complete).toBe(false);
		expect(snapshot.known).not.toContain(join(far, '.git'));
		plantHook(join(far, '.git', 'hooks', 'post-checkout'));

		const check = checkGitDirs(snapshot);
		expect(check.findings.map((finding) => finding.path)).toContain(
			join(far, '.git', 'hooks', 'post-checkout'),
		);
		expect(existsSync(join(untouched, '.git', 'hooks', 'pre-push'))).toBe(true);
		expect(check.findings.filter((finding) => finding.path.startsWith(untouched))).toEqual([]);
	});
});

describe('finishGitGuard', () => {
	let db: AgentSpaceDb;
	beforeEach(() => {
		db = openDb({ path: join(home, 'agentspace.db') });
	});
	afterEach(() => closeDb(db));

	it('audits what it neutralised as security, writes it in the run log, and checks a run once', async () => {
		startRun('run-9');
		const planted = gitInit(join(root, 'p', 'q', 'r'));
		plantHook(join(planted, '.git', 'hooks', 'post-checkout'));

		const check = await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-9' });
		expect(check?.findings).toHaveLength(1);
		const [entry] = await getAuditEvents(db, { type: 'security.git_neutralised' });
		expect(entry).toMatchObject({
			severity: 'security',
			subject: { type: 'agent', id: 'agent' },
			metadata: {
				runId: 'run-9',
				count: 1,
				neutralised: [
					expect.objectContaining({ path: join(planted, '.git', 'hooks', 'post-checkout') }),
				],
			},
		});
		expect(readFileSync(runLogPath(home, 'agent', 'run-9'), 'utf8')).toMatch(
			/system git guard: hook ".*post-checkout" was planted during the run: moved to "/,
		);
		expect(existsSync(gitGuardSnapshotPath(home, 'agent', 'run-9'))).toBe(false);
		expect(await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-9' })).toBeUndefined();
	});

	it('audits a check it could not make', async () => {
		mkdirSync(join(home, 'logs', 'agent'), { recursive: true });
		writeFileSync(gitGuardSnapshotPath(home, 'agent', 'run-8'), '{"version":1}');
		expect(await finishGitGuard({ db, home, agentId: 'agent', runId: 'run-8' })).toBeUndefined();
		const [entry] = await getAuditEvents(db, { type: 'security.git_unchecked' });
		expect(entry).toMatchObject({
			severity: 'security',
			metadata: { runId: 'run-8', reason: 'the check failed: the git guard snapshot is malformed' },
		});
	});
});
