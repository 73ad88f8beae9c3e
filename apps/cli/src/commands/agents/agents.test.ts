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

/** One row of an end-to-end walk: a command, what it must print and exit, and the state it leaves. */
interface CliStep {
	/** What the user does first, outside AgentSpace (e.g. edits a manifest). */
	readonly arrange?: () => void;
	/** The arguments after `agentspace --home <home>`. */
	readonly args: readonly string[];
	readonly exit: number;
	/** Run with `--json`; stdout must match this object (`toMatchObject`: arrays compare element by element). */
	readonly json?: object;
	/** Each must be in stdout (a string) or match it (a pattern). */
	readonly stdout?: readonly (string | RegExp)[];
	readonly stderr?: readonly (string | RegExp)[];
	/** Paths under the home: `true` exists, `false` does not, a string is contained in the file. */
	readonly files?: Readonly<Record<string, boolean | string>>;
	/** Anything else the step must leave behind. */
	readonly state?: () => void;
}

function runSteps(steps: readonly CliStep[]): void {
	for (const step of steps) {
		step.arrange?.();
		const args = step.json === undefined ? step.args : [...step.args, '--json'];
		const result = cli(...args);
		const label = `agentspace ${args.join(' ')}`;
		expect(result.status, `${label}\n${result.stdout}${result.stderr}`).toBe(step.exit);
		if (step.json !== undefined) expect(JSON.parse(result.stdout), label).toMatchObject(step.json);
		for (const [stream, expected] of [
			[result.stdout, step.stdout],
			[result.stderr, step.stderr],
		] as const) {
			for (const text of expected ?? []) {
				if (typeof text === 'string') expect(stream, label).toContain(text);
				else expect(stream, label).toMatch(text);
			}
		}
		for (const [path, expected] of Object.entries(step.files ?? {})) {
			const file = join(temp.home, path);
			if (typeof expected === 'string')
				expect(readFileSync(file, 'utf8'), label).toContain(expected);
			else expect(existsSync(file), `${label}: ${path}`).toBe(expected);
		}
		step.state?.();
	}
}

describe('agents: the lifecycle end to end', () => {
	it('discover → install → build → enable → check, every step audited and the chain intact', () => {
		// The author's working copy sits in ~/Projects, where discover looks by default.
		const project = join(user.home, 'Projects', 'echo');
		const manifestPath = join(project, 'agentspace.agent.json');
		mkdirSync(project, { recursive: true });
		writeFileSync(manifestPath, JSON.stringify(fixtureAgentManifest()));
		const approved = [
			`filesystem:read:${join(user.home, 'notes', 'today.md')}`,
			'env:read:ECHO_GREETING',
		];
		const checkout = 'agents/echo-agent/src';
		runSteps([
			{
				args: ['agents', 'discover'],
				exit: 0,
				json: { agents: [expect.objectContaining({ id: 'echo-agent', outcome: 'new' })] },
			},
			{
				args: ['agents', 'discover'],
				exit: 0,
				stdout: [/echo-agent\s+1\.0\.0\s+unchanged/],
			},
			{
				args: ['agents', 'install', repo.url, '--ref', 'v1'],
				exit: 0,
				json: { commit: repo.git('rev-parse', 'v1'), hasBuildSteps: true },
				// Installing ran nothing: the build's output does not exist yet.
				files: { [`${checkout}/build.mjs`]: true, [`${checkout}/dist`]: false },
			},
			{
				args: ['agents', 'check', 'echo-agent'],
				exit: 5, // not enabled comes first
				stderr: [/error\[PERMISSION_DENIED\].*not enabled/],
			},
			{
				args: ['agents', 'build', 'echo-agent', '--yes'],
				exit: 0,
				stdout: ['1. "node" "build.mjs"', /execute the agent’s own code/],
				files: {
					[`${checkout}/dist/agent.mjs`]: true,
					'logs/echo-agent/build.log': 'built dist/agent.mjs',
				},
			},
			{
				args: [
					'agents',
					'enable',
					'echo-agent',
					'--approve',
					'filesystem:read:~/notes/today.md,env:read:ECHO_GREETING',
				],
				exit: 0,
				json: {
					approved,
					denied: expect.arrayContaining(['network:egress:api.example.com:443']),
				},
			},
			{
				args: ['agents', 'check', 'echo-agent'],
				exit: 0,
				json: { runnable: true, approved: [expect.any(String), expect.any(String)] },
			},
			{
				args: ['agents', 'list'],
				exit: 0,
				json: {
					agents: [
						expect.objectContaining({
							id: 'echo-agent',
							status: 'enabled',
							buildStatus: 'built',
							approval: 'approved',
						}),
					],
				},
			},
			{
				args: ['agents', 'list'],
				exit: 0,
				stdout: [
					/ID\s+NAME\s+VERSION\s+STATUS\s+BUILD\s+APPROVAL/,
					/echo-agent\s+Echo agent\s+1\.0\.0\s+enabled\s+built\s+approved \(2\/3\)/,
				],
			},
			{
				// The author's copy changing does not touch the installed agent's approval.
				arrange: () =>
					writeFileSync(
						manifestPath,
						JSON.stringify({ ...fixtureAgentManifest(), permissions: ['process:spawn'] }),
					),
				args: ['agents', 'discover'],
				exit: 0,
				json: { ignored: [{ path: manifestPath }] },
			},
			{ args: ['agents', 'check', 'echo-agent'], exit: 0 },
			{ args: ['agents', 'revoke', 'echo-agent', '--reason', 'testing'], exit: 0 },
			{ args: ['agents', 'check', 'echo-agent'], exit: 5 },
			{
				args: ['agents', 'uninstall', 'echo-agent', '--yes'],
				exit: 0,
				state: () => expect(agentDirs()).toEqual([]),
			},
			{ args: ['agents', 'list'], exit: 0, json: { count: 0 } },
			{
				args: ['agents', 'list', '--all'],
				exit: 0,
				json: { agents: [{ status: 'uninstalled' }] },
				state: () =>
					expect(agentEvents()).toEqual([
						'agent_discovered',
						'agent_installed',
						'agent_build_started',
						'agent_built',
						'agent_enabled',
						'agent_permissions_revoked',
						'agent_uninstalled',
					]),
			},
			{
				// Newest first.
				args: ['audit', 'list', '--limit', '100'],
				exit: 0,
				json: {
					entries: [
						{ eventType: 'agents.uninstalled' },
						{ eventType: 'agents.revoked' },
						{ eventType: 'agents.enabled' },
						{ eventType: 'agents.built' },
						{ eventType: 'agents.build_started', metadata: { codeExecution: true } },
						{ eventType: 'agents.installed' },
						{ eventType: 'agents.discovered' },
					],
				},
			},
			{ args: ['audit', 'verify'], exit: 0 },
		]);
	}, 120_000); // some 30 CLI processes one after another: slow on a loaded machine (CI runs every package at once)

	it('reports drift when the checkout’s manifest changes after approval, and again after a re-install with new permissions', () => {
		const manifestPath = join(temp.home, 'agents', 'echo-agent', 'src', 'agentspace.agent.json');
		let original = '';
		runSteps([
			{ args: ['agents', 'install', repo.url], exit: 0 },
			{ args: ['agents', 'build', 'echo-agent', '--yes'], exit: 0 },
			{ args: ['agents', 'enable', 'echo-agent', '--all'], exit: 0 },
			{ args: ['agents', 'check', 'echo-agent'], exit: 0 },
			{
				// Edited on disk behind the catalogue's back: drift, found by reading the file.
				arrange: () => {
					original = readFileSync(manifestPath, 'utf8');
					writeFileSync(
						manifestPath,
						JSON.stringify({ ...JSON.parse(original), description: 'changed' }),
					);
				},
				args: ['agents', 'check', 'echo-agent'],
				exit: 5,
				stderr: [/error\[PERMISSION_DRIFT\]/, /hint: .*agentspace agents enable echo-agent/],
			},
			{
				arrange: () => writeFileSync(manifestPath, original),
				args: ['agents', 'check', 'echo-agent'],
				exit: 0,
			},
			{
				// A new version requesting more: the install says so, and the check refuses until re-enabled.
				arrange: () => {
					repo.commit({
						'agentspace.agent.json': {
							...fixtureAgentManifest(),
							version: '2.0.0',
							permissions: ['filesystem:read:~/notes', 'process:spawn'],
						},
					});
					repo.tag('v2');
				},
				args: ['agents', 'install', 'echo-agent', '--ref', 'v2'],
				exit: 0,
				json: { permissionsChanged: true, previousCommit: repo.git('rev-parse', 'v1') },
			},
			{
				args: ['agents', 'install', 'echo-agent', '--ref', 'v2'],
				exit: 0,
				stdout: [
					/requested permissions changed since it was approved: the next run needs re-approval/,
				],
			},
			{
				args: ['agents', 'check', 'echo-agent'],
				exit: 5,
				stderr: [/PERMISSION_DRIFT.*process:spawn/],
			},
			{ args: ['agents', 'info', 'echo-agent'], exit: 0, json: { approval: 'drifted' } },
			{ args: ['agents', 'enable', 'echo-agent', '--all'], exit: 0 },
			// Re-installed, so it needs building again.
			{ args: ['agents', 'check', 'echo-agent'], exit: 4, stderr: [/not built/] },
			{ args: ['agents', 'build', 'echo-agent', '--yes'], exit: 0 },
			{ args: ['agents', 'check', 'echo-agent'], exit: 0 },
		]);
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
