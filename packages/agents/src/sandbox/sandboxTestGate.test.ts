import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	createTempHome,
	isCi,
	SANDBOX_SKIP_LOG,
	sandboxSkipSummary,
	sandboxTestGate,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sandboxReadiness } from './sandboxReadiness.js';

// The gate the sandbox tests use (packages/testing), fed by the real readiness
// check on PATHs built for the test: what a fresh machine, a ready one and CI see.
let temp: TempHome;
let bin: string;
let log: string;

beforeEach(() => {
	temp = createTempHome('sandbox-gate');
	bin = join(temp.home, 'bin');
	mkdirSync(bin);
	log = join(temp.home, 'skips.jsonl');
});
afterEach(() => {
	vi.restoreAllMocks();
	temp.cleanup();
});

const fresh = () => sandboxReadiness({ PATH: bin }, 'linux');

describe('sandboxTestGate', () => {
	it('skips on a machine without bwrap, socat and rg, outside CI, and records why', () => {
		const gate = sandboxTestGate(fresh(), {
			file: '/repo/apps/cli/src/x.test.ts',
			env: { [SANDBOX_SKIP_LOG]: log },
		});
		expect(gate).toMatchObject({ run: false, missing: ['bwrap', 'socat', 'rg'] });
		expect(gate.hint).toContain('sudo apt-get install bubblewrap socat ripgrep');
		expect(JSON.parse(readFileSync(log, 'utf8'))).toMatchObject({
			file: '/repo/apps/cli/src/x.test.ts',
			missing: ['bwrap', 'socat', 'rg'],
		});
	});

	it.each([
		['true', true],
		['1', true],
		['yes', true],
		['false', false],
		['0', false],
		['', false],
	])('with CI=%j the tests run (and fail) instead of skipping: %s', (value, runs) => {
		const gate = sandboxTestGate(fresh(), { env: { CI: value, [SANDBOX_SKIP_LOG]: log } });
		expect(isCi({ CI: value })).toBe(runs);
		expect(gate.run).toBe(runs);
		expect(readFileSync(log, { encoding: 'utf8', flag: 'a+' }) !== '').toBe(!runs);
	});

	it('runs where the tools are installed, and records nothing', () => {
		for (const name of ['bwrap', 'socat', 'rg']) {
			writeFileSync(join(bin, name), '#!/bin/sh\n');
			chmodSync(join(bin, name), 0o755);
		}
		const gate = sandboxTestGate(fresh(), { env: { [SANDBOX_SKIP_LOG]: log } });
		expect(gate).toEqual({ run: true, missing: [], hint: undefined });
		expect(sandboxSkipSummary(log)).toBeUndefined();
	});

	it('says on stderr that it skipped when no skip log is set (a plain vitest run)', () => {
		const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		sandboxTestGate(fresh(), { file: 'file:///repo/src/y.test.ts', env: {} });
		expect(write).toHaveBeenCalledWith(
			expect.stringMatching(
				/^sandbox tests SKIPPED \(in y\.test\.ts\): bwrap, socat, rg not found/,
			),
		);
	});
});

describe('sandboxSkipSummary', () => {
	it('is one line: how many tests in how many files, what is missing and what installs it', () => {
		const env = { [SANDBOX_SKIP_LOG]: log };
		sandboxTestGate(fresh(), { file: '/repo/a.test.ts', env });
		sandboxTestGate(fresh(), { file: '/repo/b.test.ts', env });
		sandboxTestGate(fresh(), { file: '/repo/a.test.ts', env });
		// The vitest JSON report: skipped tests in gated files count; others do not.
		const report = join(temp.home, 'report.json');
		writeFileSync(
			report,
			JSON.stringify({
				testResults: [
					{
						name: '/repo/a.test.ts',
						assertionResults: [{ status: 'skipped' }, { status: 'passed' }, { status: 'skipped' }],
					},
					{ name: '/repo/b.test.ts', assertionResults: [{ status: 'skipped' }] },
					{ name: '/repo/other.test.ts', assertionResults: [{ status: 'skipped' }] },
				],
			}),
		);
		const summary = sandboxSkipSummary(log, [report, join(temp.home, 'no-such-report.json')]);
		expect(summary).toBeDefined();
		expect(summary).not.toContain('\n');
		expect(summary).toMatch(/^sandbox tests SKIPPED \(3 tests in 2 files\): bwrap, socat, rg/);
		expect(summary).toContain('sudo apt-get install bubblewrap socat ripgrep');
		expect(summary).toContain('CI=true');
	});

	it('is nothing when no test file skipped', () => {
		expect(sandboxSkipSummary(log)).toBeUndefined();
		writeFileSync(log, '');
		expect(sandboxSkipSummary(log)).toBeUndefined();
	});
});
