import { readFileSync } from 'node:fs';
import { REDACTED } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import type { GitRepo } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { parsePermission } from '../permissions/parsePermission.js';
import type { Permission } from '../permissions/types.js';
import { echoAgentSupervision } from '../testing/echoAgentSupervision.js';
import { installRunAgent } from '../testing/installRunAgent.js';
import { openTempHomeDb, type TempHomeDb } from '../testing/tempHomeDb.js';
import {
	looksLikePlainText,
	runEnvironment,
	runLogSecrets,
	runLogShowsVariable,
	secretVariable,
} from './runEnvironment.js';
import { type SupervisorStatus, superviseAgent } from './superviseAgent.js';

// What a run's log hides: the session token (no generic pattern knows it),
// the secrets, approved variables named like secrets or whose values do not
// look like plain text — and what it does not: an approved variable such as a
// name, which the demo greets.
const actor = { type: 'human', id: 'tester' } as const;
let temp: TempHomeDb;
let db: AgentSpaceDb;
let repo: GitRepo | undefined;
beforeEach(() => {
	temp = openTempHomeDb('run-log-redaction');
	db = temp.db;
});
afterEach(() => {
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
	it('lists the session token, each secret and each approved value but a plain one under a plain name', () => {
		const approved = permissions(
			'env:read:HELLO_NAME',
			'env:read:GITHUB_TOKEN',
			'env:read:STRIPE_KEY',
			'env:read:SLACK_WEBHOOK_URL',
			'env:read:SOME_VAR',
			'secret:read:deploy-key',
		);
		const env = runEnvironment({
			callerEnv: {
				HELLO_NAME: 'Ada Lovelace',
				GITHUB_TOKEN: 'plain-token-value',
				STRIPE_KEY: 'plain-stripe-value',
				SLACK_WEBHOOK_URL: 'https://hooks.example.com/services/T0/B0/XXXXXXXXXXXX',
				SOME_VAR: 'opaque1234567890abcdef',
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
				'https://hooks.example.com/services/T0/B0/XXXXXXXXXXXX',
				'opaque1234567890abcdef',
			].sort(),
		);
	});
});

describe('runEnvironment', () => {
	it("never lets an approved env:read: of an AGENTSPACE_* variable pass the caller's value", () => {
		// parsePermission refuses these now; an enablement recorded before may hold them.
		const approved: Permission[] = [
			{ domain: 'env', action: 'read', variable: 'AGENTSPACE_SESSION_TOKEN' },
			{ domain: 'env', action: 'read', variable: 'AGENTSPACE_SOCKET' },
			{ domain: 'env', action: 'read', variable: 'AGENTSPACE_SECRET_DEPLOY_KEY' },
			{ domain: 'env', action: 'read', variable: 'HELLO_NAME' },
			{ domain: 'secret', action: 'read', name: 'deploy-key' },
		];
		const env = runEnvironment({
			callerEnv: {
				AGENTSPACE_SESSION_TOKEN: 'callers-token',
				AGENTSPACE_SOCKET: '/tmp/callers.sock',
				AGENTSPACE_SECRET_DEPLOY_KEY: 'callers-secret',
				HELLO_NAME: 'Ada',
			},
			paths: agentPaths(temp.home, 'fixture'),
			agentId: 'fixture',
			runId: 'run_1',
			sessionToken: 'session-token-value',
			approved,
			secrets: {},
		});
		expect(env.AGENTSPACE_SESSION_TOKEN).toBe('session-token-value');
		expect(env.AGENTSPACE_SOCKET).toBeUndefined();
		expect(env.AGENTSPACE_SECRET_DEPLOY_KEY).toBeUndefined();
		expect(env.HELLO_NAME).toBe('Ada');
	});
});

// An approved env:read value is hidden unless its name does not look secret
// AND the value looks like plain text.
describe('runLogShowsVariable', () => {
	const GITHUB_LIKE = `ghp_abc123${'x9'.repeat(13)}`; // 36 characters, no known pattern needed
	it.each([
		['HELLO_NAME', 'Ada'],
		['HELLO_NAME', 'Ada Lovelace'],
		['GREETING', 'Hello, world!'],
		['USER_CITY', 'Zoë from Köln'],
		['EDITOR', 'vim'],
		['WORKDIR', '/home/ada/projects/demo'],
		['LOG_LEVEL', 'debug'],
		['PORT', '8080'],
		['DATABASE_URL', 'postgres://localhost:5432/app'],
		['SITE_URL', 'https://example.com/docs'],
		['BUILD_ID', '2026-12-06'],
		['LONG_WORDS', 'internationalization and localization'],
	])('shows %s=%j', (name, value) => {
		expect(runLogShowsVariable(name, value)).toBe(true);
	});

	it.each([
		// Named like a secret, whatever the value.
		['SLACK_WEBHOOK_URL', 'https://hooks.slack.com/services/T0/B0/XXXXXXXXXXXX'],
		['AZURE_STORAGE_CONNECTION_STRING', 'DefaultEndpointsProtocol=https;AccountName=a'],
		['JWT', 'short'],
		['GITHUB_TOKEN', 'Ada'],
		['SESSION_ID', 'abc'],
		['SIGNING_SALT', 'pepper'],
		['WALLET_MNEMONIC', 'abandon ability able about above absent'],
		['AZURE_SAS', 'sv=2022'],
		['HMAC_SECRET', 'x'],
		['COOKIE', 'a=b'],
		['AUTH', 'basic'],
		['TLS_CERT', 'plain'],
		// Not named like one, but the value is not plain text.
		['SOME_VAR', GITHUB_LIKE],
		['SOME_VAR', 'e3b0c44298fc1c149afbf4c8996fb924'],
		['SOME_VAR', 'E3B0C44298FC1C149AFBF4C8996FB924'],
		['SOME_VAR', 'dGhpcyBpcyBhIHNlY3JldCAxMjM0NQ=='],
		['DATABASE_URL', 'postgres://app:hunter2@db.internal:5432/app'],
		['MIRROR', 'https://ada:pw@example.com/'],
		['MIRROR', 'https://ada@example.com/'],
		['NOTE', 'x'.repeat(65)],
		['NOTE', 'line one\nline two'],
		['NOTE', 'tab\there'],
		['NOTE', 'say "hi"'],
		['NOTE', 'back\\slash'],
		['NOTE', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz'],
		['NOTE', 'Bearer abcdefgh12'],
		['NOTE', 'password=hunter2'],
	])('hides %s=%j', (name, value) => {
		expect(runLogShowsVariable(name, value)).toBe(false);
	});

	it('looksLikePlainText takes 64 characters and no more', () => {
		expect(looksLikePlainText('a'.repeat(64))).toBe(true);
		expect(looksLikePlainText('a'.repeat(65))).toBe(false);
	});
});

describe('the run log', () => {
	it('holds no session token, secret, secret-named or token-like approved value, and does show an approved name', async () => {
		repo = await installRunAgent({
			db,
			home: temp.home,
			actor,
			args: ['--every', '50', '--print-env'],
			permissions: [
				'env:read:HELLO_NAME',
				'env:read:DEPLOY_TOKEN',
				'env:read:SLACK_WEBHOOK_URL',
				'env:read:SOME_VAR',
			],
		});
		const lines: string[] = [];
		const statuses: SupervisorStatus[] = [];
		const supervisor = await superviseAgent(
			echoAgentSupervision(temp, actor, {
				// Values no credential pattern recognises: only the run's own list hides them.
				env: {
					PATH: process.env.PATH,
					HELLO_NAME: 'Ada Lovelace',
					DEPLOY_TOKEN: 'plain-deploy-1',
					SLACK_WEBHOOK_URL: 'https://hooks.example.com/services/T0/B0/XXXXXXXXXXXX',
					SOME_VAR: 'opaque1234567890abcdef',
				},
				onLine: (_stream, text) => lines.push(text),
				onStatus: (status) => statuses.push(status),
			}),
		);
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
		expect(printed.SLACK_WEBHOOK_URL).toBe(REDACTED);
		expect(printed.SOME_VAR).toBe(REDACTED);
		expect(printed.HELLO_NAME).toBe('Ada Lovelace');
		expect(log).not.toContain('plain-deploy-1');
		expect(log).not.toContain('XXXXXXXXXXXX');
		expect(log).not.toContain('opaque1234567890abcdef');
	});
});
