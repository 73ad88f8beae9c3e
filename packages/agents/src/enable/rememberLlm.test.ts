// `agents enable --remember`: approved llm: permissions approved "remembered",
// recorded on agent_enabled (`remembered`), read back by assertRunnable — from
// the approval's own event, so a replay of the log gives the same answer.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import { queryEvents, rebuildProjections } from '@agentspace/events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverAgents } from '../discovery/discoverAgents.js';
import { assertRunnable } from '../lifecycle/assertRunnable.js';
import { MANIFEST_FILE } from '../manifest/parseManifest.js';
import { type AgentScenario, agentScenario } from '../testing/agentScenario.js';
import { type EnableOptions, enableAgent } from './enableAgent.js';

const actor = { type: 'human', id: 'tester' } as const;
const REQUESTED = ['llm:anthropic', 'llm:openai-compatible:groq', 'env:read:ECHO_GREETING'];

let agent: AgentScenario;
let db: AgentSpaceDb;

beforeEach(async () => {
	agent = await agentScenario({ label: 'remember', agent: { permissions: REQUESTED }, actor });
	db = agent.db;
});
afterEach(async () => {
	await agent.cleanup();
});

const enable = (approve: EnableOptions['approve'], remember?: readonly string[]) =>
	enableAgent({
		db,
		id: 'echo-agent',
		approve,
		actor,
		...(remember === undefined ? {} : { remember }),
	});
const enabledEvents = () => queryEvents(db, { types: ['agent_enabled'] });

describe('enableAgent with remember', () => {
	it('records the remembered llm: permissions on agent_enabled and its audit entry; assertRunnable reads them', async () => {
		const result = enable('all', ['llm:openai-compatible:groq']);

		expect(result.remembered).toEqual(['llm:openai-compatible:groq']);
		expect(enabledEvents()).toMatchObject([{ remembered: ['llm:openai-compatible:groq'] }]);
		const [audit] = await getAuditEvents(db, { type: 'agents.enabled' });
		expect(audit?.metadata).toMatchObject({ remembered: ['llm:openai-compatible:groq'] });
		expect(assertRunnable(db, 'echo-agent').remembered).toEqual(['llm:openai-compatible:groq']);

		// Replayed from the log: the same approval, the same remembered ones.
		rebuildProjections(db);
		expect(assertRunnable(db, 'echo-agent').remembered).toEqual(['llm:openai-compatible:groq']);
	});

	it('records nothing remembered without it; a later enable replaces what was remembered', () => {
		enable('all', ['llm:anthropic']);
		const again = enable('all');

		expect(again.remembered).toEqual([]);
		expect(enabledEvents()[1]).not.toHaveProperty('remembered');
		expect(assertRunnable(db, 'echo-agent').remembered).toEqual([]);
	});

	const refused: [string, EnableOptions['approve'], string[], RegExp][] = [
		['a permission that is not llm:', 'all', ['env:read:ECHO_GREETING'], /not an llm: permission/],
		[
			'an llm: permission not approved',
			['llm:anthropic'],
			['llm:openai-compatible:groq'],
			/is not approved/,
		],
		['an invalid one', 'all', ['llm:mistral'], /llm:anthropic, llm:openai/],
	];
	it.each(refused)(
		'refuses to remember %s (VALIDATION_FAILED), recording nothing',
		(_, approve, remember, message) => {
			expect(() => enable(approve, remember)).toThrow(
				expect.objectContaining({
					code: 'VALIDATION_FAILED',
					message: expect.stringMatching(message),
				}),
			);
			expect(enabledEvents()).toEqual([]);
		},
	);

	it('treats a newly requested llm: permission as drift, like any other', () => {
		enable('all', ['llm:anthropic']);
		const src = agent.installed?.installPath as string;
		const manifest = { ...readManifest(src), permissions: [...REQUESTED, 'llm:openai'] };
		writeFileSync(join(src, MANIFEST_FILE), JSON.stringify(manifest));
		discoverAgents({ db, home: agent.home, roots: [], actor });

		expect(() => assertRunnable(db, 'echo-agent')).toThrow(
			expect.objectContaining({
				code: 'PERMISSION_DRIFT',
				message: expect.stringMatching(/now requesting llm:openai/),
			}),
		);
	});
});

function readManifest(src: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(src, MANIFEST_FILE), 'utf8'));
}
