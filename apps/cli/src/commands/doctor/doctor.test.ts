import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMBEDDED_MIGRATIONS } from '@agentspace/db/testing';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../testCli.js';
import { checkNode } from './checks/checkNode.js';
import { checkSandbox } from './checks/checkSandbox.js';
import type { DoctorCheck } from './types.js';

// Every migration this build ships is applied to a fresh home.
const SCHEMA_VERSION = EMBEDDED_MIGRATIONS.length;

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('doctor');
});
afterEach(() => temp.cleanup());

interface DoctorReport {
	ok: boolean;
	home: string;
	checks: DoctorCheck[];
}

describe('agentspace doctor (end to end)', () => {
	it('sets up a fresh home and reports every check as JSON', () => {
		const home = join(temp.home, 'fresh');
		const { status, json } = runCliJson<DoctorReport>(home, ['doctor']);
		expect(status).toBe(0);
		expect(json.ok).toBe(true);
		expect(json.home).toBe(home);
		expect(json.checks.map((c) => c.id)).toEqual([
			'node',
			'home',
			'config',
			'database',
			'keychain',
			'keys',
			'git',
			'sandbox',
		]);
		const byId = Object.fromEntries(json.checks.map((c) => [c.id, c]));
		expect(byId.node?.data).toMatchObject({ version: process.versions.node });
		expect(byId.database?.data).toMatchObject({
			schemaVersion: SCHEMA_VERSION,
			latestSchemaVersion: SCHEMA_VERSION,
			journalMode: 'wal',
		});
		expect(byId.config?.data).toMatchObject({ created: true, securityMode: 'limited-control' });
		expect(['keychain', 'file']).toContain(byId.keychain?.data?.storage);
		if (byId.keychain?.data?.storage === 'file') {
			expect(byId.keychain.status).toBe('warn');
			expect(statSync(join(home, 'auth-token')).mode & 0o777).toBe(0o600);
		}
		expect(['keychain', 'file']).toContain(byId.keys?.data?.storage);
		if (byId.keys?.data?.storage === 'file') {
			expect(byId.keys.status).toBe('warn');
			expect(byId.keys.detail).toContain('file, not encrypted at rest');
		}
		expect(byId.sandbox?.data).toHaveProperty('available');
		for (const dir of ['', 'agents', 'logs', 'run'])
			expect(statSync(join(home, dir)).mode & 0o777).toBe(0o700);
		expect(statSync(join(home, 'config.json')).mode & 0o777).toBe(0o600);
		expect(statSync(join(home, 'agentspace.db')).mode & 0o777).toBe(0o600);

		// Creating the token was audited, without the token.
		const audit = runCliJson<{
			entries: Array<{ eventType: string; severity: string; metadata: object }>;
		}>(home, ['audit', 'list', '--type', 'auth_token_created']);
		expect(audit.json.entries).toHaveLength(1);
		const storage = byId.keychain?.data?.storage;
		expect(audit.json.entries[0]).toMatchObject({
			severity: storage === 'file' ? 'security' : 'info',
			metadata: { storage },
		});
		// A second run creates nothing new.
		expect(
			runCliJson<DoctorReport>(home, ['doctor']).json.checks.find((c) => c.id === 'keychain')?.data,
		).toMatchObject({ created: false });
		expect(
			runCliJson<{ count: number }>(home, ['audit', 'list', '--type', 'auth_token_created']).json
				.count,
		).toBe(1);
	});

	it('tightens a home that others can read, and says so', () => {
		chmodSync(temp.home, 0o755);
		const { status, json } = runCliJson<DoctorReport>(temp.home, ['doctor']);
		expect(status).toBe(0);
		const home = json.checks.find((c) => c.id === 'home');
		expect(home).toMatchObject({ status: 'warn', data: { tightened: [temp.home] } });
		expect(statSync(temp.home).mode & 0o777).toBe(0o700);
	});

	it('prints a readable report for people', () => {
		const result = runCli(temp.home, ['doctor'], { NO_COLOR: '1' });
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/AgentSpace doctor/);
		expect(result.stdout).toMatch(
			new RegExp(`✓ database\\s+.*schema version ${SCHEMA_VERSION}/${SCHEMA_VERSION}`),
		);
		expect(result.stdout).toMatch(/Ready\./);
		expect(result.stdout).not.toContain('\u001b[');
	});

	it('fails (exit 11) on an invalid config, naming the bad fields', () => {
		writeFileSync(
			join(temp.home, 'config.json'),
			JSON.stringify({ createdAt: 'x', securityMode: 'yolo' }),
		);
		const { status, json } = runCliJson<DoctorReport>(temp.home, ['doctor']);
		expect(status).toBe(11);
		expect(json.ok).toBe(false);
		const config = json.checks.find((c) => c.id === 'config');
		expect(config?.status).toBe('fail');
		expect(config?.detail).toMatch(/securityMode/);
		expect(config?.detail).toMatch(/createdAt/);
		// The other checks still ran.
		expect(json.checks.find((c) => c.id === 'database')?.status).toBe('ok');
	});
});

describe('doctor checks', () => {
	it.each([
		['20.19.0', 'ok'],
		['22.0.0', 'ok'],
		['24.11.1', 'ok'],
		['20.18.3', 'fail'],
		['18.20.0', 'fail'],
	] as const)('node %s is %s', (version, status) => {
		expect(checkNode(version).status).toBe(status);
	});

	it('reports an unsupported platform as a warning with a hint', () => {
		const check = checkSandbox('win32');
		expect(check).toMatchObject({ status: 'warn', data: { available: false } });
		expect(check.hint).toMatch(/--unsandboxed/);
	});

	describe('on Linux', () => {
		// Real executables in a private PATH stand in for the tools.
		function toolDir(tools: Record<string, string>): string {
			const dir = join(temp.home, 'bin');
			mkdirSync(dir, { recursive: true });
			for (const [name, body] of Object.entries(tools)) {
				writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
			}
			return dir;
		}

		it('names the missing tools and the packages that provide them', () => {
			const check = checkSandbox('linux', toolDir({ rg: 'exit 0' }));
			expect(check).toMatchObject({ status: 'warn', detail: 'missing: bwrap, socat' });
			expect(check.hint).toMatch(/apt-get install bubblewrap socat/);
		});

		it('warns when bubblewrap is present but cannot create a sandbox', () => {
			const dir = toolDir({
				bwrap: 'echo "setting up uid map: Permission denied" >&2; exit 1',
				socat: 'exit 0',
				rg: 'exit 0',
			});
			const check = checkSandbox('linux', dir);
			expect(check.status).toBe('warn');
			expect(check.detail).toMatch(
				/bubblewrap cannot create a sandbox: setting up uid map: Permission denied/,
			);
		});

		it('on macOS needs only sandbox-exec, as the launcher does (no ripgrep)', () => {
			expect(checkSandbox('darwin', toolDir({ 'sandbox-exec': 'exit 0' }))).toMatchObject({
				status: 'ok',
				data: { available: true },
			});
		});

		it('is ok when all three are present and bubblewrap works', () => {
			const check = checkSandbox(
				'linux',
				toolDir({ bwrap: 'exit 0', socat: 'exit 0', rg: 'exit 0' }),
			);
			expect(check).toMatchObject({ status: 'ok', data: { available: true } });
		});
	});
});
