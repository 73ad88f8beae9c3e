import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordChange } from '../catalog/recordChange.js';
import { reconcileRuns } from '../supervisor/reconcileRuns.js';
import { type AgentScenario, agentScenario } from '../testing/agentScenario.js';
import { gitGuardSnapshotPath, writeGitGuardSnapshot } from './gitGuardSnapshot.js';
import { protectGitDirs } from './protectGitDirs.js';

// A supervisor that dies (kill -9 of the daemon or of a foreground run) never
// checks its run's git directories: the next daemon does, from the snapshot, in
// reconcileRuns (which @agentspace/daemon's supervisor service runs at start with the home).
const DAEMON = { type: 'system', id: 'agentspace-daemon' } as const;
const actor = { type: 'human', id: 'tester' } as const;
let temp: AgentScenario;
let db: AgentSpaceDb;

beforeEach(async () => {
	temp = await agentScenario({ label: 'git-guard-reconcile', actor, until: 'enabled' });
	db = temp.db;
});
afterEach(() => temp.cleanup());

describe('a lost run', () => {
	it('gets its end-of-run git check when the next daemon reconciles it', async () => {
		const writable = join(realpathSync(temp.home), 'writable');
		mkdirSync(writable);
		writeGitGuardSnapshot(temp.home, 'echo-agent', 'run_lost', protectGitDirs([writable]));
		const deadPid = 2 ** 22 + 12345; // above pid_max's default: never a live process
		recordChange(db, {
			actor,
			events: [
				{
					type: 'agent_run_started',
					fields: {
						agent_id: 'echo-agent',
						run_id: 'run_lost',
						pid: deadPid,
						sandboxed: true,
						restart_policy: 'no',
						attempt: 0,
						supervisor_pid: deadPid + 1,
					},
				},
			],
			audit: { eventType: 'agents.run_started', agentId: 'echo-agent', metadata: {} },
		});
		// What the agent planted before its supervisor died.
		const planted = join(writable, 'a', 'b', 'c');
		mkdirSync(planted, { recursive: true });
		execFileSync('git', ['init', '-q', planted]);
		writeFileSync(join(planted, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\nexit 0\n', {
			mode: 0o755,
		});

		await reconcileRuns(db, { actor: DAEMON, home: temp.home });

		expect(existsSync(join(planted, '.git', 'hooks', 'post-checkout'))).toBe(false);
		const [entry] = await getAuditEvents(db, { type: 'security.git_neutralised' });
		expect(entry).toMatchObject({
			severity: 'security',
			subject: { type: 'agent', id: 'echo-agent' },
			metadata: { runId: 'run_lost', count: 1 },
		});
		expect(existsSync(gitGuardSnapshotPath(temp.home, 'echo-agent', 'run_lost'))).toBe(false);
	});
});

describe('an ended run whose check was incomplete', () => {
	it('is checked again when the next daemon starts', async () => {
		const writable = join(realpathSync(temp.home), 'writable');
		mkdirSync(writable);
		writeGitGuardSnapshot(temp.home, 'echo-agent', 'run_unchecked', protectGitDirs([writable]));
		const deadPid = 2 ** 22 + 12346;
		const fields = { agent_id: 'echo-agent', run_id: 'run_unchecked' };
		recordChange(db, {
			actor,
			events: [
				{
					type: 'agent_run_started',
					fields: {
						...fields,
						pid: deadPid,
						sandboxed: true,
						restart_policy: 'no',
						attempt: 0,
						supervisor_pid: deadPid + 1,
					},
				},
				{
					type: 'agent_run_crashed',
					fields: { ...fields, exit_code: null, signal: null, reason: 'test' },
				},
			],
			audit: { eventType: 'agents.run_started', agentId: 'echo-agent', metadata: {} },
		});
		// The first check was stopped (its snapshot kept); the hook is still there.
		const planted = join(writable, 'a');
		mkdirSync(planted);
		execFileSync('git', ['init', '-q', planted]);
		writeFileSync(join(planted, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\nexit 0\n', {
			mode: 0o755,
		});

		await reconcileRuns(db, { actor: DAEMON, home: temp.home });

		expect(existsSync(join(planted, '.git', 'hooks', 'post-checkout'))).toBe(false);
		const [entry] = await getAuditEvents(db, { type: 'security.git_neutralised' });
		expect(entry).toMatchObject({ metadata: { runId: 'run_unchecked', count: 1 } });
		expect(existsSync(gitGuardSnapshotPath(temp.home, 'echo-agent', 'run_unchecked'))).toBe(false);
	});
});
