import { execFileSync } from 'node:child_process';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { countEvents, queryEvents } from '@agentspace/events';
import {
	createFixtureAgentRepo,
	createGitRepo,
	createTempHome,
	fixtureAgentManifest,
	type GitRepo,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAgent } from '../catalog/agentRecord.js';
import { discoverAgents } from '../discovery/discoverAgents.js';
import { enableAgent } from '../enable/enableAgent.js';
import { MANIFEST_FILE } from '../manifest/parseManifest.js';
import { type InstallOptions, installAgent } from './installAgent.js';
import { resolveInstallSource, validateRef } from './installSource.js';
import { gitEnvironment, runGit } from './runGit.js';

const actor = { type: 'human', id: 'tester' } as const;
const FIXTURE_PERMISSIONS = fixtureAgentManifest().permissions as string[];
const EXTRA_PERMISSION = 'network:egress:*.example.org';

let temp: TempHome;
let home: string;
let scratch: string;
let db: AgentSpaceDb;
const cleanups: (() => void)[] = [];

beforeEach(() => {
	temp = createTempHome('install');
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

function track<T extends GitRepo>(repo: T): T {
	cleanups.push(repo.cleanup);
	return repo;
}

const install = (options: Partial<InstallOptions> & { source: string }) =>
	installAgent({ db, home, actor, cwd: scratch, ...options });

const agentsDirEntries = () => {
	try {
		return readdirSync(join(home, 'agents')).sort();
	} catch {
		return [];
	}
};

/** A rejection's `code` (fails the test when the promise resolves). */
async function codeOf(promise: Promise<unknown>): Promise<string> {
	try {
		await promise;
	} catch (error) {
		return (error as { code?: string }).code ?? String(error);
	}
	throw new Error('expected a rejection');
}

const headOf = (checkout: string) =>
	execFileSync('git', ['rev-parse', 'HEAD'], { cwd: checkout, encoding: 'utf8' }).trim();

describe('installAgent: the happy paths', () => {
	it('clones a file:// URL into <home>/agents/<id>/src and records the resolved commit', async () => {
		const repo = track(createFixtureAgentRepo());
		const head = repo.git('rev-parse', 'HEAD');
		const phases: string[] = [];

		const result = await install({ source: repo.url, onProgress: (p) => phases.push(p) });

		const src = join(home, 'agents', 'echo-agent', 'src');
		expect(result).toMatchObject({
			id: 'echo-agent',
			name: 'Echo agent',
			version: '1.0.0',
			source: repo.url,
			ref: undefined,
			commit: head,
			installPath: src,
			previousCommit: undefined,
			permissionsChanged: false,
			needsReapproval: false,
		});
		expect(phases).toEqual([`cloning ${repo.url}`, 'checking out the default branch']);
		expect(readFileSync(join(src, MANIFEST_FILE), 'utf8')).toBe(
			readFileSync(join(repo.path, MANIFEST_FILE), 'utf8'),
		);
		expect(existsSync(join(src, 'build.mjs'))).toBe(true);
		expect(headOf(src)).toBe(head);
		expect(agentsDirEntries()).toEqual(['echo-agent']);

		const events = queryEvents(db, { stream_id: 'agent:echo-agent' });
		expect(events.map((e) => e.type)).toEqual(['agent_installed']);
		const [event] = events;
		if (event?.type !== 'agent_installed') throw new Error('expected agent_installed');
		expect(event).toMatchObject({
			source: repo.url,
			commit: head,
			install_path: src,
			manifest_path: join(src, MANIFEST_FILE),
			manifest_hash: result.manifest.manifestHash,
			requested_permissions: FIXTURE_PERMISSIONS,
			permissions_changed: false,
		});
		expect(event.ref).toBeUndefined();

		expect(getAgent(db, 'echo-agent')).toMatchObject({
			status: 'installed',
			buildStatus: 'none',
			installPath: src,
			installedCommit: head,
			installedRef: null,
			manifestHash: result.manifest.manifestHash,
		});
		const audit = await getAuditEvents(db, { type: 'agents.installed' });
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			subject: { type: 'agent', id: 'echo-agent' },
			correlationId: event.id,
			metadata: { source: repo.url, ref: null, commit: head, previousCommit: null },
		});
		expect(result.audit.id).toBe(audit[0]?.id);
	});

	it('installs from a local directory, absolute or relative to cwd', async () => {
		const repo = track(createFixtureAgentRepo());

		const result = await install({ source: repo.path });
		expect(result.source).toBe(repo.path);
		expect(result.commit).toBe(repo.git('rev-parse', 'HEAD'));

		const relative = await install({ source: `./${basename(repo.path)}`, cwd: dirname(repo.path) });
		expect(relative.source).toBe(repo.path);
		expect(relative.previousCommit).toBe(result.commit);
		expect(existsSync(join(result.installPath, 'build.mjs'))).toBe(true);
	});

	it('checks out --ref as a tag, a branch or a commit id, and records ref and commit', async () => {
		const repo = track(createFixtureAgentRepo());
		const first = repo.git('rev-parse', 'HEAD');
		const second = repo.commit({ 'SECOND.md': 'two' }, 'second');
		repo.git('branch', 'stable', first);
		const third = repo.commit({ 'THIRD.md': 'three' }, 'third');
		repo.git('branch', 'feature', second);
		const src = join(home, 'agents', 'echo-agent', 'src');

		const cases: [string | undefined, string][] = [
			['v1', first],
			['stable', first],
			['feature', second],
			[second, second],
			[second.slice(0, 12), second],
			['main', third],
			[undefined, third],
		];
		for (const [ref, commit] of cases) {
			const result = await install({ source: repo.url, ...(ref === undefined ? {} : { ref }) });
			expect({ ref, commit: result.commit }).toEqual({ ref, commit });
			expect(headOf(src)).toBe(commit);
			expect(existsSync(join(src, 'SECOND.md'))).toBe(commit !== first);
			expect(existsSync(join(src, 'THIRD.md'))).toBe(commit === third);
			const agent = getAgent(db, 'echo-agent');
			expect(agent?.installedCommit).toBe(commit);
			expect(agent?.installedRef).toBe(ref ?? null);
		}
		const installed = queryEvents(db, {
			stream_id: 'agent:echo-agent',
			types: ['agent_installed'],
		});
		expect(installed.map((e) => (e.type === 'agent_installed' ? [e.ref, e.commit] : []))).toEqual(
			cases.map(([ref, commit]) => [ref, commit]),
		);
	});
});

describe('installAgent: refusals that create nothing', () => {
	const marker = () => join(scratch, 'pwned');

	it.each([
		['--upload-pack=touch MARKER'],
		['-oProxyCommand=touch MARKER'],
		['-u touch MARKER'],
		['ext::sh -c touch% MARKER'],
		['fd::17'],
		['EXT::sh -c touch% MARKER'],
		['ssh://-oProxyCommand=touch%20MARKER/repo'],
		['ssh://git@-oProxyCommand=touch%20MARKER/repo'],
		['ssh://%2DoProxyCommand=touch%20MARKER/repo'],
		['file:///repo\n--upload-pack=touch MARKER'],
		[''],
		// Unencrypted transports, and credentials that would land on disk in the URL.
		['http://example.com/echo.git'],
		['git://example.com/echo.git'],
		['https://bob:hunter2hunter2@example.com/echo.git'],
		['https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@example.com/echo.git'],
	])('refuses the source %j with VALIDATION_FAILED', async (template) => {
		const source = template.replace('MARKER', marker());
		const repo = track(createFixtureAgentRepo());

		expect(await codeOf(install({ source }))).toBe('VALIDATION_FAILED');
		// And with a valid ref too: the source is checked whatever else is right.
		expect(await codeOf(install({ source, ref: 'v1' }))).toBe('VALIDATION_FAILED');

		expect(existsSync(marker())).toBe(false);
		expect(existsSync(join(home, 'agents'))).toBe(false);
		expect(countEvents(db, undefined)).toBe(0);
		expect(await getAuditEvents(db)).toEqual([]);
		// The repository is fine: the refusal was about the source alone.
		await expect(install({ source: repo.url })).resolves.toMatchObject({ id: 'echo-agent' });
	});

	it.each([
		['--output=MARKER'],
		['-b'],
		['HEAD..main'],
		['main...v1'],
		['main^'],
		['main~1'],
		['@{-1}'],
		['main@{1}'],
		['HEAD:agentspace.agent.json'],
		['refs/heads/main.lock'],
		['main/'],
		['a b'],
		['*'],
		[':/fixture'],
		['x'.repeat(300)],
	])('refuses the ref %j with VALIDATION_FAILED', async (template) => {
		const ref = template.replace('MARKER', marker());
		const repo = track(createFixtureAgentRepo());

		expect(await codeOf(install({ source: repo.url, ref }))).toBe('VALIDATION_FAILED');
		expect(() => validateRef(ref)).toThrow(/invalid --ref/);

		expect(existsSync(marker())).toBe(false);
		expect(existsSync(join(home, 'agents'))).toBe(false);
		expect(countEvents(db, undefined)).toBe(0);
	});

	it('accepts ordinary refs', () => {
		for (const ref of ['main', 'v1.2.0', 'release/2024-01', 'feature_x+y', 'a'.repeat(40)]) {
			expect(validateRef(ref)).toBe(ref);
		}
	});

	it('refuses a manifest whose id contains ".." and installs nothing', async () => {
		const repo = track(createFixtureAgentRepo({ id: 'a..b' }));

		const error = await install({ source: repo.url }).catch((e: unknown) => e);

		expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('id');
		expect(agentsDirEntries()).toEqual([]);
		expect(countEvents(db, undefined)).toBe(0);
	});

	it('installs nothing from a repository with an invalid or missing manifest, and leaves no staging directory', async () => {
		const invalid = track(
			createFixtureAgentRepo({ version: 'latest', entrypoint: { command: '' }, extra: 1 }),
		);
		const error = await install({ source: invalid.url }).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect((error as Error).message).toMatch(/not a valid manifest/);
		const paths = (error as { issues: { path: string }[] }).issues.map((i) => i.path);
		expect(paths).toEqual(expect.arrayContaining(['version', 'entrypoint.command']));

		const empty = track(createGitRepo('no-manifest'));
		empty.commit({ 'README.md': 'no manifest here' });
		expect(await codeOf(install({ source: empty.url }))).toBe('VALIDATION_FAILED');

		const noCommits = track(createGitRepo('no-commits'));
		expect(await codeOf(install({ source: noCommits.url }))).not.toBe('');

		expect(agentsDirEntries()).toEqual([]);
		expect(countEvents(db, undefined)).toBe(0);
		expect(getAgent(db, 'echo-agent')).toBeUndefined();
	});

	it('refuses a manifest committed as a symlink (it could point at any file on this machine)', async () => {
		// A perfectly valid manifest, outside the repository.
		const elsewhere = join(scratch, 'elsewhere.json');
		writeFileSync(elsewhere, JSON.stringify({ ...fixtureAgentManifest(), id: 'borrowed' }));
		const repo = track(createGitRepo('symlinked'));
		symlinkSync(elsewhere, join(repo.path, MANIFEST_FILE));
		repo.commit({ 'build.mjs': '' });

		const error = await install({ source: repo.url }).catch((e: unknown) => e);

		expect(error).toMatchObject({
			code: 'VALIDATION_FAILED',
			message: expect.stringMatching(/symbolic link/),
		});
		expect(agentsDirEntries()).toEqual([]);
		expect(getAgent(db, 'borrowed')).toBeUndefined();
	});

	it('fails with COMMAND_FAILED for a repository that does not exist, and leaves nothing behind', async () => {
		const error = await install({ source: `file://${join(scratch, 'nope')}` }).catch(
			(e: unknown) => e,
		);
		expect(error).toMatchObject({ code: 'COMMAND_FAILED' });
		expect((error as Error).message).toMatch(/git clone failed/);
		expect(agentsDirEntries()).toEqual([]);
	});

	it('says NOT_FOUND for something that is neither a URL, a directory nor a catalogue id', async () => {
		expect(await codeOf(install({ source: 'no-such-agent' }))).toBe('NOT_FOUND');
	});
});

describe('installAgent: runs no code', () => {
	it('runs nothing from the repository: no build script, no package scripts, no hooks, no filters', async () => {
		const markers = mkdtempSync(join(tmpdir(), 'agentspace-test-markers-'));
		cleanups.push(() => rmSync(markers, { recursive: true, force: true }));
		const touch = (name: string) =>
			`node -e "require('fs').writeFileSync('${join(markers, name)}', '')"`;
		const repo = track(createGitRepo('sneaky'));
		repo.commit({
			[MANIFEST_FILE]: {
				...fixtureAgentManifest(),
				build: { steps: [{ command: 'node', args: ['build.mjs'] }] },
			},
			'build.mjs': `require('fs').writeFileSync(${JSON.stringify(join(markers, 'build'))}, '')`,
			'package.json': {
				name: 'sneaky',
				scripts: {
					preinstall: touch('preinstall'),
					postinstall: touch('postinstall'),
					prepare: touch('prepare'),
				},
			},
			'.gitattributes': '* filter=sneaky diff=sneaky\n',
			'.gitmodules': `[submodule "x"]\n\tpath = x\n\turl = ${repo.url}\n`,
		});
		// Hooks in the source repository (they never travel with a clone).
		for (const hook of ['post-checkout', 'post-merge', 'pre-push', 'post-rewrite']) {
			const path = join(repo.path, '.git', 'hooks', hook);
			writeFileSync(path, `#!/bin/sh\ntouch ${join(markers, hook)}\n`);
			chmodSync(path, 0o755);
		}
		repo.git('config', 'filter.sneaky.smudge', `touch ${join(markers, 'smudge')}; cat`);

		const result = await install({ source: repo.url });

		expect(readdirSync(markers)).toEqual([]);
		expect(existsSync(join(result.installPath, 'dist'))).toBe(false);
		expect(existsSync(join(result.installPath, 'node_modules'))).toBe(false);
		const hooks = join(result.installPath, '.git', 'hooks');
		const installedHooks = existsSync(hooks) ? readdirSync(hooks) : [];
		expect(installedHooks.filter((h) => !h.endsWith('.sample'))).toEqual([]);
	});

	it('ignores the caller’s git environment and global/system config: insteadOf, hooksPath, templates, env config, a git on PATH', async () => {
		const repo = track(createFixtureAgentRepo());
		const evil = track(createFixtureAgentRepo({ id: 'evil-agent' }));
		const evilCommit = evil.git('rev-parse', 'HEAD');
		const dir = mkdtempSync(join(tmpdir(), 'agentspace-test-gitenv-'));
		cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
		const marker = join(dir, 'marker');
		const script = `#!/bin/sh\necho "$0" >> ${marker}\n`;
		const executable = (path: string, content: string) => {
			mkdirSync(dirname(path), { recursive: true });
			writeFileSync(path, content);
			chmodSync(path, 0o755);
		};
		executable(join(dir, 'hooks', 'post-checkout'), script);
		executable(join(dir, 'template', 'hooks', 'post-checkout'), script);
		// A "git" that is first on the caller's PATH.
		executable(join(dir, 'bin', 'git'), `${script}exit 1\n`);
		const config = join(dir, 'gitconfig');
		writeFileSync(
			config,
			`[url "${evil.url}"]\n\tinsteadOf = ${repo.url}\n[core]\n\thooksPath = ${join(dir, 'hooks')}\n[init]\n\ttemplateDir = ${join(dir, 'template')}\n`,
		);
		mkdirSync(join(dir, 'home'));
		writeFileSync(join(dir, 'home', '.gitconfig'), readFileSync(config));
		const polluted: Record<string, string> = {
			HOME: join(dir, 'home'),
			XDG_CONFIG_HOME: join(dir, 'home'),
			GIT_CONFIG_GLOBAL: config,
			GIT_CONFIG_SYSTEM: config,
			GIT_TEMPLATE_DIR: join(dir, 'template'),
			GIT_CONFIG_COUNT: '1',
			GIT_CONFIG_KEY_0: `url.${evil.url}.insteadOf`,
			GIT_CONFIG_VALUE_0: repo.url,
			PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
		};
		// The real git, found before PATH is polluted with the fake one.
		const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
		const saved = Object.fromEntries(Object.keys(polluted).map((k) => [k, process.env[k]]));
		Object.assign(process.env, polluted);
		try {
			// The pollution works on a git that inherits the environment…
			const inherited = execFileSync(realGit, ['ls-remote', repo.url, 'HEAD'], {
				encoding: 'utf8',
			});
			expect(inherited.split('\t')[0]).toBe(evilCommit);
			// …and not on runGit, which builds its own environment.
			const { stdout } = await runGit(['config', '--list', '--show-origin'], { cwd: dir });
			const origins = stdout
				.trim()
				.split('\n')
				.map((line) => line.split('\t')[0]);
			expect([...new Set(origins)]).toEqual(['command line:']);

			const result = await install({ source: repo.url });
			expect(result.id).toBe('echo-agent');
			expect(result.commit).toBe(repo.git('rev-parse', 'HEAD'));
			expect(existsSync(marker)).toBe(false);
			expect(existsSync(join(result.installPath, '.git', 'hooks', 'post-checkout'))).toBe(false);
		} finally {
			for (const [key, value] of Object.entries(saved)) {
				if (value === undefined) delete process.env[key];
				else process.env[key] = value;
			}
		}
	});

	it('runs no hook even in a repository that has one (core.hooksPath is pointed away)', async () => {
		const repo = track(createFixtureAgentRepo());
		const marker = join(scratch, 'hook-ran');
		const hook = join(repo.path, '.git', 'hooks', 'post-checkout');
		writeFileSync(hook, `#!/bin/sh\necho ran >> ${marker}\n`);
		chmodSync(hook, 0o755);

		await runGit(['checkout', '--quiet', '--detach', 'HEAD'], { cwd: repo.path });
		expect(existsSync(marker)).toBe(false);

		// The same checkout through plain git does run it: the hook is real.
		repo.git('checkout', '--quiet', '--detach', 'HEAD');
		expect(readFileSync(marker, 'utf8')).toBe('ran\n');
	});

	it('gives git an environment of its own: only PATH comes from the caller', () => {
		const env = gitEnvironment('/opt/git/bin');
		expect(Object.keys(env).sort()).toEqual(
			[
				'GIT_ASKPASS',
				'GIT_CONFIG_GLOBAL',
				'GIT_CONFIG_NOSYSTEM',
				'GIT_CONFIG_SYSTEM',
				'GIT_SSH_COMMAND',
				'GIT_TERMINAL_PROMPT',
				'HOME',
				'LANG',
				'LC_ALL',
				'PATH',
				'SSH_ASKPASS',
				'XDG_CONFIG_HOME',
			].sort(),
		);
		expect(env).toMatchObject({
			PATH: '/opt/git/bin',
			GIT_CONFIG_GLOBAL: '/dev/null',
			GIT_CONFIG_SYSTEM: '/dev/null',
			GIT_CONFIG_NOSYSTEM: '1',
			GIT_TERMINAL_PROMPT: '0',
			HOME: '/nonexistent',
		});
		expect(gitEnvironment(undefined).PATH).toBe('/usr/local/bin:/usr/bin:/bin');
	});

	it('reports git failures as COMMAND_FAILED with git’s message, and a missing git clearly', async () => {
		const failed = await runGit(['rev-parse', '--verify', 'nope'], { cwd: scratch }).catch(
			(e: unknown) => e,
		);
		expect(failed).toMatchObject({ code: 'COMMAND_FAILED' });
		expect((failed as Error).message).toMatch(/git rev-parse failed \(exit code 128\): fatal:/);

		const missing = await runGit(['--version'], { path: join(scratch, 'empty-bin') }).catch(
			(e: unknown) => e,
		);
		expect(missing).toMatchObject({ code: 'COMMAND_FAILED' });
		expect((missing as Error).message).toMatch(/cannot run git/);
	});

	it('kills git when it exceeds its timeout', async () => {
		// A git that takes its time: a shell alias that sleeps, holding git's stderr open.
		const started = Date.now();
		const error = await runGit(['-c', 'alias.slow=!sleep 5', 'slow'], {
			cwd: scratch,
			timeoutMs: 300,
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'COMMAND_FAILED' });
		expect((error as Error).message).toMatch(/timed out after 0 s and was killed/);
		// The shell and its sleep go with git: the call does not wait out the 5 s.
		expect(Date.now() - started).toBeLessThan(3000);
	});
});

describe('installAgent: upgrades and re-installs', () => {
	/** The fixture at v1, and a v2 that requests one more permission. */
	function twoVersions(): { repo: GitRepo; v1: string; v2: string } {
		const repo = track(createFixtureAgentRepo());
		const v1 = repo.git('rev-parse', 'HEAD');
		const v2 = repo.commit({
			[MANIFEST_FILE]: {
				...fixtureAgentManifest(),
				version: '2.0.0',
				permissions: [...FIXTURE_PERMISSIONS, EXTRA_PERMISSION],
			},
			'V2.md': 'new in v2',
		});
		repo.tag('v2');
		return { repo, v1, v2 };
	}

	it('upgrades in place to another ref: permissionsChanged, and needsReapproval when it was approved', async () => {
		const { repo, v1, v2 } = twoVersions();
		const first = await install({ source: repo.url, ref: 'v1' });
		enableAgent({ db, id: 'echo-agent', approve: 'all', actor, userHome: '/home/tester' });
		expect(getAgent(db, 'echo-agent')?.approval).toBe('approved');

		const upgraded = await install({ source: repo.url, ref: 'v2' });

		expect(upgraded).toMatchObject({
			version: '2.0.0',
			commit: v2,
			previousCommit: v1,
			installPath: first.installPath,
			permissionsChanged: true,
			needsReapproval: true,
		});
		expect(readFileSync(join(upgraded.installPath, 'V2.md'), 'utf8')).toBe('new in v2');
		expect(headOf(upgraded.installPath)).toBe(v2);
		expect(agentsDirEntries()).toEqual(['echo-agent']);
		expect(getAgent(db, 'echo-agent')).toMatchObject({
			version: '2.0.0',
			installedCommit: v2,
			installedRef: 'v2',
			approval: 'drifted',
			requestedPermissions: [...FIXTURE_PERMISSIONS, EXTRA_PERMISSION],
		});
		const [latest] = queryEvents(db, {
			stream_id: 'agent:echo-agent',
			types: ['agent_installed'],
			order: 'desc',
			limit: 1,
		});
		expect(latest).toMatchObject({ permissions_changed: true, commit: v2, ref: 'v2' });
		const [audit] = await getAuditEvents(db, { type: 'agents.installed' });
		expect(audit?.metadata).toMatchObject({
			previousCommit: v1,
			commit: v2,
			permissionsChanged: true,
		});
	});

	it('reports changed permissions without approval, and a changed manifest with the same permissions as needing re-approval only', async () => {
		const { repo } = twoVersions();
		await install({ source: repo.url, ref: 'v1' });
		const unapproved = await install({ source: repo.url, ref: 'v2' });
		expect(unapproved).toMatchObject({ permissionsChanged: true, needsReapproval: false });

		// Approve v2, then move to v3: same permissions, another version.
		enableAgent({ db, id: 'echo-agent', approve: [], actor, userHome: '/home/tester' });
		repo.commit({
			[MANIFEST_FILE]: {
				...fixtureAgentManifest(),
				version: '3.0.0',
				permissions: [...FIXTURE_PERMISSIONS, EXTRA_PERMISSION],
			},
		});
		const v3 = await install({ source: repo.url, ref: 'main' });
		expect(v3).toMatchObject({
			version: '3.0.0',
			permissionsChanged: false,
			needsReapproval: true,
		});

		// The same commit again changes nothing that needs approving.
		enableAgent({ db, id: 'echo-agent', approve: 'all', actor, userHome: '/home/tester' });
		const same = await install({ source: repo.url, ref: 'main' });
		expect(same).toMatchObject({ permissionsChanged: false, needsReapproval: false });
		expect(getAgent(db, 'echo-agent')?.approval).toBe('approved');
	});

	it('re-installs by catalogue id from the last install source, not the manifest’s source', async () => {
		// The manifest names another repository (same id, other version) as its source.
		const other = track(createFixtureAgentRepo({ version: '9.9.9' }));
		const repo = track(createFixtureAgentRepo({ source: other.url }));
		const v1 = repo.git('rev-parse', 'HEAD');
		repo.commit({ 'LATER.md': 'later' });

		const first = await install({ source: repo.path, ref: 'v1' });
		expect(first.commit).toBe(v1);
		expect(getAgent(db, 'echo-agent')?.sourceUrl).toBe(other.url);
		expect(resolveInstallSource(db, 'echo-agent', { cwd: scratch })).toEqual({
			location: repo.path,
			kind: 'path',
			expectedId: 'echo-agent',
		});
		// A directory named like the id does not shadow the agent; `./echo-agent` names the directory.
		mkdirSync(join(scratch, 'echo-agent', '.git'), { recursive: true });
		expect(resolveInstallSource(db, 'echo-agent', { cwd: scratch }).location).toBe(repo.path);
		expect(resolveInstallSource(db, './echo-agent', { cwd: scratch })).toEqual({
			location: join(scratch, 'echo-agent'),
			kind: 'path',
		});

		const again = await install({ source: 'echo-agent', ref: 'main' });
		expect(again).toMatchObject({
			source: repo.path,
			version: '1.0.0',
			previousCommit: v1,
			commit: repo.git('rev-parse', 'HEAD'),
		});
		expect(existsSync(join(again.installPath, 'LATER.md'))).toBe(true);
	});

	it('installs a discovered (not yet installed) agent by id from the directory its manifest is in', async () => {
		const repo = track(createFixtureAgentRepo());
		discoverAgents({ db, home, roots: [repo.path], actor });
		expect(getAgent(db, 'echo-agent')?.status).toBe('discovered');

		const result = await install({ source: 'echo-agent' });

		expect(result).toMatchObject({ source: repo.path, commit: repo.git('rev-parse', 'HEAD') });
		expect(getAgent(db, 'echo-agent')?.status).toBe('installed');
	});

	it('refuses a re-install by id whose checkout holds another agent, keeping the install as it was', async () => {
		const repo = track(createFixtureAgentRepo());
		const first = await install({ source: repo.url });
		repo.commit({ [MANIFEST_FILE]: { ...fixtureAgentManifest(), id: 'renamed-agent' } });

		const error = await install({ source: 'echo-agent', ref: 'main' }).catch((e: unknown) => e);

		expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect((error as Error).message).toMatch(/"renamed-agent".*"echo-agent"/);
		expect(headOf(first.installPath)).toBe(first.commit);
		expect(agentsDirEntries()).toEqual(['echo-agent']);
	});

	it('leaves the previous checkout and commit intact when a re-install fails (bad ref, then bad manifest)', async () => {
		const { repo, v1 } = twoVersions();
		const first = await install({ source: repo.url, ref: 'v1' });
		writeFileSync(join(first.installPath, 'local-note.txt'), 'kept');
		const events = countEvents(db, undefined);
		const before = getAgent(db, 'echo-agent');

		const error = await install({ source: repo.url, ref: 'no-such-ref' }).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect((error as Error).message).toMatch(/no branch, tag or commit "no-such-ref"/);

		repo.commit({ [MANIFEST_FILE]: { ...fixtureAgentManifest(), version: 'broken' } });
		repo.tag('broken');
		expect(await codeOf(install({ source: repo.url, ref: 'broken' }))).toBe('VALIDATION_FAILED');

		expect(headOf(first.installPath)).toBe(v1);
		expect(readFileSync(join(first.installPath, 'local-note.txt'), 'utf8')).toBe('kept');
		expect(existsSync(join(first.installPath, 'V2.md'))).toBe(false);
		expect(getAgent(db, 'echo-agent')).toEqual(before);
		expect(countEvents(db, undefined)).toBe(events);
		expect(agentsDirEntries()).toEqual(['echo-agent']);
	});

	it('puts the previous checkout back when recording the install fails', async () => {
		const { repo, v1 } = twoVersions();
		const first = await install({ source: repo.url, ref: 'v1' });
		db.$client.exec(
			`CREATE TEMP TRIGGER fail_audit BEFORE INSERT ON main.audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`,
		);

		await expect(install({ source: repo.url, ref: 'v2' })).rejects.toThrow(/audit refused/);

		expect(headOf(first.installPath)).toBe(v1);
		expect(existsSync(join(first.installPath, 'V2.md'))).toBe(false);
		expect(getAgent(db, 'echo-agent')?.installedCommit).toBe(v1);
		expect(agentsDirEntries()).toEqual(['echo-agent']);

		// A first install that cannot be recorded leaves no directory at all.
		const other = track(createFixtureAgentRepo({ id: 'other-agent' }));
		await expect(install({ source: other.url })).rejects.toThrow(/audit refused/);
		expect(agentsDirEntries()).toEqual(['echo-agent']);
		db.$client.exec('DROP TRIGGER fail_audit');
	});
});

describe('installAgent: stored sources pass the same checks as typed ones', () => {
	// A manifest is found by discovery in a plain directory (not a repository), so its `source` is used.
	function discoverWithSource(id: string, sourceUrl: string): void {
		const dir = join(scratch, id);
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...fixtureAgentManifest(), id }));
		discoverAgents({ db, home, roots: [dir], actor });
		// Written into the catalogue as if an older AgentSpace had accepted it.
		db.$client.prepare('UPDATE agents SET source_url = ? WHERE agent_id = ?').run(sourceUrl, id);
	}

	it.each([
		'git://127.0.0.1:1/x.git',
		'http://127.0.0.1:1/x.git',
		'ssh://-oProxyCommand=touch%20/tmp/x/y',
		'file://bob:pw@localhost/tmp/repo',
		'https://alice:[REDACTED]@example.invalid/x.git',
	])('refuses to install by id from the stored source %s', async (url) => {
		discoverWithSource('stored', url);
		expect(await codeOf(install({ source: 'stored' }))).toBe('VALIDATION_FAILED');
		expect(agentsDirEntries()).toEqual([]);
	});

	it('refuses credentials in any scheme, and a manifest whose source is unsafe', async () => {
		for (const url of ['ssh://bob:hunter2@example.com/x.git', 'file://bob:pw@localhost/tmp/x']) {
			expect(await codeOf(install({ source: url }))).toBe('VALIDATION_FAILED');
		}
		const repo = track(createFixtureAgentRepo({ source: 'git://example.com/echo.git' }));
		expect(await codeOf(install({ source: repo.url }))).toBe('VALIDATION_FAILED');
		expect(agentsDirEntries()).toEqual([]);
	});

	it('installs a discovered agent from the repository it was found in, and refuses a directory that is not a repository root', async () => {
		const repo = track(createFixtureAgentRepo({ source: 'https://example.invalid/echo.git' }));
		discoverAgents({ db, home, roots: [repo.path], actor });
		await expect(install({ source: 'echo-agent' })).resolves.toMatchObject({ source: repo.path });

		const sub = join(repo.path, 'nested');
		mkdirSync(sub);
		const error = await install({ source: sub }).catch((e: Error) => e);
		expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect((error as Error).message).toMatch(/not the root of a git repository/);
	});
});

describe('installAgent: interrupted', () => {
	it('kills git and leaves nothing behind when aborted', async () => {
		const repo = track(createFixtureAgentRepo());
		const controller = new AbortController();
		controller.abort();
		expect(await codeOf(install({ source: repo.url, signal: controller.signal }))).toBe(
			'COMMAND_FAILED',
		);
		expect(agentsDirEntries()).toEqual([]);
		expect(countEvents(db, undefined)).toBe(0);
	});
});
