import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempHomeDb, type TempHomeDb } from '../testing/tempHomeDb.js';
import { END_TIME_SLACK_MS } from './checkGitDirs.js';
import { finishGitGuard, MAX_GIT_CHECK_ATTEMPTS } from './gitGuardRun.js';
import {
	gitGuardSnapshotPath,
	readGitGuardSnapshot,
	writeGitGuardSnapshot,
} from './gitGuardSnapshot.js';
import { protectGitDirs } from './protectGitDirs.js';

// A run whose check was incomplete is checked again at daemon starts
// (recheckGitGuards → finishGitGuard with retry): days later, perhaps.
let temp: TempHomeDb;
let db: AgentSpaceDb;
let writable: string;
const agentId = 'echo-agent';
// A check that cannot run (its program is missing): incomplete, changes nothing.
const broken = { process: { script: '/nonexistent/gitGuardCheckMain.js' } };

beforeEach(() => {
	temp = openTempHomeDb('git-guard-recheck');
	db = temp.db;
	writable = join(realpathSync(temp.home), 'writable');
	mkdirSync(writable);
});
afterEach(() => temp.cleanup());

const hook = (repo: string, name: string) => {
	const path = join(repo, '.git', 'hooks', name);
	writeFileSync(path, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
	return path;
};

describe('a check again', () => {
	it("disables the agent's hook and leaves a hook the user added after the run ended", async () => {
		const repo = join(writable, 'repo');
		mkdirSync(repo);
		execFileSync('git', ['init', '-q', repo]);
		writeGitGuardSnapshot(temp.home, agentId, 'run_a', protectGitDirs([writable]));
		const planted = hook(repo, 'post-checkout');
		// The run ends; its check cannot complete: the run's end is recorded.
		await finishGitGuard({ db, home: temp.home, agentId, runId: 'run_a', ...broken });
		const until = readGitGuardSnapshot(temp.home, agentId, 'run_a')?.until;
		expect(until).toBeTypeOf('number');
		// Later (past the slack), the user adds a hook of their own.
		while (Date.now() <= (until as number) + END_TIME_SLACK_MS + 200) await sleep(100);
		const users = hook(repo, 'pre-commit');

		await finishGitGuard({ db, home: temp.home, agentId, runId: 'run_a', retry: true });

		expect(existsSync(planted)).toBe(false);
		expect(existsSync(users)).toBe(true);
		const [entry] = await getAuditEvents(db, { type: 'security.git_neutralised' });
		expect(entry).toMatchObject({ metadata: { runId: 'run_a', count: 1 } });
		expect(existsSync(gitGuardSnapshotPath(temp.home, agentId, 'run_a'))).toBe(false);
	});

	it(`is given up after ${MAX_GIT_CHECK_ATTEMPTS} incomplete checks, said once`, async () => {
		writeGitGuardSnapshot(temp.home, agentId, 'run_b', protectGitDirs([writable]));
		const snapshot = gitGuardSnapshotPath(temp.home, agentId, 'run_b');
		for (let attempt = 1; attempt <= MAX_GIT_CHECK_ATTEMPTS; attempt += 1) {
			expect(existsSync(snapshot)).toBe(true);
			await finishGitGuard({
				db,
				home: temp.home,
				agentId,
				runId: 'run_b',
				retry: attempt > 1,
				...broken,
			});
		}
		expect(existsSync(snapshot)).toBe(false);
		const entries = await getAuditEvents(db, { type: 'security.git_unchecked' });
		expect(entries).toHaveLength(MAX_GIT_CHECK_ATTEMPTS);
		const final = entries.find((entry) => entry.metadata.final === true);
		expect(final).toMatchObject({
			severity: 'security',
			metadata: { runId: 'run_b', attempts: MAX_GIT_CHECK_ATTEMPTS, roots: [writable] },
		});
		expect(entries.filter((entry) => entry.metadata.final === true)).toHaveLength(1);
		// Nothing left to check: the next start neither checks nor audits it.
		await finishGitGuard({ db, home: temp.home, agentId, runId: 'run_b', retry: true });
		expect(await getAuditEvents(db, { type: 'security.git_unchecked' })).toHaveLength(
			MAX_GIT_CHECK_ATTEMPTS,
		);
	});
});
