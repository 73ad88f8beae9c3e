import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConfigError, isConfigError, isValidationError } from '../errors.js';
import { defaultConfig } from './defaultConfig.js';
import { configExists, configPath, loadConfig } from './loadConfig.js';
import { saveConfig } from './saveConfig.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('config');
});
afterEach(() => temp.cleanup());

function writeConfig(content: unknown): string {
	const path = join(temp.home, 'config.json');
	writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
	return path;
}

function loadError(): ConfigError {
	try {
		loadConfig({ home: temp.home });
	} catch (error) {
		if (isConfigError(error)) return error;
		throw error;
	}
	throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
	it('returns the defaults for a fresh home, without creating a file', () => {
		const config = loadConfig({ home: temp.home });
		expect(config).toMatchObject({
			securityMode: 'limited-control',
			apiEndpoint: { host: '127.0.0.1', port: 3271 },
			scanRoots: ['~/Projects'],
			onboardingComplete: false,
		});
		expect(configExists({ home: temp.home })).toBe(false);
	});

	it('fills missing optional fields with their defaults', () => {
		writeConfig({ createdAt: '2026-01-01T00:00:00.000Z', securityMode: 'full-control' });
		expect(loadConfig({ home: temp.home })).toMatchObject({
			securityMode: 'full-control',
			apiEndpoint: { port: 3271 },
		});
	});

	it('lists every bad field with its path, not just the first', () => {
		writeConfig({
			securityMode: 'yolo',
			apiEndpoint: { host: '0.0.0.0', port: 70_000 },
			scanRoots: ['ok', ''],
			onboardingComplete: 'yes',
			createdAt: 'yesterday',
			colour: 'blue',
		});
		const error = loadError();
		expect(error.code).toBe('CONFIG_INVALID');
		expect(error.issues.map((issue) => issue.path).sort()).toEqual(
			[
				'apiEndpoint.host',
				'apiEndpoint.port',
				'colour',
				'createdAt',
				'onboardingComplete',
				'scanRoots[1]',
				'securityMode',
			].sort(),
		);
		expect(error.issues.find((issue) => issue.path === 'colour')?.message).toBe('unknown field');
		expect(error.message).toContain('apiEndpoint.port');
		expect(error.hint).toBeTruthy();
	});

	it('gives a config written before the tools section the tool router defaults', () => {
		writeConfig({ createdAt: '2026-01-01T00:00:00.000Z', securityMode: 'full-control' });
		expect(loadConfig({ home: temp.home }).tools).toEqual({
			callTimeoutMs: 60_000,
			callLogRetentionDays: 30,
			pingIntervalMs: 15_000,
		});
		writeConfig({ createdAt: '2026-01-01T00:00:00.000Z', tools: { callLogRetentionDays: 365 } });
		expect(loadConfig({ home: temp.home }).tools).toEqual({
			callTimeoutMs: 60_000,
			callLogRetentionDays: 365,
			pingIntervalMs: 15_000,
		});
		expect(defaultConfig().tools).toEqual({
			callTimeoutMs: 60_000,
			callLogRetentionDays: 30,
			pingIntervalMs: 15_000,
		});
	});

	it.each([
		[{ callTimeoutMs: 999 }, 'tools.callTimeoutMs', /at least 1000/],
		[{ callTimeoutMs: 3_600_001 }, 'tools.callTimeoutMs', /at most 3600000/],
		[{ callTimeoutMs: 1500.5 }, 'tools.callTimeoutMs', /whole number/],
		[{ callLogRetentionDays: 0 }, 'tools.callLogRetentionDays', /at least 1/],
		[{ callLogRetentionDays: 3651 }, 'tools.callLogRetentionDays', /at most 3650/],
		[{ callLogRetentionDays: '30' }, 'tools.callLogRetentionDays', /number/],
		[{ pingIntervalMs: 999 }, 'tools.pingIntervalMs', /at least 1000/],
		[{ pingIntervalMs: 600_001 }, 'tools.pingIntervalMs', /at most 600000/],
		[{ pingIntervalMs: 1500.5 }, 'tools.pingIntervalMs', /whole number/],
		[{ retention: 30 }, 'tools.retention', /unknown field/],
	])('refuses tools %j naming %s', (tools, path, message) => {
		writeConfig({ createdAt: '2026-01-01T00:00:00.000Z', tools });
		const error = loadError();
		expect(error.code).toBe('CONFIG_INVALID');
		expect(error.issues).toEqual([{ path, message: expect.stringMatching(message) }]);
	});

	it('accepts the bounds of the tools settings', () => {
		for (const tools of [
			{ callTimeoutMs: 1000, callLogRetentionDays: 1, pingIntervalMs: 1000 },
			{ callTimeoutMs: 3_600_000, callLogRetentionDays: 3650, pingIntervalMs: 600_000 },
		]) {
			writeConfig({ createdAt: '2026-01-01T00:00:00.000Z', tools });
			expect(loadConfig({ home: temp.home }).tools).toEqual(tools);
		}
	});

	it('reports a file that is not JSON as a ConfigError, not a SyntaxError', () => {
		writeConfig('{ "securityMode": ');
		const error = loadError();
		expect(error.message).toMatch(/not valid JSON/);
		expect(error.hint).toMatch(/delete it/);
	});
});

describe('saveConfig', () => {
	it('round-trips and writes mode 0600 with no temp file left behind', () => {
		const saved = saveConfig(
			{ home: temp.home },
			{ ...defaultConfig(), securityMode: 'full-control' },
		);
		expect(loadConfig({ home: temp.home })).toEqual(saved);
		expect(statSync(configPath({ home: temp.home })).mode & 0o777).toBe(0o600);
		expect(readdirSync(temp.home)).toEqual(['config.json']);
	});

	it('refuses an invalid config and leaves the existing file untouched', () => {
		const path = writeConfig({ createdAt: '2026-01-01T00:00:00.000Z' });
		const before = readFileSync(path, 'utf8');
		const bad = { ...defaultConfig(), apiEndpoint: { host: '127.0.0.1' as const, port: -1 } };
		let caught: unknown;
		try {
			saveConfig({ home: temp.home }, bad);
		} catch (error) {
			caught = error;
		}
		expect(isValidationError(caught)).toBe(true);
		expect(readFileSync(path, 'utf8')).toBe(before);
	});

	it('keeps the old file and removes its temp file when the rename fails', () => {
		// A directory where the file should be makes rename fail after the temp file is written.
		const target = join(temp.home, 'sub', 'config.json');
		mkdirSync(target, { recursive: true });
		writeFileSync(join(target, 'keep'), 'x');
		expect(() => saveConfig({ path: target }, defaultConfig())).toThrow();
		expect(readdirSync(join(temp.home, 'sub'))).toEqual(['config.json']);
		expect(existsSync(join(target, 'keep'))).toBe(true);
	});

	it('never lets a concurrent reader see a partial file (multi-process)', async () => {
		// A child process rewrites a large config 150 times while this process reads it. Every
		// rewrite fsyncs, so on a loaded shared machine this takes seconds: hence the explicit timeout.
		const path = configPath({ home: temp.home });
		const roots = Array.from({ length: 2000 }, (_, i) => `~/projects/${i}`);
		saveConfig({ path }, { ...defaultConfig(), scanRoots: roots });
		const writerScript = `
			const { saveConfig, defaultConfig } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
			const roots = Array.from({ length: 2000 }, (_, i) => '~/projects/' + i);
			for (let i = 0; i < 150; i++) saveConfig({ path: ${JSON.stringify(path)} }, { ...defaultConfig(), scanRoots: roots, onboardingComplete: i % 2 === 0 });
		`;
		const child = spawn(process.execPath, ['--input-type=module', '-e', writerScript], {
			stdio: 'inherit',
		});
		const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
		let reads = 0;
		let running = true;
		void done.then(() => {
			running = false;
		});
		while (running) {
			expect(loadConfig({ path }).scanRoots).toHaveLength(2000);
			reads += 1;
			await new Promise((resolve) => setImmediate(resolve));
		}
		expect(await done).toBe(0);
		expect(reads).toBeGreaterThan(10);
	}, 60_000);
});
