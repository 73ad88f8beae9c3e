import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDACTED } from '@agentspace/core';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import {
	createFixtureAgentRepo,
	createTempHome,
	FIXTURE_RUN_AGENT,
	fixtureAgentManifest,
	type GitRepo,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { enableAgent } from '../enable/enableAgent.js';
import { installAgent } from '../install/installAgent.js';
import { parsePermission } from '../permissions/parsePermission.js';
import type { Permission } from '../permissions/types.js';
import { runEnvironment, runLogSecrets, secretVariable } from './runEnvironment.js';
import { type SupervisorStatus, superviseAgent } from './superviseAgent.js';

// What a run's log hides: the session token (no generic pattern knows it),
// the secrets, approved variables named like secrets — and what it does not:
// an approved variable such as a name, which the demo greets.
const actor = { type: 'human', id: 'tester' } as const;
let temp: TempHome;
let db: AgentSpaceDb;
let repo: GitRepo | undefined;
beforeEach(() => {
	temp = createTempHome('run-log-redaction');
	db = openDb({ path: join(temp.home, 'agentspace.db') });
});
afterEach(() => {
	closeDb(db);
	repo?.cleanup();
	temp.cleanup();
});

function permissions(...texts: string[]): Permission[] {
	return texts.map((text) => {
		const parsed = parsePermission(text, { home: '/home/u', agentDir: '/a' });
		if (!parsed.ok) throw new Error(text);
		return parsed.value;
	});
}

describe('runLogSecrets', () => {
	it('lists the session token, each secret and each secret-named approved variable; not a name', () => {
		const approved = permissions(
			'env:read:HELLO_NAME',
			'env:read:GITHUB_TOKEN',
			'env:read:STRIPE_KEY',
			'secret:read:deploy-key',
		);
		const env = runEnvironment({
			callerEnv: {
				HELLO_NAME: 'Ada Lovelace',
				GITHUB_TOKEN: 'plain-token-value',
				STRIPE_KEY: 'plain-stripe-value',
				UNAPPROVED_TOKEN: 'never-passed',
			},
			paths: agentPaths(temp.home, 'fixture'),
			agentId: 'fixture',
			runId: 'run_1',
			sessionToken: 'session-token-value',
			approved,
			secrets: { 'deploy-key': 'deploy-secret-value' },
		});
		expect(env[secretVariable('deploy-key')]).toBe('deploy-secret-value');
		expect(runLogSecrets(env, approved).sort()).toEqual(
			[
				'session-token-value',
				'deploy-secret-value',
				'plain-token-value',
				'plain-stripe-value',
			].sort(),
		);
	});
});

describe('the run log', () => {
	it('holds no session token, secret-named value or secret, and does show an approved name', async () => {
		const { build: _build, ...manifest } = fixtureAgentManifest();
		repo = createFixtureAgentRepo({
			...manifest,
			build: undefined,
			entrypoint: { command: 'node', args: ['agent.mjs', '--every', '50', '--print-env'] },
			permissions: ['env:read:HELLO_NAME', 'env:read:DEPLOY_TOKEN'],
		});
		repo.commit({ 'agent.mjs': readFileSync(FIXTURE_RUN_AGENT, 'utf8') });
		await installAgent({ db, home: temp.home, source: repo.url, actor });
		enableAgent({ db, id: 'echo-agent', approve: 'all', actor });
		const lines: string[] = [];
		const statuses: SupervisorStatus[] = [];
		const supervisor = await superviseAgent({
			db,
			home: temp.home,
			id: 'echo-agent',
			actor,
			unsandboxed: true,
			// Values no credential pattern recognises: only the run's own list hides them.
			env: { PATH: process.env.PATH, HELLO_NAME: 'Ada Lovelace', DEPLOY_TOKEN: 'plain-deploy-1' },
			onLine: (_stream, text) => lines.push(text),
			onStatus: (status) => statuses.push(status),
		});
		while (!lines.some((line) => line.startsWith('tick 1'))) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		await supervisor.stop(2000);
		const started = statuses.find((status) => status.state === 'started');
		const log = readFileSync(started?.state === 'started' ? started.logPath : '', 'utf8');
		// The agent printed its environment as one JSON line: read it back from the file.
		const envLine = log.split('\n').find((line) => / stdout env \{/.test(line)) ?? '';
		const printed = JSON.parse(envLine.slice(envLine.indexOf('env {') + 4)) as Record<
			string,
			string
		>;
		expect(printed.AGENTSPACE_SESSION_TOKEN).toBe(REDACTED);
		expect(printed.DEPLOY_TOKEN).toBe(REDACTED);
		expect(printed.HELLO_NAME).toBe('Ada Lovelace');
		expect(log).not.toContain('plain-deploy-1');
	});
});
