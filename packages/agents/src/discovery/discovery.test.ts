import { execFileSync } from 'node:child_process';
import {
	chmodSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	symlinkSync,
	truncateSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultConfig, saveConfig } from '@agentspace/core';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { countEvents, queryEvents } from '@agentspace/events';
import { createFixtureAgentRepo, createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_PROJECT_KEY } from '../agentPaths.js';
import { getAgent } from '../catalog/agentRecord.js';
import { installAgent } from '../install/installAgent.js';
import { MANIFEST_FILE } from '../manifest/parseManifest.js';
import { readManifestFile } from '../manifest/readManifestFile.js';
import { discoverAgents } from './discoverAgents.js';
import { DEFAULT_MAX_DEPTH, findManifests } from './findManifests.js';
import { scanRoots } from './scanRoots.js';

const actor = { type: 'human', id: 'tester' } as const;

function manifest(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id,
		name: `Agent ${id}`,
		version: '1.0.0',
		entrypoint: { command: 'node', args: ['index.js'] },
		permissions: ['network:egress:api.example.com'],
		...overrides,
	};
}

/** Writes `<dir>/agentspace.agent.json` (creating `dir`) and returns the file's path. */
function writeManifest(dir: string, content: Record<string, unknown> | string): string {
	mkdirSync(dir, { recursive: true });
	const path = join(dir, MANIFEST_FILE);
	writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
	return path;
}

let temp: TempHome;
let home: string;
let root: string;
let outside: string;
let db: AgentSpaceDb;
const cleanups: (() => void)[] = [];

beforeEach(() => {
	temp = createTempHome('discovery');
	home = join(temp.home, 'home');
	root = join(temp.home, 'projects');
	outside = join(temp.home, 'outside');
	mkdirSync(root, { recursive: true });
	mkdirSync(outside, { recursive: true });
	db = openDb({ path: join(home, 'agentspace.db') });
});

afterEach(() => {
	closeDb(db);
	for (const cleanup of cleanups.splice(0)) cleanup();
	temp.cleanup();
});

const discover = (extra: { roots?: string[]; maxDepth?: number } = {}) =>
	discoverAgents({ db, home, roots: extra.roots ?? [root], actor, ...extra });

const auditOf = (type: string) => getAuditEvents(db, { type, order: 'asc' });

describe('discoverAgents: the catalogue', () => {
	it('records a new manifest as agent_discovered, with its audit entry in the same transaction', async () => {
		const path = writeManifest(join(root, 'alpha'), manifest('alpha', { description: 'first' }));
		const result = discover();

		expect(result.agents).toMatchObject([{ id: 'alpha', path, outcome: 'new', version: '1.0.0' }]);
		expect(result.invalid).toEqual([]);
		const events = queryEvents(db, { stream_id: 'agent:alpha' });
		expect(events.map((e) => e.type)).toEqual(['agent_discovered']);
		const [event] = events;
		expect(event?.project_key).toBe(AGENT_PROJECT_KEY);
		expect(event?.metadata.actor).toEqual(actor);
		if (event?.type !== 'agent_discovered') throw new Error('expected agent_discovered');
		expect(event.manifest_path).toBe(path);
		expect(event.manifest_hash).toBe(result.agents[0]?.manifestHash);
		expect(event.requested_permissions).toEqual(['network:egress:api.example.com']);

		const agent = getAgent(db, 'alpha');
		expect(agent).toMatchObject({
			id: 'alpha',
			name: 'Agent alpha',
			description: 'first',
			status: 'discovered',
			buildStatus: 'none',
			manifestPath: path,
			manifestHash: event.manifest_hash,
			installPath: null,
			approval: 'none',
		});

		const audit = await auditOf('agents.discovered');
		expect(audit).toHaveLength(1);
		expect(audit[0]?.metadata).toMatchObject({ roots: [root], discovered: ['alpha'], updated: [] });
		expect(audit[0]?.actor).toEqual(actor);
		// The audit entry points at the first event of its transaction.
		expect(audit[0]?.correlationId).toBe(event.id);
		expect(result.audit?.id).toBe(audit[0]?.id);
	});

	it('records a changed manifest as agent_updated and updates the catalogue', async () => {
		const dir = join(root, 'alpha');
		writeManifest(dir, manifest('alpha'));
		const first = discover();
		const before = first.agents[0]?.manifestHash;

		writeManifest(dir, manifest('alpha', { version: '1.1.0', permissions: [] }));
		const result = discover();

		expect(result.agents).toMatchObject([{ id: 'alpha', outcome: 'updated', version: '1.1.0' }]);
		expect(result.agents[0]?.manifestHash).not.toBe(before);
		const events = queryEvents(db, { stream_id: 'agent:alpha' });
		expect(events.map((e) => e.type)).toEqual(['agent_discovered', 'agent_updated']);
		const updated = events[1];
		if (updated?.type !== 'agent_updated') throw new Error('expected agent_updated');
		expect(updated.previous_manifest_hash).toBe(before);
		expect(updated.manifest_hash).toBe(result.agents[0]?.manifestHash);
		expect(getAgent(db, 'alpha')).toMatchObject({
			version: '1.1.0',
			requestedPermissions: [],
			manifestHash: result.agents[0]?.manifestHash,
		});
		const audit = await auditOf('agents.discovered');
		expect(audit.map((a) => a.metadata)).toMatchObject([
			{ discovered: ['alpha'], updated: [] },
			{ discovered: [], updated: ['alpha'] },
		]);
	});

	it('records a manifest that moved (same content, another place) as updated', () => {
		writeManifest(join(root, 'old'), manifest('alpha'));
		discover();
		rmSync(join(root, 'old'), { recursive: true });
		const path = writeManifest(join(root, 'new'), manifest('alpha'));

		expect(discover().agents).toMatchObject([{ id: 'alpha', outcome: 'updated', path }]);
		expect(getAgent(db, 'alpha')?.manifestPath).toBe(path);
	});

	it('writes nothing — no event, no audit entry — when nothing changed (formatting is not a change)', async () => {
		const dir = join(root, 'alpha');
		writeManifest(dir, manifest('alpha'));
		discover();
		const events = countEvents(db, undefined);
		const audits = (await getAuditEvents(db)).length;
		const updatedAt = getAgent(db, 'alpha')?.updatedAt;

		// The same manifest, re-indented and with its keys in another order.
		writeManifest(
			dir,
			JSON.stringify(Object.fromEntries(Object.entries(manifest('alpha')).reverse()), null, 4),
		);
		const result = discover();

		expect(result.agents).toMatchObject([{ id: 'alpha', outcome: 'unchanged' }]);
		expect(result.audit).toBeUndefined();
		expect(countEvents(db, undefined)).toBe(events);
		expect(await getAuditEvents(db)).toHaveLength(audits);
		expect(getAgent(db, 'alpha')?.updatedAt).toBe(updatedAt);
	});

	it('reports an invalid manifest with its path and every error, and goes on scanning', () => {
		const badJson = writeManifest(join(root, 'a-bad-json'), '{ "id": "x", ');
		const badFields = writeManifest(join(root, 'b-bad-fields'), {
			id: 'Not Valid',
			name: '',
			version: 'one',
			permissions: ['filesystem:read:../etc'],
			extra: true,
		});
		const good = writeManifest(join(root, 'c-good'), manifest('good'));

		const result = discover();

		expect(result.agents).toMatchObject([{ id: 'good', path: good, outcome: 'new' }]);
		expect(result.invalid.map((i) => i.path)).toEqual([badJson, badFields]);
		expect(result.invalid[0]?.errors[0]?.message).toMatch(/not valid JSON/);
		const paths = result.invalid[1]?.errors.map((e) => e.path) ?? [];
		// Every problem at once, not just the first.
		for (const field of ['id', 'name', 'version', 'entrypoint']) expect(paths).toContain(field);
		expect(paths.some((p) => p.startsWith('permissions'))).toBe(true);
		expect(result.invalid[1]?.errors.length).toBeGreaterThanOrEqual(6);
		expect(getAgent(db, 'Not Valid')).toBeUndefined();
	});

	it('reports a manifest whose permission holds a newline and catalogues the others', async () => {
		const first = writeManifest(join(root, 'a-first'), manifest('first'));
		const bad = writeManifest(
			join(root, 'b-bad'),
			manifest('bad', { permissions: ['filesystem:read:/tmp\n/etc'] }),
		);
		const second = writeManifest(join(root, 'c-second'), manifest('second'));

		const result = discover();

		expect(result.agents).toMatchObject([
			{ id: 'first', path: first, outcome: 'new' },
			{ id: 'second', path: second, outcome: 'new' },
		]);
		expect(result.invalid).toEqual([
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
		expect(getAgent(db, 'first')?.status).toBe('discovered');
		expect(getAgent(db, 'second')?.status).toBe('discovered');
		expect(getAgent(db, 'bad')).toBeUndefined();
		expect((await auditOf('agents.discovered'))[0]?.metadata).toMatchObject({
			discovered: ['first', 'second'],
		});
	});

	it('refuses a 10 MB manifest from its size alone, without reading it', () => {
		const big = writeManifest(join(root, 'big'), '');
		// Sparse: 10 MB long, costs nothing to create.
		truncateSync(big, 10 * 1024 * 1024);
		writeManifest(join(root, 'small'), manifest('small'));

		const result = discover();

		expect(result.invalid).toHaveLength(1);
		expect(result.invalid[0]?.path).toBe(big);
		// The size comes from fstat: had the file been read, at most 256 KB + 1 would have been seen.
		expect(result.invalid[0]?.errors).toEqual([
			{ path: '(root)', message: expect.stringMatching(/is 10485760 bytes; the limit is 262144/) },
		]);
		expect(result.agents.map((a) => a.id)).toEqual(['small']);
	});

	it('reports manifests with the same id: the first is used, the others are ignored, and the choice is stable', () => {
		const one = writeManifest(join(root, 'one'), manifest('twin'));
		const two = writeManifest(join(root, 'two'), manifest('twin', { version: '2.0.0' }));

		const first = discover();
		expect(first.agents).toMatchObject([{ id: 'twin', path: one, version: '1.0.0' }]);
		expect(first.ignored).toEqual([
			{ path: two, id: 'twin', usedPath: one, reason: expect.stringMatching(/same id/) },
		]);
		expect(getAgent(db, 'twin')?.manifestPath).toBe(one);

		// A copy that sorts first does not take over from the one the catalogue knows.
		const zero = writeManifest(join(root, '0-zero'), manifest('twin', { version: '3.0.0' }));
		const second = discover();
		expect(second.agents).toMatchObject([{ id: 'twin', path: one, outcome: 'unchanged' }]);
		expect(second.ignored.map((i) => i.path).sort()).toEqual([zero, two].sort());
		expect(queryEvents(db, { stream_id: 'agent:twin' })).toHaveLength(1);
	});

	it('reports a checkout in the home whose manifest id does not match its directory', () => {
		const wrong = writeManifest(join(home, 'agents', 'wrong', 'src'), manifest('right'));

		const result = discover({ roots: [] });

		expect(result.invalid).toEqual([
			{ path: wrong, errors: [{ path: 'id', message: expect.stringMatching(/agents\/wrong\//) }] },
		]);
		expect(getAgent(db, 'right')).toBeUndefined();
	});

	it('lists roots that do not exist as missing, not as errors', () => {
		const missing = join(temp.home, 'no-such-dir');
		const file = join(temp.home, 'a-file');
		writeFileSync(file, '');
		writeManifest(join(root, 'alpha'), manifest('alpha'));

		const result = discover({ roots: [missing, file, root] });

		expect(result.missingRoots).toEqual([missing, file]);
		expect(result.agents.map((a) => a.id)).toEqual(['alpha']);
	});

	it('keeps the events and the audit entry together: when the audit write fails, no event is stored', async () => {
		writeManifest(join(root, 'alpha'), manifest('alpha'));
		// A connection-local trigger makes the audit insert fail inside the transaction.
		db.$client.exec(
			`CREATE TEMP TRIGGER fail_audit BEFORE INSERT ON main.audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`,
		);

		expect(() => discover()).toThrow(/audit refused/);
		expect(countEvents(db, undefined)).toBe(0);
		expect(getAgent(db, 'alpha')).toBeUndefined();
		expect(await getAuditEvents(db)).toEqual([]);

		db.$client.exec('DROP TRIGGER fail_audit');
		expect(discover().agents).toMatchObject([{ id: 'alpha', outcome: 'new' }]);
	});
});

describe('discoverAgents and installed agents', () => {
	it('does not let a copy elsewhere stand in for an installed agent whose checkout lost its manifest', async () => {
		const repo = createFixtureAgentRepo();
		cleanups.push(repo.cleanup);
		const installed = await installAgent({ db, home, source: repo.url, actor });
		rmSync(join(installed.installPath, MANIFEST_FILE));
		const events = countEvents(db, undefined);

		const result = discover({ roots: [repo.path] });

		expect(result.agents).toEqual([]);
		expect(result.ignored).toEqual([
			{
				path: join(repo.path, MANIFEST_FILE),
				id: 'echo-agent',
				usedPath: installed.installPath,
				reason: expect.stringMatching(/no valid manifest: reinstall/),
			},
		]);
		expect(countEvents(db, undefined)).toBe(events);
		expect(getAgent(db, 'echo-agent')?.manifestPath).toBe(
			join(installed.installPath, MANIFEST_FILE),
		);
	});

	it('uses only the checkout of an installed agent: a copy elsewhere is ignored, and editing it changes nothing', async () => {
		const repo = createFixtureAgentRepo();
		cleanups.push(repo.cleanup);
		const installed = await installAgent({ db, home, source: repo.url, actor });
		const installedManifest = join(installed.installPath, MANIFEST_FILE);
		const events = countEvents(db, undefined);

		// The author's working tree (the repository itself) is in a scanned root.
		const result = discover({ roots: [repo.path] });
		expect(result.agents).toMatchObject([
			{ id: 'echo-agent', path: installedManifest, outcome: 'unchanged' },
		]);
		expect(result.ignored).toEqual([
			{
				path: join(repo.path, MANIFEST_FILE),
				id: 'echo-agent',
				usedPath: installedManifest,
				reason: expect.stringMatching(/installed/),
			},
		]);
		expect(result.audit).toBeUndefined();

		// The author adds a permission in the working tree: the catalogue does not move.
		writeManifest(repo.path, manifest('echo-agent', { permissions: ['process:spawn'] }));
		const again = discover({ roots: [repo.path] });
		expect(again.agents).toMatchObject([{ id: 'echo-agent', outcome: 'unchanged' }]);
		expect(countEvents(db, undefined)).toBe(events);
		expect(getAgent(db, 'echo-agent')?.requestedPermissions).not.toContain('process:spawn');
	});

	it('prefers a checkout in the home over a copy in a root even when the catalogue does not know the agent yet', () => {
		// E.g. a home whose database was recreated: the checkout is still there.
		const copy = writeManifest(join(root, 'alpha'), manifest('alpha', { version: '9.0.0' }));
		const checkout = writeManifest(join(home, 'agents', 'alpha', 'src'), manifest('alpha'));

		const result = discover();

		expect(result.agents).toMatchObject([
			{ id: 'alpha', path: checkout, outcome: 'new', version: '1.0.0' },
		]);
		expect(result.ignored).toEqual([
			{ path: copy, id: 'alpha', usedPath: checkout, reason: expect.stringMatching(/installed/) },
		]);
	});

	it('records a change made to the checkout itself (the home’s agents/ is always scanned)', async () => {
		const repo = createFixtureAgentRepo();
		cleanups.push(repo.cleanup);
		const installed = await installAgent({ db, home, source: repo.path, actor });
		writeManifest(installed.installPath, manifest('echo-agent', { version: '7.0.0' }));

		const result = discover({ roots: [] });

		expect(result.agents).toMatchObject([
			{ id: 'echo-agent', outcome: 'updated', version: '7.0.0' },
		]);
		expect(getAgent(db, 'echo-agent')).toMatchObject({
			version: '7.0.0',
			status: 'installed',
			installPath: installed.installPath,
		});
	});
});

describe('findManifests: the walk', () => {
	it('never enters node_modules, .git, .hg or .svn', () => {
		const found = writeManifest(join(root, 'project'), manifest('project'));
		for (const skipped of ['node_modules/pkg', '.git/x', 'project/.git', '.hg', '.svn/a']) {
			writeManifest(join(root, skipped), manifest('hidden'));
		}
		// A directory merely starting with a dot is entered.
		const dotted = writeManifest(join(root, '.config', 'agent'), manifest('dotted'));

		expect(findManifests([root]).manifests).toEqual([dotted, found]);
	});

	it('looks no deeper than maxDepth (the root is depth 0)', () => {
		const atRoot = writeManifest(root, manifest('r'));
		const depth2 = writeManifest(join(root, 'a', 'b'), manifest('b'));
		writeManifest(join(root, 'a', 'b', 'c'), manifest('c'));

		expect(findManifests([root], { maxDepth: 2 }).manifests).toEqual([depth2, atRoot].sort());
		expect(findManifests([root], { maxDepth: 0 }).manifests).toEqual([atRoot]);
	});

	it(`defaults to a depth of ${DEFAULT_MAX_DEPTH}`, () => {
		const levels = (n: number) => join(root, ...Array.from({ length: n }, (_, i) => `d${i}`));
		const deepest = writeManifest(levels(DEFAULT_MAX_DEPTH), manifest('deep'));
		writeManifest(levels(DEFAULT_MAX_DEPTH + 1), manifest('too-deep'));

		expect(findManifests([root]).manifests).toEqual([deepest]);
		expect(discover().agents.map((a) => a.id)).toEqual(['deep']);
	});

	it('stops at maxDirectories and says the scan was truncated', () => {
		for (const name of ['a', 'b', 'c', 'd']) writeManifest(join(root, name), manifest(name));

		const result = findManifests([root], { maxDirectories: 3 });

		expect(result.truncated).toBe(true);
		expect(result.manifests).toHaveLength(2);
		expect(findManifests([root]).truncated).toBe(false);
	});

	it('reports a symlinked directory leading outside the root and does not follow it', () => {
		writeManifest(outside, manifest('outsider'));
		symlinkSync(outside, join(root, 'link-out'));

		const result = discover();

		expect(result.agents).toEqual([]);
		expect(result.skipped).toEqual([
			{
				path: join(root, 'link-out'),
				reason: expect.stringMatching(/symlink leads outside the scan root.*not followed/),
			},
		]);
		expect(getAgent(db, 'outsider')).toBeUndefined();
	});

	it('reports a symlinked manifest file leading outside the root and does not read it', () => {
		const target = join(outside, 'elsewhere.json');
		writeFileSync(target, JSON.stringify(manifest('outsider')));
		mkdirSync(join(root, 'p'));
		symlinkSync(target, join(root, 'p', MANIFEST_FILE));

		const result = discover();

		expect(result.agents).toEqual([]);
		expect(result.invalid).toEqual([]);
		expect(result.skipped).toEqual([
			{ path: join(root, 'p', MANIFEST_FILE), reason: expect.stringMatching(/outside/) },
		]);
	});

	it('follows symlinks that stay inside the root, finding each manifest once', () => {
		const real = writeManifest(join(root, 'real'), manifest('inside'));
		symlinkSync(join(root, 'real'), join(root, 'alias'));
		mkdirSync(join(root, 'q'));
		symlinkSync(real, join(root, 'q', MANIFEST_FILE));
		symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));

		const result = findManifests([root]);

		expect(result.manifests).toEqual([real]);
		expect(result.skipped).toEqual([]);
	});

	it('ends on symlink loops inside the root', () => {
		const path = writeManifest(join(root, 'a', 'b'), manifest('looped'));
		symlinkSync(root, join(root, 'a', 'b', 'to-root'));
		symlinkSync('.', join(root, 'a', 'self'));
		symlinkSync(join(root, 'a'), join(root, 'a', 'b', 'up'));

		const result = findManifests([root], { maxDepth: 50 });

		expect(result.manifests).toEqual([path]);
		expect(result.truncated).toBe(false);
		expect(discover({ maxDepth: 50 }).agents).toMatchObject([{ id: 'looped', path }]);
	});

	it.skipIf(process.getuid?.() === 0)(
		'reports an unreadable directory and goes on (skipped as root: chmod 000 does not stop root)',
		() => {
			const locked = join(root, 'locked');
			writeManifest(locked, manifest('locked'));
			const open = writeManifest(join(root, 'open'), manifest('open'));
			chmodSync(locked, 0o000);
			try {
				const result = findManifests([root]);
				expect(result.manifests).toEqual([open]);
				expect(result.skipped).toEqual([
					{ path: locked, reason: expect.stringMatching(/cannot read: EACCES/) },
				]);
			} finally {
				chmodSync(locked, 0o700);
			}
		},
	);

	it('reports a directory it cannot read (a path too long to open, which stops root too) and goes on', () => {
		// 17 levels of 250 characters: the deepest directory's path is longer than
		// PATH_MAX, so reading it fails with ENAMETOOLONG whoever the user is. Made
		// with relative mkdirs; removed with rm -rf, which copes.
		const deep = mkdtempSync(join(tmpdir(), 'agentspace-test-long-'));
		cleanups.push(() => execFileSync('rm', ['-rf', deep]));
		const name = 'x'.repeat(250);
		// Relative chdirs in a child: no path the kernel sees is ever too long.
		execFileSync(process.execPath, [
			'-e',
			`process.chdir(process.argv[1]); for (let i = 0; i < 17; i++) { require('node:fs').mkdirSync(process.argv[2]); process.chdir(process.argv[2]); }`,
			deep,
			name,
		]);
		const open = writeManifest(join(deep, 'open'), manifest('open'));

		const result = findManifests([deep], { maxDepth: 30 });

		expect(result.manifests).toEqual([open]);
		expect(result.skipped).toHaveLength(1);
		expect(result.skipped[0]?.reason).toMatch(/cannot read: ENAMETOOLONG/);
		expect(result.skipped[0]?.path.length).toBeGreaterThan(4096);
		expect(dirname(result.skipped[0]?.path ?? '').startsWith(join(deep, name))).toBe(true);
	});
});

describe('scanRoots', () => {
	it('expands the configured roots (default ~/Projects) and adds the home’s agents/', () => {
		expect(scanRoots({ home, userHome: '/home/tester' })).toEqual([
			'/home/tester/Projects',
			join(home, 'agents'),
		]);
		saveConfig({ home }, { ...defaultConfig(), scanRoots: ['~/code', '/srv/agents', '~/code'] });
		expect(scanRoots({ home, userHome: '/home/tester' })).toEqual([
			'/home/tester/code',
			'/srv/agents',
			join(home, 'agents'),
		]);
	});
});

it('leaves no staging directories in the home’s agents/ after an install, and discovery ignores dot-directories there', async () => {
	const repo = createFixtureAgentRepo();
	cleanups.push(repo.cleanup);
	await installAgent({ db, home, source: repo.url, actor });
	writeManifest(join(home, 'agents', '.install-leftover', 'src'), manifest('leftover'));

	const result = discover({ roots: [] });

	expect(result.agents.map((a) => a.id)).toEqual(['echo-agent']);
	expect(result.invalid).toEqual([]);
	expect(readdirSync(join(home, 'agents')).sort()).toEqual(['.install-leftover', 'echo-agent']);
});

describe('discoverAgents and special files', () => {
	it('passes over a FIFO named like a manifest (directly or through a symlink) instead of blocking on it', () => {
		const dir = join(root, 'fifo');
		mkdirSync(join(dir, 'direct'), { recursive: true });
		execFileSync('mkfifo', [join(dir, 'pipe')]);
		execFileSync('mkfifo', [join(dir, 'direct', MANIFEST_FILE)]);
		symlinkSync(join(dir, 'pipe'), join(dir, MANIFEST_FILE));

		const result = discover();

		expect(result.agents).toEqual([]);
		expect(readManifestFile(join(dir, 'pipe'))).toMatchObject({
			ok: false,
			errors: [{ message: expect.stringMatching(/not a regular file/) }],
		});
	});
});
