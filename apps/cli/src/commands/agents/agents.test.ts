import { execFileSync, spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { closeDb, openDb } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import {
	createFixtureAgentRepo,
	createTempHome,
	fixtureAgentManifest,
	type GitRepo,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, runCliJson, spawnCli } from '../../testCli.js';

// End to end through the built binary: a real SQLite file, real git
// repositories, real build processes. `user` is the HOME the CLI sees, so
// `~/Projects` (the default scan root) and `~` in permissions are ours.
let temp: TempHome;
let user: TempHome;
let repo: GitRepo;
let env: Record<string, string>;
beforeEach(() => {
	temp = createTempHome('agents-cli');
	user = createTempHome('agents-user');
	repo = createFixtureAgentRepo();
	env = { HOME: user.home };
});
afterEach(() => {
	temp.cleanup();
	user.cleanup();
	repo.cleanup();
});

const cli = (...args: string[]) => runCli(temp.home, args, env);
const cliJson = <T = Record<string, unknown>>(...args: string[]) =>
	runCliJson<T>(temp.home, args, env);

function agentEvents(id = 'echo-agent'): string[] {
	const db = openDb({ path: join(temp.home, 'agentspace.db') });
	try {
		return queryEvents(db, { stream_id: `agent:${id}` }).map((e) => e.type);
	} finally {
		closeDb(db);
	}
}

/** The entries under <home>/agents (installed checkouts, and any leftovers). */
function agentDirs(): string[] {
	const dir = join(temp.home, 'agents');
	return existsSync(dir) ? readdirSync(dir) : [];
}

describe('agents: the lifecycle end to end', () => {
	it('discover → install → build → enable → check, every step audited and the chain intact', () => {
		// The author's working copy sits in ~/Projects, where discover looks by default.
		const project = join(user.home, 'Projects', 'echo');
		mkdirSync(project, { recursive: true });
		writeFileSync(join(project, 'agentspace.agent.json'), JSON.stringify(fixtureAgentManifest()));

		const discovered = cliJson<{ agents: { id: string; outcome: string }[] }>('agents', 'discover');
		expect(discovered.status).toBe(0);
		expect(discovered.json.agents).toEqual([
			expect.objectContaining({ id: 'echo-agent', outcome: 'new' }),
		]);
		expect(cli('agents', 'discover').stdout).toMatch(/echo-agent\s+1\.0\.0\s+unchanged/);

		const installed = cliJson<{ id: string; commit: string; hasBuildSteps: boolean }>(
			'agents',
			'install',
			repo.url,
			'--ref',
			'v1',
		);
		expect(installed.status, installed.stderr).toBe(0);
		expect(installed.json.commit).toBe(repo.git('rev-parse', 'v1'));
		expect(installed.json.hasBuildSteps).toBe(true);
		expect(existsSync(join(temp.home, 'agents', 'echo-agent', 'src', 'build.mjs'))).toBe(true);
		// Installing ran nothing: the build's output does not exist yet.
		expect(existsSync(join(temp.home, 'agents', 'echo-agent', 'src', 'dist'))).toBe(false);

		const notBuilt = cli('agents', 'check', 'echo-agent');
		expect(notBuilt.status).toBe(5); // not enabled comes first
		expect(notBuilt.stderr).toMatch(/error\[PERMISSION_DENIED\].*not enabled/);

		const built = cli('agents', 'build', 'echo-agent', '--yes');
		expect(built.status, built.stderr).toBe(0);
		expect(built.stdout).toContain('1. "node" "build.mjs"');
		expect(built.stdout).toMatch(/execute the agent’s own code/);
		expect(existsSync(join(temp.home, 'agents', 'echo-agent', 'src', 'dist', 'agent.mjs'))).toBe(
			true,
		);
		expect(readFileSync(join(temp.home, 'logs', 'echo-agent', 'build.log'), 'utf8')).toContain(
			'built dist/agent.mjs',
		);

		const enabled = cliJson<{ approved: string[]; denied: string[] }>(
			'agents',
			'enable',
			'echo-agent',
			'--approve',
			'filesystem:read:~/notes/today.md,env:read:ECHO_GREETING',
		);
		expect(enabled.status, enabled.stderr).toBe(0);
		expect(enabled.json.approved).toEqual([
			`filesystem:read:${join(user.home, 'notes', 'today.md')}`,
			'env:read:ECHO_GREETING',
		]);
		expect(enabled.json.denied).toContain('network:egress:api.example.com:443');

		const ready = cliJson<{ runnable: boolean; approved: string[] }>(
			'agents',
			'check',
			'echo-agent',
		);
		expect(ready.status, ready.stderr).toBe(0);
		expect(ready.json.runnable).toBe(true);
		expect(ready.json.approved).toHaveLength(2);

		const list = cliJson<{
			agents: { id: string; status: string; buildStatus: string; approval: string }[];
		}>('agents', 'list');
		expect(list.json.agents).toEqual([
			expect.objectContaining({
				id: 'echo-agent',
				status: 'enabled',
				buildStatus: 'built',
				approval: 'approved',
			}),
		]);
		const table = cli('agents', 'list').stdout;
		expect(table).toMatch(/ID\s+NAME\s+VERSION\s+STATUS\s+BUILD\s+APPROVAL/);
		expect(table).toMatch(
			/echo-agent\s+Echo agent\s+1\.0\.0\s+enabled\s+built\s+approved \(2\/3\)/,
		);

		// The author's copy changing does not touch the installed agent's approval.
		writeFileSync(
			join(project, 'agentspace.agent.json'),
			JSON.stringify({ ...fixtureAgentManifest(), permissions: ['process:spawn'] }),
		);
		const rescan = cliJson<{ ignored: { path: string }[] }>('agents', 'discover');
		expect(rescan.json.ignored.map((i) => i.path)).toEqual([
			join(project, 'agentspace.agent.json'),
		]);
		expect(cli('agents', 'check', 'echo-agent').status).toBe(0);

		expect(cli('agents', 'revoke', 'echo-agent', '--reason', 'testing').status).toBe(0);
		expect(cli('agents', 'check', 'echo-agent').status).toBe(5);
		const uninstalled = cli('agents', 'uninstall', 'echo-agent', '--yes');
		expect(uninstalled.status, uninstalled.stderr).toBe(0);
		expect(agentDirs()).toEqual([]);
		expect(cliJson<{ count: number }>('agents', 'list').json.count).toBe(0);
		expect(
			cliJson<{ agents: { status: string }[] }>('agents', 'list', '--all').json.agents[0]?.status,
		).toBe('uninstalled');

		expect(agentEvents()).toEqual([
			'agent_discovered',
			'agent_installed',
			'agent_build_started',
			'agent_built',
			'agent_enabled',
			'agent_permissions_revoked',
			'agent_uninstalled',
		]);
		const audit = cliJson<{ entries: { eventType: string; metadata: Record<string, unknown> }[] }>(
			'audit',
			'list',
			'--limit',
			'100',
		);
		expect(audit.json.entries.map((e) => e.eventType).reverse()).toEqual([
			'agents.discovered',
			'agents.installed',
			'agents.build_started',
			'agents.built',
			'agents.enabled',
			'agents.revoked',
			'agents.uninstalled',
		]);
		const buildStarted = audit.json.entries.find((e) => e.eventType === 'agents.build_started');
		expect(buildStarted?.metadata.codeExecution).toBe(true);
		const verify = cli('audit', 'verify');
		expect(verify.status, verify.stdout + verify.stderr).toBe(0);
	});

	it('reports drift when the checkout’s manifest changes after approval, and again after a re-install with new permissions', () => {
		expect(cli('agents', 'install', repo.url).status).toBe(0);
		expect(cli('agents', 'build', 'echo-agent', '--yes').status).toBe(0);
		expect(cli('agents', 'enable', 'echo-agent', '--all').status).toBe(0);
		expect(cli('agents', 'check', 'echo-agent').status).toBe(0);

		// Edited on disk behind the catalogue's back: drift, found by reading the file.
		const manifestPath = join(temp.home, 'agents', 'echo-agent', 'src', 'agentspace.agent.json');
		const original = readFileSync(manifestPath, 'utf8');
		writeFileSync(
			manifestPath,
			JSON.stringify({ ...JSON.parse(original), description: 'changed' }),
		);
		const drifted = cli('agents', 'check', 'echo-agent');
		expect(drifted.status).toBe(5);
		expect(drifted.stderr).toMatch(/error\[PERMISSION_DRIFT\]/);
		expect(drifted.stderr).toMatch(/hint: .*agentspace agents enable echo-agent/);
		writeFileSync(manifestPath, original);
		expect(cli('agents', 'check', 'echo-agent').status).toBe(0);

		// A new version requesting more: the install says so, and the check refuses until re-enabled.
		repo.commit({
			'agentspace.agent.json': {
				...fixtureAgentManifest(),
				version: '2.0.0',
				permissions: ['filesystem:read:~/notes', 'process:spawn'],
			},
		});
		repo.tag('v2');
		const upgraded = cliJson<{ permissionsChanged: boolean; previousCommit: string }>(
			'agents',
			'install',
			'echo-agent',
			'--ref',
			'v2',
		);
		expect(upgraded.status, upgraded.stderr).toBe(0);
		expect(upgraded.json.permissionsChanged).toBe(true);
		expect(upgraded.json.previousCommit).toBe(repo.git('rev-parse', 'v1'));
		expect(cli('agents', 'install', 'echo-agent', '--ref', 'v2').stdout).toMatch(
			/requested permissions changed since it was approved: the next run needs re-approval/,
		);
		const check = cli('agents', 'check', 'echo-agent');
		expect(check.status).toBe(5);
		expect(check.stderr).toMatch(/PERMISSION_DRIFT.*process:spawn/);
		expect(cliJson<{ approval: string }>('agents', 'info', 'echo-agent').json.approval).toBe(
			'drifted',
		);
		expect(cli('agents', 'enable', 'echo-agent', '--all').status).toBe(0);
		// Re-installed, so it needs building again.
		const unbuilt = cli('agents', 'check', 'echo-agent');
		expect(unbuilt.status).toBe(4);
		expect(unbuilt.stderr).toMatch(/not built/);
		expect(cli('agents', 'build', 'echo-agent', '--yes').status).toBe(0);
		expect(cli('agents', 'check', 'echo-agent').status).toBe(0);
	});
});

describe('agents: refusing bad input, changing nothing', () => {
	it.each([
		['--upload-pack=touch /tmp/agentspace-pwned', []],
		['-oProxyCommand=touch /tmp/agentspace-pwned', []],
		['ext::sh -c touch% /tmp/agentspace-pwned', []],
		['fd::17', []],
		['http://example.com/echo.git', []],
		['git://example.com/echo.git', []],
		['https://bob:ghp_token1234567890@example.com/echo.git', []],
	])('refuses the source %s', (source) => {
		const result = cli('agents', 'install', '--', source);
		expect(result.status).toBe(7);
		expect(result.stderr).toMatch(/error\[VALIDATION_FAILED\]: cannot install from/);
		expect(existsSync('/tmp/agentspace-pwned')).toBe(false);
		expect(agentDirs()).toEqual([]);
	});

	it.each([
		'--output=/tmp/agentspace-pwned',
		'-b',
		'HEAD..main',
		'main^',
		'@{-1}',
		'v1:agentspace.agent.json',
	])('refuses the ref %s', (ref) => {
		const result = cli('agents', 'install', repo.url, `--ref=${ref}`);
		expect(result.status).toBe(7);
		expect(result.stderr).toMatch(/error\[VALIDATION_FAILED\]: invalid --ref/);
		expect(existsSync('/tmp/agentspace-pwned')).toBe(false);
		expect(agentDirs()).toEqual([]);
	});

	it('shows "no build" for an agent without build steps, and "not built" for one that has them', () => {
		const plain = createFixtureAgentRepo({ id: 'plain', build: undefined });
		try {
			expect(cli('agents', 'install', plain.url).status).toBe(0);
			expect(cli('agents', 'install', repo.url).status).toBe(0);
			const project = join(user.home, 'Projects', 'found');
			mkdirSync(project, { recursive: true });
			writeFileSync(
				join(project, 'agentspace.agent.json'),
				JSON.stringify({ ...fixtureAgentManifest(), id: 'found', build: undefined }),
			);
			expect(cli('agents', 'discover').status).toBe(0);

			const list = cliJson<{
				agents: { id: string; buildStatus: string; buildNeeded: unknown; buildState: unknown }[];
			}>('agents', 'list');
			expect(
				list.json.agents.map(({ id, buildStatus, buildNeeded, buildState }) => ({
					id,
					buildStatus,
					buildNeeded,
					buildState,
				})),
			).toEqual([
				{ id: 'echo-agent', buildStatus: 'none', buildNeeded: true, buildState: 'not built' },
				{ id: 'found', buildStatus: 'none', buildNeeded: false, buildState: 'no build' },
				{ id: 'plain', buildStatus: 'none', buildNeeded: false, buildState: 'no build' },
			]);
			const table = cli('agents', 'list').stdout;
			expect(table).toMatch(/echo-agent\s.*\sinstalled\s+not built\s/);
			expect(table).toMatch(/found\s.*\sdiscovered\s+no build\s/);
			expect(table).toMatch(/plain\s.*\sinstalled\s+no build\s/);
			expect(cli('agents', 'info', 'plain').stdout).toMatch(/build\s+no build\n/);
			expect(cli('agents', 'info', 'echo-agent').stdout).toMatch(/build\s+not built\n/);
			expect(cliJson<{ buildNeeded: unknown }>('agents', 'info', 'plain').json.buildNeeded).toBe(
				false,
			);

			// A checkout whose manifest no longer is the recorded one says nothing it cannot know.
			writeFileSync(
				join(temp.home, 'agents', 'plain', 'src', 'agentspace.agent.json'),
				JSON.stringify({ ...fixtureAgentManifest(), id: 'plain' }),
			);
			expect(cliJson<{ buildNeeded: unknown }>('agents', 'info', 'plain').json.buildNeeded).toBe(
				null,
			);
			expect(cli('agents', 'info', 'plain').stdout).toMatch(/build\s+not built\n/);
		} finally {
			plain.cleanup();
		}
	});

	it('refuses a manifest whose id contains ".." (install and discover)', () => {
		repo.commit({ 'agentspace.agent.json': { ...fixtureAgentManifest(), id: 'a..b' } });
		const result = cli('agents', 'install', repo.url);
		expect(result.status).toBe(7);
		expect(result.stderr).toMatch(/id: must not contain "\.\."/);
		expect(agentDirs()).toEqual([]);

		const project = join(user.home, 'Projects', 'dots');
		mkdirSync(project, { recursive: true });
		writeFileSync(
			join(project, 'agentspace.agent.json'),
			JSON.stringify({ ...fixtureAgentManifest(), id: '../escape' }),
		);
		const scan = cliJson<{ invalid: { path: string; errors: { path: string }[] }[] }>(
			'agents',
			'discover',
		);
		expect(scan.status).toBe(0);
		expect(scan.json.invalid[0]?.path).toBe(join(project, 'agentspace.agent.json'));
		expect(scan.json.invalid[0]?.errors.map((e) => e.path)).toContain('id');
	});

	it('reports a manifest whose permission holds a newline, catalogues the others, and install names the field', () => {
		const projects = join(user.home, 'Projects');
		const bad = join(projects, 'b-bad', 'agentspace.agent.json');
		for (const [dir, manifest] of [
			['a-first', { ...fixtureAgentManifest(), id: 'first' }],
			[
				'b-bad',
				{ ...fixtureAgentManifest(), id: 'bad', permissions: ['filesystem:read:/tmp\n/etc'] },
			],
			['c-second', { ...fixtureAgentManifest(), id: 'second' }],
		] as const) {
			mkdirSync(join(projects, dir), { recursive: true });
			writeFileSync(join(projects, dir, 'agentspace.agent.json'), JSON.stringify(manifest));
		}
		const scan = cliJson<{
			agents: { id: string; outcome: string }[];
			invalid: { path: string; errors: { path: string; message: string }[] }[];
		}>('agents', 'discover');
		expect(scan.status).toBe(0);
		expect(scan.json.agents.map((a) => [a.id, a.outcome])).toEqual([
			['first', 'new'],
			['second', 'new'],
		]);
		expect(scan.json.invalid).toEqual([
			{
				path: bad,
				errors: [
					{
						path: 'permissions[0]',
						message: expect.stringMatching(/must not contain control characters/),
					},
				],
			},
		]);
		const text = cli('agents', 'discover');
		expect(text.stdout).toMatch(/invalid manifest .*b-bad/);
		expect(text.stdout).toMatch(/permissions\[0\]/);
		expect(
			cliJson<{ agents: { id: string }[] }>('agents', 'list').json.agents.map((a) => a.id),
		).toEqual(['first', 'second']);

		repo.commit({
			'agentspace.agent.json': {
				...fixtureAgentManifest(),
				permissions: ['filesystem:read:/tmp\n/etc'],
			},
		});
		const install = cli('agents', 'install', repo.url);
		expect(install.status).toBe(7);
		expect(install.stderr).toMatch(/not a valid manifest/);
		expect(install.stderr).toMatch(/permissions\[0\]: .*must not contain control characters/);
		expect(install.stderr).not.toMatch(/event/);
		expect(agentDirs()).toEqual([]);
	});

	it('refuses a 10 MB manifest without reading it, and keeps scanning', () => {
		const big = join(user.home, 'Projects', 'big');
		const good = join(user.home, 'Projects', 'good');
		mkdirSync(big, { recursive: true });
		mkdirSync(good, { recursive: true });
		writeFileSync(
			join(big, 'agentspace.agent.json'),
			`{"id":"big","pad":"${'x'.repeat(10 * 1024 * 1024)}"}`,
		);
		writeFileSync(join(good, 'agentspace.agent.json'), JSON.stringify(fixtureAgentManifest()));
		const scan = cliJson<{
			agents: { id: string }[];
			invalid: { errors: { message: string }[] }[];
		}>('agents', 'discover');
		expect(scan.json.invalid[0]?.errors[0]?.message).toMatch(/10485\d+ bytes; the limit is 262144/);
		expect(scan.json.agents.map((a) => a.id)).toEqual(['echo-agent']);

		repo.commit({ 'agentspace.agent.json': `{"pad":"${'x'.repeat(10 * 1024 * 1024)}"}` });
		const install = cli('agents', 'install', repo.url);
		expect(install.status).toBe(7);
		expect(install.stderr).toMatch(/the limit is 262144/);
		expect(agentDirs()).toEqual([]);
	});

	it('does not follow a symlink out of a scan root', () => {
		const outside = join(user.home, 'elsewhere');
		mkdirSync(outside, { recursive: true });
		writeFileSync(join(outside, 'agentspace.agent.json'), JSON.stringify(fixtureAgentManifest()));
		const root = join(user.home, 'Projects');
		mkdirSync(root, { recursive: true });
		symlinkSync(outside, join(root, 'link-to-dir'));
		mkdirSync(join(root, 'file-link'));
		symlinkSync(
			join(outside, 'agentspace.agent.json'),
			join(root, 'file-link', 'agentspace.agent.json'),
		);
		const scan = cliJson<{ agents: unknown[]; skipped: { path: string; reason: string }[] }>(
			'agents',
			'discover',
		);
		expect(scan.json.agents).toEqual([]);
		expect(scan.json.skipped.map((s) => s.path).sort()).toEqual([
			join(root, 'file-link', 'agentspace.agent.json'),
			join(root, 'link-to-dir'),
		]);
		expect(scan.json.skipped[0]?.reason).toMatch(/outside the scan root/);
		expect(cliJson<{ count: number }>('agents', 'list').json.count).toBe(0);
	});

	it('refuses to build without --yes when not on a terminal, and runs nothing', () => {
		expect(cli('agents', 'install', repo.url).status).toBe(0);
		const result = cli('agents', 'build', 'echo-agent');
		expect(result.status).toBe(5);
		expect(result.stderr).toMatch(
			/error\[PERMISSION_DENIED\]: building runs the agent’s code and needs your confirmation/,
		);
		expect(result.stderr).toMatch(/--yes/);
		expect(existsSync(join(temp.home, 'agents', 'echo-agent', 'src', 'dist'))).toBe(false);
		expect(agentEvents()).toEqual(['agent_installed']);
		const denied = cliJson<{ entries: { metadata: Record<string, unknown> }[] }>(
			'audit',
			'list',
			'--type',
			'security.denied',
		);
		expect(denied.json.entries.map((e) => e.metadata.action)).toEqual(['agents.build']);
		// --json gets the error as a document on stdout.
		const json = cli('agents', 'build', 'echo-agent', '--json');
		expect(JSON.parse(json.stdout).error.code).toBe('PERMISSION_DENIED');
	});

	it('refuses to approve a permission the manifest does not request, naming it, and audits the refusal', () => {
		expect(cli('agents', 'install', repo.url).status).toBe(0);
		const result = cli(
			'agents',
			'enable',
			'echo-agent',
			'--approve',
			'env:read:ECHO_GREETING,network:egress:evil.example.net',
		);
		expect(result.status).toBe(5);
		expect(result.stderr).toMatch(/does not request: network:egress:evil\.example\.net/);
		expect(agentEvents()).toEqual(['agent_installed']);
		const denied = cliJson<{ entries: { eventType: string; severity: string }[] }>(
			'audit',
			'list',
			'--type',
			'security.denied',
		);
		expect(denied.json.entries).toEqual([expect.objectContaining({ severity: 'security' })]);
		// Off a terminal, naming nothing approves nothing: it is an error, not an empty approval.
		const implicit = cli('agents', 'enable', 'echo-agent');
		expect(implicit.status).toBe(2);
		expect(implicit.stderr).toMatch(/nothing is approved by default/);
		expect(agentEvents()).toEqual(['agent_installed']);
	});

	it('leaves the previous install in place when a re-install fails', () => {
		expect(cli('agents', 'install', repo.url).status).toBe(0);
		const before = cliJson<{ installedCommit: string }>('agents', 'info', 'echo-agent').json
			.installedCommit;
		const result = cli('agents', 'install', repo.url, '--ref', 'no-such-tag');
		expect(result.status).toBe(7);
		expect(result.stderr).toMatch(/no branch, tag or commit "no-such-tag"/);
		expect(
			cliJson<{ installedCommit: string }>('agents', 'info', 'echo-agent').json.installedCommit,
		).toBe(before);
		expect(agentDirs()).toEqual(['echo-agent']);
		expect(
			existsSync(join(temp.home, 'agents', 'echo-agent', 'src', 'agentspace.agent.json')),
		).toBe(true);
	});

	it('says so when another repository takes over an installed id, and a bare id beats a same-named directory', () => {
		expect(cli('agents', 'install', repo.url).status).toBe(0);
		const other = createFixtureAgentRepo();
		try {
			const replaced = cli('agents', 'install', other.url);
			expect(replaced.status, replaced.stderr).toBe(0);
			expect(replaced.stdout).toContain(
				`echo-agent was installed from ${repo.url}: this repository replaced it`,
			);
			// A directory named like the id, in the current directory: `echo-agent` still means the agent.
			mkdirSync(join(user.home, 'echo-agent'));
			const byId = runCli(temp.home, ['agents', 'install', 'echo-agent', '--json'], env, user.home);
			expect(byId.status, byId.stderr).toBe(0);
			expect(JSON.parse(byId.stdout).source).toBe(other.url);
		} finally {
			other.cleanup();
		}
	});

	it('names unknown agents with a hint', () => {
		expect(cli('agents', 'discover').status).toBe(0);
		const result = cli('agents', 'info', 'nope');
		expect(result.status).toBe(3);
		expect(result.stderr).toMatch(/error\[NOT_FOUND\]: no agent "nope"/);
		expect(result.stderr).toMatch(/hint: run `agentspace agents list`/);
	});
});

describe('agents: interrupted', () => {
	it('stops a build on Ctrl-C: the step is killed, the build recorded as failed, exit 130', async () => {
		const slow = createFixtureAgentRepo({
			build: {
				steps: [
					{
						command: 'node',
						args: [
							'-e',
							"require('node:fs').writeFileSync('started', ''); setTimeout(() => require('node:fs').writeFileSync('finished', ''), 3000)",
						],
					},
				],
			},
		});
		try {
			expect(cli('agents', 'install', slow.url).status).toBe(0);
			const src = join(temp.home, 'agents', 'echo-agent', 'src');
			const running = spawnCli(temp.home, ['agents', 'build', 'echo-agent', '--yes']);
			const deadline = Date.now() + 15_000;
			while (!existsSync(join(src, 'started')) && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			running.child.kill('SIGINT');
			expect(await running.exited).toEqual({ code: 130, signal: null });
			expect(running.stderr()).toMatch(/error\[INTERRUPTED\]/);
			expect(agentEvents()).toEqual([
				'agent_installed',
				'agent_build_started',
				'agent_build_failed',
			]);
			await new Promise((resolve) => setTimeout(resolve, 3500));
			expect(existsSync(join(src, 'finished'))).toBe(false);
		} finally {
			slow.cleanup();
		}
	});
});

describe('agents on a terminal', () => {
	// `script` gives the CLI a real pseudo-terminal, so the prompts are exercised as a person sees them.
	const onTerminal = (args: string[], input: string, term = 'dumb') => {
		const result = spawnSync(
			'script',
			[
				'-qec',
				[process.execPath, CLI_BIN, '--home', temp.home, ...args].map((a) => `'${a}'`).join(' '),
				'/dev/null',
			],
			{
				input,
				env: { PATH: process.env.PATH, HOME: user.home, TERM: term },
				encoding: 'utf8',
				timeout: 30_000,
			},
		);
		return { status: result.status, output: result.stdout };
	};
	const hasScript = (() => {
		try {
			execFileSync('script', ['--version'], { stdio: 'ignore' });
			return true;
		} catch {
			return false;
		}
	})();

	it.skipIf(!hasScript)('asks before building and approves what the checklist names', () => {
		// A terminal that can redraw gets a spinner while git runs.
		const installed = onTerminal(['agents', 'install', repo.url], '', 'xterm');
		expect(installed.status).toBe(0);
		expect(installed.output).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] (installing|cloning|checking out)/);
		const declined = onTerminal(['agents', 'build', 'echo-agent'], 'n\n');
		expect(declined.output).toMatch(/Run them\? \[y\/N\]/);
		expect(declined.status).toBe(5);
		expect(agentEvents()).toEqual(['agent_installed']);
		// Ctrl-D (end of input) at the prompt is a "no", not a crash.
		const endOfInput = onTerminal(['agents', 'build', 'echo-agent'], '\u0004');
		expect(endOfInput.output).not.toMatch(/INTERNAL/);
		expect(endOfInput.status).toBe(5);
		const accepted = onTerminal(['agents', 'build', 'echo-agent'], 'y\n');
		expect(accepted.output).toMatch(/Built echo-agent/);
		expect(accepted.status).toBe(0);
		// Ctrl-D at the checklist is no choice: nothing is enabled, not "none approved".
		const interrupted = onTerminal(['agents', 'enable', 'echo-agent'], '\u0004');
		expect(interrupted.output).toMatch(/not enabled: no valid choice was made/);
		expect(interrupted.status).toBe(5);
		expect(agentEvents()).not.toContain('agent_enabled');
		const enabled = onTerminal(['agents', 'enable', 'echo-agent'], '3\n');
		expect(enabled.output).toMatch(/1\. filesystem:read:~\/notes/);
		expect(enabled.output).toMatch(/Enabled echo-agent with 1 of 3/);
		expect(enabled.status).toBe(0);
		expect(
			cliJson<{ approvedPermissions: string[] }>('agents', 'info', 'echo-agent').json
				.approvedPermissions,
		).toEqual(['env:read:ECHO_GREETING']);
	});
});
