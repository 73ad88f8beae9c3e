import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { countEvents } from '@agentspace/events';
import { createFixtureAgentRepo, createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cloneArguments } from './cloneArguments.js';
import { gitUrlProblem } from './gitUrlProblem.js';
import { installAgent } from './installAgent.js';
import { resolveInstallSource } from './installSource.js';
import { runGit } from './runGit.js';

// Each git-source rule with an input that it alone stops. The refusals in
// install.test.ts are each caught by several rules at once (an option with a
// space in it, a `transport::` that is no URL either), so removing any one
// rule went unnoticed; these tests fail when exactly that rule is removed.
const actor = { type: 'human', id: 'tester' } as const;
let temp: TempHome;
let home: string;
let scratch: string;
let db: AgentSpaceDb;
const cleanups: (() => void)[] = [];

beforeEach(() => {
	temp = createTempHome('git-rules');
	home = join(temp.home, 'home');
	scratch = join(temp.home, 'scratch');
	mkdirSync(scratch);
	db = openDb({ path: join(home, 'agentspace.db') });
});
afterEach(() => {
	closeDb(db);
	for (const cleanup of cleanups.splice(0)) cleanup();
	temp.cleanup();
});

async function refusal(source: string): Promise<{ code?: string; message: string }> {
	try {
		await installAgent({ db, home, actor, cwd: scratch, source });
	} catch (error) {
		return error as { code?: string; message: string };
	}
	throw new Error(`expected ${source} to be refused`);
}

async function expectNothingInstalled(): Promise<void> {
	expect(existsSync(join(home, 'agents')) ? readdirSync(join(home, 'agents')) : []).toEqual([]);
	expect(countEvents(db, undefined)).toBe(0);
	expect(await getAuditEvents(db)).toEqual([]);
}

describe('the leading "-" rule', () => {
	// A well-formed user@host:path whose user is an ssh option: no other rule
	// objects. Without this one, git is handed it and must refuse it itself.
	it.each(['-oProxyCommand@example.invalid:repo', '-F@example.invalid:x'])(
		'refuses %j, which only it stops',
		async (source) => {
			expect(gitUrlProblem(source)).toMatch(/must not start with "-"/);
			const error = await refusal(source);
			expect(error.code).toBe('VALIDATION_FAILED');
			expect(error.message).toMatch(/must not start with "-"/);
			await expectNothingInstalled();
		},
	);
});

describe('the "transport::" rule', () => {
	// No `transport::address` is a URL or user@host:path either, so the generic
	// shape rule refuses them too — but with a reason that hides the danger.
	// The refusal must name the real problem: a remote helper (ext:: runs a command).
	it.each([
		'ext::sh -c touch% /tmp/x',
		'ext::sh%20-c%20id',
		'fd::17',
		'EXT::x',
		'git-remote-x::anything',
		'-ext::x',
	])('refuses %j as a remote-helper address', (source) => {
		const problem = source.startsWith('-') ? /must not start with "-"/ : /remote-helper addresses/;
		expect(gitUrlProblem(source)).toMatch(problem);
		expect(() => resolveInstallSource(db, source, { cwd: scratch })).toThrow(problem);
	});
});

describe('the "--" before the source in git clone', () => {
	// Only `--` stops these: a directory whose name git would take for an
	// option. (install itself never hands git a relative path — it resolves
	// directories to absolute ones — so this is the last line, tested alone.)
	it.each(['--upload-pack=touch pwned', '-repo'])(
		'clones the directory %j as a repository, never reading it as an option',
		async (name) => {
			const origin = createFixtureAgentRepo();
			cleanups.push(origin.cleanup);
			execFileSync('git', ['clone', '--quiet', '--', origin.path, join(scratch, name)]);
			const checkout = join(temp.home, 'checkout');
			await runGit(cloneArguments({ location: name, kind: 'path' }, checkout), { cwd: scratch });
			expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: checkout, encoding: 'utf8' })).toBe(
				execFileSync('git', ['rev-parse', 'HEAD'], { cwd: origin.path, encoding: 'utf8' }),
			);
			expect(existsSync(join(scratch, 'pwned'))).toBe(false);
		},
	);

	it('ends the options right before the source', () => {
		for (const kind of ['url', 'path'] as const) {
			const args = cloneArguments({ location: '-x', kind }, '/tmp/checkout');
			expect(args.slice(-3)).toEqual(['--', '-x', '/tmp/checkout']);
			expect(args.indexOf('--')).toBe(args.length - 3);
		}
	});
});
