import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliAsync, runCliJson } from '../../testCli.js';
import { parseConfigValue } from './configKeys.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('config-cli');
});
afterEach(() => temp.cleanup());

const configFile = () => join(temp.home, 'config.json');

describe('agentspace config (end to end)', () => {
	it('path prints where config.json lives', () => {
		expect(runCli(temp.home, ['config', 'path']).stdout.trim()).toBe(configFile());
		expect(runCliJson(temp.home, ['config', 'path']).json).toEqual({
			path: configFile(),
			exists: false,
		});
	});

	it('get shows the defaults on a fresh home, whole or by key', () => {
		const all = runCliJson(temp.home, ['config', 'get']);
		expect(all.status).toBe(0);
		expect(all.json).toMatchObject({
			securityMode: 'limited-control',
			apiEndpoint: { host: '127.0.0.1', port: 3271 },
		});
		expect(runCli(temp.home, ['config', 'get', 'apiEndpoint.port']).stdout.trim()).toBe('3271');
		expect(runCli(temp.home, ['config', 'get']).stdout).toMatch(/securityMode\s+limited-control/);
	});

	it('set securityMode writes the file (0600) and audits mode_changed', () => {
		const result = runCliJson(temp.home, ['config', 'set', 'securityMode', 'full-control']);
		expect(result.status).toBe(0);
		expect(result.json).toMatchObject({
			key: 'securityMode',
			from: 'limited-control',
			to: 'full-control',
			changed: true,
		});
		expect(JSON.parse(readFileSync(configFile(), 'utf8')).securityMode).toBe('full-control');
		expect(statSync(configFile()).mode & 0o777).toBe(0o600);

		const audit = runCliJson<{ entries: Array<Record<string, unknown>> }>(temp.home, [
			'audit',
			'list',
			'--type',
			'mode_changed',
		]);
		expect(audit.json.entries).toHaveLength(1);
		expect(audit.json.entries[0]).toMatchObject({
			eventType: 'mode_changed',
			severity: 'security',
			actor: { type: 'human' },
			subject: { type: 'config', id: 'securityMode' },
			sourceApp: 'agentspace-cli',
			metadata: { setting: 'securityMode', from: 'limited-control', to: 'full-control' },
		});
	});

	it('applies concurrent sets one after the other, losing none and auditing each (multi-process)', async () => {
		runCli(temp.home, ['config', 'get']);
		const sets = [
			['securityMode', 'full-control'],
			['onboardingComplete', 'true'],
			['apiEndpoint.port', '4100'],
			['scanRoots', '~/x'],
		];
		const results = await Promise.all(
			sets.map((args) => runCliAsync(temp.home, ['config', 'set', ...(args as [string, string])])),
		);
		for (const result of results) expect(result).toMatchObject({ status: 0, stderr: '' });
		const config = JSON.parse(readFileSync(configFile(), 'utf8'));
		expect(config).toMatchObject({
			securityMode: 'full-control',
			onboardingComplete: true,
			apiEndpoint: { port: 4100 },
			scanRoots: ['~/x'],
		});
		const audit = runCliJson<{ entries: Array<{ metadata: { setting: string } }> }>(temp.home, [
			'audit',
			'list',
		]);
		expect(audit.json.entries.map((e) => e.metadata.setting).sort()).toEqual(
			sets.map(([key]) => key).sort(),
		);
		expect(runCli(temp.home, ['audit', 'verify']).status).toBe(0);
	});

	it('set of an unchanged value writes and audits nothing', () => {
		runCli(temp.home, ['config', 'set', 'securityMode', 'full-control']);
		const again = runCliJson(temp.home, ['config', 'set', 'securityMode', 'full-control']);
		expect(again.json).toMatchObject({ changed: false });
		expect(runCliJson<{ count: number }>(temp.home, ['audit', 'list']).json.count).toBe(1);
	});

	it('set of other keys parses numbers and lists, and audits config_changed', () => {
		expect(runCli(temp.home, ['config', 'set', 'apiEndpoint.port', '4000']).status).toBe(0);
		expect(runCli(temp.home, ['config', 'set', 'scanRoots', '~/a, ~/b']).status).toBe(0);
		const config = JSON.parse(readFileSync(configFile(), 'utf8'));
		expect(config.apiEndpoint.port).toBe(4000);
		expect(config.scanRoots).toEqual(['~/a', '~/b']);
		const audit = runCliJson<{ entries: Array<{ eventType: string }> }>(temp.home, [
			'audit',
			'list',
		]);
		expect(audit.json.entries.map((e) => e.eventType)).toEqual([
			'config_changed',
			'config_changed',
		]);
	});

	it('gets and sets the tool router settings (a file without them has the defaults)', () => {
		writeFileSync(configFile(), JSON.stringify({ createdAt: '2026-01-01T00:00:00.000Z' }));
		expect(runCli(temp.home, ['config', 'get', 'tools.callTimeoutMs']).stdout.trim()).toBe('60000');
		expect(runCli(temp.home, ['config', 'get']).stdout).toMatch(
			/tools\.callLogRetentionDays\s+30\n/,
		);
		expect(runCli(temp.home, ['config', 'set', 'tools.callLogRetentionDays', '90']).status).toBe(0);
		expect(runCli(temp.home, ['config', 'set', 'tools.callTimeoutMs', '120000']).status).toBe(0);
		expect(runCli(temp.home, ['config', 'get', 'tools.pingIntervalMs']).stdout.trim()).toBe(
			'15000',
		);
		expect(runCli(temp.home, ['config', 'set', 'tools.pingIntervalMs', '5000']).status).toBe(0);
		expect(JSON.parse(readFileSync(configFile(), 'utf8')).tools).toEqual({
			callTimeoutMs: 120_000,
			callLogRetentionDays: 90,
			pingIntervalMs: 5000,
		});
		const audit = runCliJson<{ entries: Array<{ eventType: string; metadata: unknown }> }>(
			temp.home,
			['audit', 'list'],
		);
		expect(audit.json.entries.map((e) => e.metadata)).toEqual(
			expect.arrayContaining([
				{ setting: 'tools.callLogRetentionDays', from: 30, to: 90 },
				{ setting: 'tools.callTimeoutMs', from: 60_000, to: 120_000 },
				{ setting: 'tools.pingIntervalMs', from: 15_000, to: 5000 },
			]),
		);
	});

	it.each([
		[['securityMode', 'yolo'], /securityMode: Invalid option/],
		[['apiEndpoint.port', 'abc'], /apiEndpoint\.port: .*expected number/],
		[['apiEndpoint.port', '70000'], /apiEndpoint\.port/],
		[['apiEndpoint.host', '0.0.0.0'], /apiEndpoint\.host/],
		[['onboardingComplete', 'maybe'], /onboardingComplete: .*expected boolean/],
		[['tools.callTimeoutMs', '500'], /tools\.callTimeoutMs: must be at least 1000/],
		[['tools.callLogRetentionDays', '3651'], /tools\.callLogRetentionDays: must be at most 3650/],
		[['tools.pingIntervalMs', '999'], /tools\.pingIntervalMs: must be at least 1000/],
		[['tools.pingIntervalMs', '600001'], /tools\.pingIntervalMs: must be at most 600000/],
		[['colour', 'blue'], /unknown config key "colour"/],
		[['createdAt', '2026-01-01T00:00:00Z'], /createdAt is read-only/],
	])('set %j is refused (exit 7), changing nothing', (args, message) => {
		runCli(temp.home, ['config', 'set', 'securityMode', 'full-control']);
		const before = readFileSync(configFile(), 'utf8');
		const result = runCli(temp.home, ['config', 'set', ...args]);
		expect(result.status).toBe(7);
		expect(result.stderr).toMatch(/^error\[VALIDATION_FAILED\]/);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).toMatch(/hint: /);
		expect(readFileSync(configFile(), 'utf8')).toBe(before);
		expect(runCliJson<{ count: number }>(temp.home, ['audit', 'list']).json.count).toBe(1);
	});

	it('reports an invalid config file with every bad field and no stack trace (exit 6)', () => {
		writeFileSync(
			configFile(),
			JSON.stringify({ createdAt: 'nope', apiEndpoint: { port: 'x' }, extra: 1 }),
		);
		const result = runCli(temp.home, ['config', 'get']);
		expect(result.status).toBe(6);
		expect(result.stderr).toMatch(/^error\[CONFIG_INVALID\]/);
		for (const field of ['createdAt', 'apiEndpoint.port', 'extra'])
			expect(result.stderr).toContain(`- ${field}:`);
		expect(result.stderr).not.toMatch(/\n\s+at /);
		const json = runCliJson<{ error: { code: string; issues: unknown[] } }>(temp.home, [
			'config',
			'get',
		]);
		expect(json.json.error.code).toBe('CONFIG_INVALID');
		expect(json.json.error.issues).toHaveLength(3);
	});
});

describe('parseConfigValue', () => {
	it.each([
		[3271, '4000', 4000],
		[3271, '40.5', 40.5],
		[3271, 'abc', 'abc'],
		[false, 'true', true],
		[false, 'false', false],
		[false, 'yes', 'yes'],
		[['x'], '["a","b"]', ['a', 'b']],
		[['x'], 'a, b,,c', ['a', 'b', 'c']],
		['limited-control', 'full-control', 'full-control'],
	])('current %j, text %j → %j', (current, raw, expected) => {
		expect(parseConfigValue(current, raw)).toEqual(expected);
	});

	it('refuses a malformed JSON list', () => {
		expect(() => parseConfigValue([], '["a"')).toThrow(/not a JSON list/);
	});
});
