import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { countEvents } from '@agentspace/events';
import { createFixtureAgentRepo, createTempHome, fixtureAgentManifest } from '@agentspace/testing';
import { afterEach, expect, it } from 'vitest';
import { getAgent } from '../catalog/agentRecord.js';
import { installAgent } from './installAgent.js';

const actor = { type: 'human', id: 'tester' } as const;
const cleanups: (() => void)[] = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

it('refuses a permission holding a newline by its manifest field (not by an event) and installs nothing', async () => {
	const temp = createTempHome('install-bad-permission');
	cleanups.push(temp.cleanup);
	const home = join(temp.home, 'home');
	const db: AgentSpaceDb = openDb({ path: join(home, 'agentspace.db') });
	cleanups.push(() => closeDb(db));
	const permissions = fixtureAgentManifest().permissions as string[];
	const repo = createFixtureAgentRepo({
		permissions: [...permissions, 'filesystem:read:/tmp\n/etc'],
	});
	cleanups.push(repo.cleanup);

	const error = await installAgent({ db, home, actor, source: repo.url }).catch((e: unknown) => e);

	expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
	expect((error as Error).message).toMatch(/not a valid manifest/);
	expect((error as Error).message).not.toMatch(/event/);
	expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
		`permissions[${permissions.length}]`,
	]);
	const agentsDir = join(home, 'agents');
	expect(existsSync(agentsDir) ? readdirSync(agentsDir) : []).toEqual([]);
	expect(countEvents(db, undefined)).toBe(0);
	expect(await getAuditEvents(db, {})).toEqual([]);
	expect(getAgent(db, 'echo-agent')).toBeUndefined();
});
