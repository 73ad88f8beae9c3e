import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import { countEvents, queryEvents } from '@agentspace/events';
import { createFixtureAgentRepo, fixtureAgentManifest } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAgent } from '../catalog/agentRecord.js';
import { discoverAgents } from '../discovery/discoverAgents.js';
import { installAgent } from '../install/installAgent.js';
import { MANIFEST_FILE } from '../manifest/parseManifest.js';
import { type AgentScenario, agentScenario } from '../testing/agentScenario.js';
import { type EnableOptions, enableAgent } from './enableAgent.js';
import { revokeAgent } from './revokeAgent.js';

const actor = { type: 'human', id: 'tester' } as const;
const USER_HOME = '/home/tester';
// The fixture requests these; approvals are stored resolved (~ expanded).
const NOTES = 'filesystem:read:/home/tester/notes';
const API = 'network:egress:api.example.com:443';
const GREETING = 'env:read:ECHO_GREETING';

let agent: AgentScenario;
let home: string;
let db: AgentSpaceDb;
let src: string;
const cleanups: (() => void)[] = [];

beforeEach(async () => {
	agent = await agentScenario({ label: 'enable', agent: { fixture: 'build' }, actor });
	({ home, db } = agent);
	src = agent.installed?.installPath as string;
});

afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) cleanup();
	await agent.cleanup();
});

const enable = (approve: EnableOptions['approve'], id = 'echo-agent') =>
	enableAgent({ db, id, approve, actor, userHome: USER_HOME });

const enabledEvents = () => queryEvents(db, { types: ['agent_enabled'] });

describe('enableAgent', () => {
	it('denies by default: approving [] approves nothing, yet enables the agent', async () => {
		const result = enable([]);

		expect(result.approved).toEqual([]);
		expect(result.denied).toEqual([NOTES, API, GREETING]);
		const agent = getAgent(db, 'echo-agent');
		expect(agent).toMatchObject({
			status: 'enabled',
			approvedPermissions: [],
			approvedManifestHash: agent?.manifestHash,
			approvedPermissionsHash: agent?.permissionsHash,
			approval: 'approved',
		});
		expect(agent?.enabledAt).not.toBeNull();
		expect(enabledEvents()).toMatchObject([
			{
				agent_id: 'echo-agent',
				approved_permissions: [],
				manifest_hash: agent?.manifestHash,
				permissions_hash: agent?.permissionsHash,
			},
		]);
		const audit = await getAuditEvents(db, { type: 'agents.enabled' });
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({
			subject: { type: 'agent', id: 'echo-agent' },
			metadata: { approved: [], notApproved: [NOTES, API, GREETING] },
		});
		expect(result.audit.id).toBe(audit[0]?.id);
	});

	it('approves nothing when the manifest is not the one the user reviewed (CONFLICT)', () => {
		const agent = getAgent(db, 'echo-agent');
		expect(() =>
			enableAgent({
				db,
				id: 'echo-agent',
				approve: 'all',
				actor,
				userHome: USER_HOME,
				expectedManifestHash: 'f'.repeat(64),
			}),
		).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
		expect(enabledEvents()).toEqual([]);
		const result = enableAgent({
			db,
			id: 'echo-agent',
			approve: [],
			actor,
			userHome: USER_HOME,
			expectedManifestHash: agent?.manifestHash,
		});
		expect(result.manifestHash).toBe(agent?.manifestHash);
	});

	it("approves every requested permission with 'all', paths resolved", () => {
		const result = enable('all');

		expect(result.approved).toEqual([NOTES, API, GREETING]);
		expect(result.denied).toEqual([]);
		expect(getAgent(db, 'echo-agent')?.approvedPermissions).toEqual([NOTES, API, GREETING]);
	});

	it('approves a subset, a narrower path, and the same permission written differently', () => {
		const result = enable([
			'filesystem:read:~/notes/work',
			'network:egress:API.example.com:443',
			'filesystem:read:~/notes/work',
		]);

		expect(result.approved).toEqual([
			'filesystem:read:/home/tester/notes/work',
			'network:egress:api.example.com:443',
		]);
		// NOTES is approved in a narrower form, so only GREETING is left unapproved.
		expect(result.denied).toEqual([GREETING]);
		expect(enable([NOTES]).approved).toEqual([NOTES]);
	});

	it.each([
		[['network:egress:evil.example.com'], ['network:egress:evil.example.com']],
		// Wider than requested.
		[['filesystem:read:~'], ['filesystem:read:/home/tester']],
		[['filesystem:read:/home/tester/notes-other'], ['filesystem:read:/home/tester/notes-other']],
		// Another action on a requested path.
		[['filesystem:write:~/notes'], ['filesystem:write:/home/tester/notes']],
		// The requested host, on another port or any port.
		[['network:egress:api.example.com'], ['network:egress:api.example.com']],
		[['network:egress:api.example.com:80'], ['network:egress:api.example.com:80']],
		[
			[GREETING, 'env:read:AWS_SECRET_ACCESS_KEY', 'process:spawn'],
			['env:read:AWS_SECRET_ACCESS_KEY', 'process:spawn'],
		],
	])(
		'refuses %j with PERMISSION_DENIED naming %j, audits security.denied, enables nothing',
		async (approve, named) => {
			const error = (() => {
				try {
					enable(approve);
				} catch (e) {
					return e as Error & { code: string; issues: { message: string }[] };
				}
				throw new Error('expected a refusal');
			})();

			expect(error.code).toBe('PERMISSION_DENIED');
			for (const permission of named) expect(error.message).toContain(permission);
			expect(error.issues.map((i) => i.message)).toEqual(named.map((p) => `${p} is not requested`));
			expect(enabledEvents()).toEqual([]);
			expect(getAgent(db, 'echo-agent')).toMatchObject({
				status: 'installed',
				approvedPermissions: null,
				approval: 'none',
			});
			const denied = await getAuditEvents(db, { type: 'security.denied' });
			expect(denied).toHaveLength(1);
			expect(denied[0]).toMatchObject({
				severity: 'security',
				actor,
				subject: { type: 'agent', id: 'echo-agent' },
				metadata: { action: 'agents.enable', permissions: named },
			});
			expect(await getAuditEvents(db, { type: 'agents.enabled' })).toEqual([]);
		},
	);

	it('refuses permissions that do not parse (VALIDATION_FAILED), recording nothing', async () => {
		const events = countEvents(db, undefined);
		const audits = (await getAuditEvents(db)).length;

		expect(() => enable(['filesystem:read:../etc', 'nonsense'])).toThrow(
			expect.objectContaining({
				code: 'VALIDATION_FAILED',
				issues: [
					expect.objectContaining({ path: 'approve[0]' }),
					expect.objectContaining({ path: 'approve[1]' }),
				],
			}),
		);
		expect(countEvents(db, undefined)).toBe(events);
		expect(await getAuditEvents(db)).toHaveLength(audits);
	});

	it('refuses an unknown agent (NOT_FOUND) and one that is only discovered (CONFLICT)', () => {
		expect(() => enable('all', 'ghost')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));

		const repo = createFixtureAgentRepo({ id: 'discovered-only' });
		cleanups.push(repo.cleanup);
		discoverAgents({ db, home, roots: [repo.path], actor });
		expect(() => enable('all', 'discovered-only')).toThrow(
			expect.objectContaining({
				code: 'CONFLICT',
				message: expect.stringMatching(/not installed/),
			}),
		);
	});

	it('refuses to enable when the checkout’s manifest changed behind the catalogue', () => {
		writeFileSync(
			join(src, MANIFEST_FILE),
			JSON.stringify({ ...fixtureAgentManifest(), permissions: ['filesystem:write:~'] }),
		);

		expect(() => enable('all')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
		expect(enabledEvents()).toEqual([]);

		// Once discovery has recorded the change, the new permissions can be reviewed and approved.
		discoverAgents({ db, home, roots: [], actor });
		expect(enable('all').approved).toEqual(['filesystem:write:/home/tester']);
	});

	it('binds the approval to the manifest: enabling again replaces the approved set', () => {
		enable('all');
		const second = enable([API]);

		expect(second.approved).toEqual([API]);
		expect(getAgent(db, 'echo-agent')?.approvedPermissions).toEqual([API]);
		expect(enabledEvents()).toHaveLength(2);
	});

	// `secret:read:<name>` looks like an assignment (`secret: …`) to the
	// credential patterns the event store redacts payloads with; it once became
	// `secret:[REDACTED]` and such an agent could never be enabled.
	it('enables an agent that requests a secret (the event store keeps permission names unredacted)', async () => {
		const repo = createFixtureAgentRepo({
			id: 'secretive',
			permissions: ['secret:read:github-token'],
		});
		cleanups.push(repo.cleanup);
		await installAgent({ db, home, source: repo.url, actor });
		expect(getAgent(db, 'secretive')?.requestedPermissions).toEqual(['secret:read:github-token']);
		expect(enable('all', 'secretive').approved).toEqual(['secret:read:github-token']);
	});
});

describe('revokeAgent', () => {
	it('withdraws the approval: the agent is no longer enabled', async () => {
		enable('all');

		const result = revokeAgent({ db, id: 'echo-agent', actor, reason: 'no longer trusted' });

		expect(result.revoked).toEqual([NOTES, API, GREETING]);
		expect(getAgent(db, 'echo-agent')).toMatchObject({
			status: 'installed',
			approvedPermissions: null,
			approvedManifestHash: null,
			enabledAt: null,
			approval: 'none',
		});
		expect(queryEvents(db, { types: ['agent_permissions_revoked'] })).toMatchObject([
			{ agent_id: 'echo-agent', reason: 'no longer trusted' },
		]);
		const [audit] = await getAuditEvents(db, { type: 'agents.revoked' });
		expect(audit?.actor).toEqual(actor);
		expect(audit?.metadata).toEqual({
			revoked: [NOTES, API, GREETING],
			reason: 'no longer trusted',
		});
	});

	it('refuses to revoke what is not enabled (CONFLICT), and an unknown agent (NOT_FOUND)', () => {
		expect(() => revokeAgent({ db, id: 'echo-agent', actor })).toThrow(
			expect.objectContaining({ code: 'CONFLICT', message: expect.stringMatching(/not enabled/) }),
		);
		enable([]);
		revokeAgent({ db, id: 'echo-agent', actor });
		expect(() => revokeAgent({ db, id: 'echo-agent', actor })).toThrow(
			expect.objectContaining({ code: 'CONFLICT' }),
		);
		expect(() => revokeAgent({ db, id: 'ghost', actor })).toThrow(
			expect.objectContaining({ code: 'NOT_FOUND' }),
		);
		expect(queryEvents(db, { types: ['agent_permissions_revoked'] })).toHaveLength(1);
	});
});
