// The harness's judgement of the suite's results: an unexpected failure, an
// unexpected pass (a stale expected-failures entry) and an expected failure
// the suite no longer has all fail the run; every entry must give its reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readExpectedFailures, scenarioOutcome, verdictOf } from './conformanceResults.mjs';

const ok = (scenario: string) => ({ scenario, failed: false, firstError: '' });
const bad = (scenario: string) => ({ scenario, failed: true, firstError: 'x: it broke' });

describe('expected failures', () => {
	it('reads each server entry with the reason on its line, and refuses one without', () => {
		const expected = readExpectedFailures(
			'# header\nserver:\n  - prompts-list  # no prompts capability\nclient:\n  - sse-retry  # n/a\n',
		);
		expect([...expected]).toEqual([['prompts-list', 'no prompts capability']]);
		expect(() => readExpectedFailures('server:\n  - prompts-list\n')).toThrow(
			/line 2: prompts-list has no reason/,
		);
		expect(() => readExpectedFailures('server:\n  prompts-list: yes\n')).toThrow(/line 2/);
	});

	it('the committed file: every entry has a reason, and none is listed twice', () => {
		const text = readFileSync(new URL('./expected-failures.yml', import.meta.url), 'utf8');
		const entries = text.split('\n').filter((line) => /^\s+-\s/.test(line));
		expect(readExpectedFailures(text).size).toBe(entries.length);
		// The scenarios a gateway can pass are never excused.
		for (const scenario of ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'])
			expect(readExpectedFailures(text).has(scenario)).toBe(false);
	});
});

describe('verdict', () => {
	const expected = new Map([['prompts-list', 'no prompts capability']]);

	it('passes when what fails is expected to and the rest passes', () => {
		const verdict = verdictOf([ok('ping'), bad('prompts-list')], expected, { all: true });
		expect(verdict.ok).toBe(true);
		expect(verdict.rows).toEqual([
			{ scenario: 'ping', label: 'pass', why: '' },
			{ scenario: 'prompts-list', label: 'expected failure', why: 'no prompts capability' },
		]);
		expect(verdict.summary).toBe('1 passed, 1 expected failures, 0 unexpected');
	});

	it('fails on an unexpected failure, naming its first failed check', () => {
		const verdict = verdictOf([bad('ping'), bad('prompts-list')], expected, { all: true });
		expect(verdict.ok).toBe(false);
		expect(verdict.rows[0]).toEqual({
			scenario: 'ping',
			label: 'UNEXPECTED FAILURE',
			why: 'x: it broke',
		});
	});

	it('fails on an unexpected pass (the entry is stale)', () => {
		const verdict = verdictOf([ok('ping'), ok('prompts-list')], expected, { all: true });
		expect(verdict.ok).toBe(false);
		expect(verdict.rows[1]).toMatchObject({ scenario: 'prompts-list', label: 'UNEXPECTED PASS' });
	});

	it('fails when an expected failure did not run in a whole-suite run, not in a one-scenario run', () => {
		expect(verdictOf([ok('ping')], expected, { all: true }).rows[1]).toMatchObject({
			scenario: 'prompts-list',
			label: 'NOT RUN',
		});
		expect(verdictOf([ok('ping')], expected, { all: false }).ok).toBe(true);
		// Nothing ran at all is never a pass.
		expect(verdictOf([], new Map(), { all: false }).ok).toBe(false);
	});

	it("reads a scenario's name from its result directory and counts a WARNING as failed, as the suite does", () => {
		const outcome = scenarioOutcome('server-server-sse-polling-2026-12-06T16-40-54-462Z', [
			{ id: 'a', status: 'SUCCESS' },
			{ id: 'b', status: 'INFO' },
			{ id: 'server-sse-retry-field', status: 'WARNING', errorMessage: 'no retry field\nmore' },
		]);
		expect(outcome).toEqual({
			scenario: 'server-sse-polling',
			failed: true,
			firstError: 'server-sse-retry-field: no retry field',
		});
		expect(
			scenarioOutcome('server-ping-2026-12-06T16-40-54-608Z', [{ id: 'p', status: 'SUCCESS' }]),
		).toEqual({ scenario: 'ping', failed: false, firstError: '' });
	});
});
