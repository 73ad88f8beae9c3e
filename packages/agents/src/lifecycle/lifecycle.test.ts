import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	type AgentSpaceDb,
	closeDb,
	getAuditEvents,
	openDb,
	verifyAuditChain,
} from '@agentspace/db';
import { queryEvents, rebuildProjections } from '@agentspace/events';
import { dumpProjections } from '@agentspace/events/testing';
import {
	createFixtureAgentRepo,
	createTempHome,
	fixtureAgentManifest,
	type GitRepo,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentPaths } from '../agentPaths.js';
import { buildAgent } from '../build/buildAgent.js';
import { getAgent, listAgents } from '../catalog/agentRecord.js';
import { recordChange } from '../catalog/recordChange.js';
import { discoverAgents } from '../discovery/discoverAgents.js';
import { enableAgent } from '../enable/enableAgent.js';
import { revokeAgent } from '../enable/revokeAgent.js';
import { installAgent } from '../install/installAgent.js';
import { MANIFEST_FILE } from '../manifest/parseManifest.js';
import { assertRunnable } from './assertRunnable.js';
import { uninstallAgent } from './uninstallAgent.js';

const actor = { type: 'human', id: 'tester' } as const;
const USER_HOME = '/home/tester';
const FIXTURE_PERMISSIONS = fixtureAgentManifest().permissions as string[];
const EXTRA_PERMISSION = 'network:egress:*.example.org';

let temp: TempHome;
let home: string;
let db: AgentSpaceDb;
const cleanups: (() => void)[] = [];

beforeEach(() => {
	temp = createTempHome('lifecycle');
	home = join(temp.home, 'home');
	db = openDb({ path: join(home, 'agentspace.db') });
});

afterEach(() => {
	closeDb(db);
	for (const cleanup of cleanups.splice(0)) cleanup();
	temp.cleanup();
});

function fixtureRepo(manifest: Record<string, unknown> = {}): GitRepo {
	const repo = createFixtureAgentRepo(manifest);
	cleanups.push(repo.cleanup);
	return repo;
}

const install = (source: string, ref?: string) =>
	installAgent({ db, home, source, actor, ...(ref === undefined ? {} : { ref }) });
const enable = (id = 'echo-agent') =>
	enableAgent({ db, id, approve: 'all', actor, userHome: USER_HOME });
const build = (id = 'echo-agent') =>
	buildAgent({ db, home, id, actor, env: { PATH: process.env.PATH } });
const runnable = (id = 'echo-agent') => assertRunnable(db, id, { userHome: USER_HOME });

/** The error `fn` throws (fails the test when it returns). */
function thrown(fn: () => unknown): Error & { code: string; hint?: string } {
	try {
		fn();
	} catch (error) {
		return error as Error & { code: string; hint?: string };
	}
	throw new Error('expected an error');
}

describe('assertRunnable', () => {
	it('fails in order — NOT_FOUND, not installed, not enabled, not built — and passes once enabled and built', async () => {
		expect(thrown(() => runnable('ghost')).code).toBe('NOT_FOUND');

		const repo = fixtureRepo();
		discoverAgents({ db, home, roots: [repo.path], actor });
		const notInstalled = thrown(() => runnable());
		expect(notInstalled).toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/not installed/),
		});

		await install(repo.url);
		const notEnabled = thrown(() => runnable());
		expect(notEnabled).toMatchObject({
			code: 'PERMISSION_DENIED',
			message: expect.stringMatching(/not enabled/),
			hint: expect.stringMatching(/agentspace agents enable echo-agent/),
		});

		enable();
		const notBuilt = thrown(() => runnable());
		expect(notBuilt).toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/not built/),
		});
		expect(notBuilt.message).not.toMatch(/failed/);

		expect((await build()).ok).toBe(true);
		const ok = runnable();
		expect(ok.agent).toMatchObject({
			id: 'echo-agent',
			status: 'enabled',
			buildStatus: 'built',
			approval: 'approved',
		});
		expect(ok.manifest.manifest.id).toBe('echo-agent');
		expect(ok.manifest.manifestHash).toBe(ok.agent.approvedManifestHash);
		// Approved permissions come back parsed, paths resolved: what a sandbox enforces.
		expect(ok.approved).toEqual([
			{ domain: 'filesystem', action: 'read', path: '/home/tester/notes' },
			{ domain: 'network', action: 'egress', host: 'api.example.com', port: 443 },
			{ domain: 'env', action: 'read', variable: 'ECHO_GREETING' },
		]);
	});

	it('says the last build failed when it did', async () => {
		const repo = fixtureRepo({ build: { steps: [{ command: 'false', args: [] }] } });
		await install(repo.url);
		enable();
		expect((await build()).ok).toBe(false);

		expect(thrown(() => runnable())).toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/not built \(its last build failed\)/),
		});
	});

	it('needs no build for an agent without build steps', async () => {
		const repo = fixtureRepo({ build: undefined, permissions: [] });
		await install(repo.url);
		enable();

		expect(runnable()).toMatchObject({ approved: [], agent: { buildStatus: 'none' } });
	});

	it('reports PERMISSION_DRIFT when the checkout’s manifest is edited on disk, before and after discovery records it', async () => {
		const repo = fixtureRepo();
		const { installPath } = await install(repo.url);
		enable();
		await build();
		runnable();

		// A change that touches no permission still drifts: the approval is bound to the whole manifest.
		writeFileSync(
			join(installPath, MANIFEST_FILE),
			JSON.stringify({ ...fixtureAgentManifest(), version: '1.0.1' }),
		);
		const edited = thrown(() => runnable());
		expect(edited).toMatchObject({
			code: 'PERMISSION_DRIFT',
			message: expect.stringMatching(/its manifest changed/),
			hint: expect.stringMatching(/agentspace agents discover/),
		});

		discoverAgents({ db, home, roots: [], actor });
		expect(getAgent(db, 'echo-agent')?.approval).toBe('drifted');
		expect(thrown(() => runnable()).code).toBe('PERMISSION_DRIFT');

		// Approving again (the build stays: its steps did not change) makes it runnable.
		enable();
		expect(runnable().manifest.manifest.version).toBe('1.0.1');
	});

	it('reports PERMISSION_DRIFT after a re-install that requests other permissions, naming only the new one', async () => {
		const repo = fixtureRepo();
		await install(repo.url, 'v1');
		enable();
		await build();
		repo.commit({
			[MANIFEST_FILE]: {
				...fixtureAgentManifest(),
				version: '2.0.0',
				permissions: [...FIXTURE_PERMISSIONS, EXTRA_PERMISSION],
			},
		});
		const upgraded = await install(repo.url, 'main');
		expect(upgraded).toMatchObject({ permissionsChanged: true, needsReapproval: true });

		const drift = thrown(() => runnable());
		expect(drift.code).toBe('PERMISSION_DRIFT');
		expect(drift.message).toMatch(/requests different permissions/);
		expect(drift.message).toContain(`now requesting ${EXTRA_PERMISSION}`);
		// The permissions approved before (stored resolved, written with ~ in the manifest) are not "new".
		expect(drift.message).not.toContain('filesystem:read');
		expect(drift.message).not.toContain('env:read');

		// Re-approving is not enough: the re-install reset the build.
		enable();
		expect(thrown(() => runnable())).toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/not built/),
		});
		await build();
		expect(runnable().approved).toHaveLength(4);
	});

	it('is PERMISSION_DENIED again after a revoke', async () => {
		const repo = fixtureRepo({ build: undefined });
		await install(repo.url);
		enable();
		runnable();

		revokeAgent({ db, id: 'echo-agent', actor });

		expect(thrown(() => runnable()).code).toBe('PERMISSION_DENIED');
	});

	it('reports a checkout whose manifest is gone or broken as CONFLICT, saying to reinstall', async () => {
		const repo = fixtureRepo({ build: undefined });
		const { installPath } = await install(repo.url);
		enable();
		writeFileSync(join(installPath, MANIFEST_FILE), '{ broken');

		expect(thrown(() => runnable())).toMatchObject({
			code: 'CONFLICT',
			hint: expect.stringMatching(/reinstall it/),
		});
	});
});

describe('a running agent', () => {
	it('cannot be re-installed, built or uninstalled until it stops', async () => {
		const repo = fixtureRepo();
		const first = await install(repo.url);
		enable();
		await build();
		recordChange(db, {
			actor,
			events: [
				{
					type: 'agent_run_started',
					fields: {
						agent_id: 'echo-agent',
						run_id: 'run_test0001',
						pid: process.pid,
						sandboxed: false,
						restart_policy: 'no',
					},
				},
			],
			audit: { eventType: 'agents.run_started', agentId: 'echo-agent', metadata: {} },
		});
		expect(getAgent(db, 'echo-agent')?.status).toBe('running');

		await expect(install(repo.url)).rejects.toMatchObject({ code: 'CONFLICT' });
		await expect(build()).rejects.toMatchObject({ code: 'CONFLICT' });
		expect(() => uninstallAgent({ db, home, id: 'echo-agent', actor })).toThrow(
			expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/running/) }),
		);
		// The refused install left the checkout and nothing else.
		expect(readdirSync(join(home, 'agents'))).toEqual(['echo-agent']);
		expect(existsSync(join(first.installPath, MANIFEST_FILE))).toBe(true);

		recordChange(db, {
			actor,
			events: [
				{
					type: 'agent_run_stopped',
					fields: { agent_id: 'echo-agent', run_id: 'run_test0001', exit_code: 0, signal: null },
				},
			],
			audit: { eventType: 'agents.run_stopped', agentId: 'echo-agent', metadata: {} },
		});
		expect(uninstallAgent({ db, home, id: 'echo-agent', actor }).id).toBe('echo-agent');
	});
});

describe('uninstallAgent', () => {
	it('removes <home>/agents/<id>, keeps events, audit entries and logs, and hides the agent from the list', async () => {
		const repo = fixtureRepo();
		await install(repo.url);
		enable();
		await build();
		const paths = agentPaths(home, 'echo-agent');
		expect(existsSync(paths.home)).toBe(true);
		const eventsBefore = queryEvents(db, { stream_id: 'agent:echo-agent' });
		const auditBefore = await getAuditEvents(db, { order: 'asc' });

		const result = uninstallAgent({ db, home, id: 'echo-agent', actor });

		expect(result).toMatchObject({ id: 'echo-agent', removed: paths.root });
		expect(existsSync(paths.root)).toBe(false);
		expect(readdirSync(join(home, 'agents'))).toEqual([]);
		expect(existsSync(paths.buildLog)).toBe(true);

		const eventsAfter = queryEvents(db, { stream_id: 'agent:echo-agent' });
		expect(eventsAfter.slice(0, -1)).toEqual(eventsBefore);
		expect(eventsAfter.at(-1)?.type).toBe('agent_uninstalled');
		const auditAfter = await getAuditEvents(db, { order: 'asc' });
		expect(auditAfter.slice(0, -1)).toEqual(auditBefore);
		expect(auditAfter.at(-1)).toMatchObject({
			eventType: 'agents.uninstalled',
			subject: { type: 'agent', id: 'echo-agent' },
			metadata: { removed: paths.root, checkoutWasPresent: true },
		});

		expect(getAgent(db, 'echo-agent')).toMatchObject({
			status: 'uninstalled',
			installPath: null,
			installedCommit: null,
			approvedPermissions: null,
			buildStatus: 'none',
		});
		expect(listAgents(db)).toEqual([]);
		expect(listAgents(db, { includeUninstalled: true }).map((a) => a.id)).toEqual(['echo-agent']);

		// Gone means gone: not runnable, nothing left to uninstall, and installable again.
		expect(thrown(() => runnable()).code).toBe('CONFLICT');
		expect(() => uninstallAgent({ db, home, id: 'echo-agent', actor })).toThrow(
			expect.objectContaining({ code: 'CONFLICT' }),
		);
		expect(() => uninstallAgent({ db, home, id: 'ghost', actor })).toThrow(
			expect.objectContaining({ code: 'NOT_FOUND' }),
		);
		await install(repo.url);
		expect(getAgent(db, 'echo-agent')).toMatchObject({ status: 'installed', approval: 'none' });
	});

	it('records the uninstall even when the checkout was already deleted by hand', async () => {
		const repo = fixtureRepo();
		await install(repo.url);
		const paths = agentPaths(home, 'echo-agent');
		rmSync(paths.root, { recursive: true });

		const result = uninstallAgent({ db, home, id: 'echo-agent', actor });

		expect(result.audit.metadata).toMatchObject({ checkoutWasPresent: false });
		expect(getAgent(db, 'echo-agent')?.status).toBe('uninstalled');
	});
});

describe('the whole lifecycle', () => {
	it('leaves an audit chain that verifies, and projections that a replay rebuilds identically', async () => {
		const repo = fixtureRepo();
		discoverAgents({ db, home, roots: [repo.path], actor });
		await install(repo.url, 'v1');
		expect(() =>
			enableAgent({ db, id: 'echo-agent', approve: ['process:spawn'], actor, userHome: USER_HOME }),
		).toThrow();
		enable();
		await build();
		runnable();
		revokeAgent({ db, id: 'echo-agent', actor });
		enable();
		repo.commit({ [MANIFEST_FILE]: { ...fixtureAgentManifest(), version: '1.1.0' } });
		await install(repo.url, 'main');
		await build();
		uninstallAgent({ db, home, id: 'echo-agent', actor });

		const types = (await getAuditEvents(db, { order: 'asc' })).map((a) => a.eventType);
		expect(types).toEqual([
			'agents.discovered',
			'agents.installed',
			'security.denied',
			'agents.enabled',
			'agents.build_started',
			'agents.built',
			'agents.revoked',
			'agents.enabled',
			'agents.installed',
			'agents.build_started',
			'agents.built',
			'agents.uninstalled',
		]);
		const chain = await verifyAuditChain(db);
		expect(chain).toMatchObject({ ok: true, count: types.length });

		const before = dumpProjections(db);
		rebuildProjections(db);
		expect(dumpProjections(db)).toEqual(before);
	});
});

describe('catalogue status across re-installs', () => {
	it('stays enabled when the approved manifest is re-installed and rebuilt, and shows installed when it changed', async () => {
		const repo = fixtureRepo();
		await install(repo.url);
		await build();
		enable();
		expect(getAgent(db, 'echo-agent')?.status).toBe('enabled');

		await install(repo.url);
		expect(getAgent(db, 'echo-agent')).toMatchObject({ status: 'enabled', buildStatus: 'none' });
		await build();
		expect(getAgent(db, 'echo-agent')).toMatchObject({
			status: 'enabled',
			buildStatus: 'built',
			approval: 'approved',
		});

		repo.commit({ 'agentspace.agent.json': { ...fixtureAgentManifest(), version: '1.1.0' } });
		await install(repo.url);
		expect(getAgent(db, 'echo-agent')).toMatchObject({ status: 'installed', approval: 'drifted' });
		await build();
		expect(getAgent(db, 'echo-agent')).toMatchObject({ status: 'built', approval: 'drifted' });
	});
});
