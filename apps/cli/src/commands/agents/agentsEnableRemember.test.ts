// `agents enable … --remember`: every approved llm: permission is approved
// "remembered" (agent_enabled.remembered), through the built CLI against a
// real SQLite file and a real git repository.
import { join } from 'node:path';
import { closeDb, openDb } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import {
	createFixtureAgentRepo,
	createTempHome,
	type GitRepo,
	type TempHome,
} from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../testCli.js';

let temp: TempHome;
let user: TempHome;
let repo: GitRepo;
let env: Record<string, string>;
beforeEach(() => {
	temp = createTempHome('agents-remember');
	user = createTempHome('agents-remember-user');
	repo = createFixtureAgentRepo({
		permissions: ['llm:anthropic', 'llm:openai-compatible:groq', 'env:read:ECHO_GREETING'],
	});
	env = { HOME: user.home };
});
afterEach(() => {
	temp.cleanup();
	user.cleanup();
	repo.cleanup();
});

const cli = (...args: string[]) => runCli(temp.home, args, env);

function enabledEvents(): Record<string, unknown>[] {
	const db = openDb({ path: join(temp.home, 'agentspace.db') });
	try {
		return queryEvents(db, { types: ['agent_enabled'] }) as unknown as Record<string, unknown>[];
	} finally {
		closeDb(db);
	}
}

describe('agents enable --remember', () => {
	it('remembers every approved llm: permission, and only those', () => {
		expect(cli('agents', 'install', repo.url).status).toBe(0);

		const approved = runCliJson<{ approved: string[]; remembered: string[] }>(
			temp.home,
			[
				'agents',
				'enable',
				'echo-agent',
				'--approve',
				'llm:anthropic,env:read:ECHO_GREETING',
				'--remember',
			],
			env,
		);
		expect(approved.json.remembered).toEqual(['llm:anthropic']);
		expect(enabledEvents().at(-1)).toMatchObject({ remembered: ['llm:anthropic'] });

		const all = cli('agents', 'enable', 'echo-agent', '--all', '--remember');
		expect(all.status, all.stderr).toBe(0);
		expect(all.stdout).toMatch(/llm:anthropic \(remembered\)/);
		expect(all.stdout).toMatch(/llm:openai-compatible:groq \(remembered\)/);
		expect(enabledEvents().at(-1)).toMatchObject({
			remembered: ['llm:anthropic', 'llm:openai-compatible:groq'],
		});

		// Without it, nothing is remembered: each enable is the whole approval.
		expect(cli('agents', 'enable', 'echo-agent', '--all').status).toBe(0);
		expect(enabledEvents().at(-1)).not.toHaveProperty('remembered');
	});

	it('is documented in --help', () => {
		const help = cli('agents', 'enable', '--help');
		expect(help.stdout).toMatch(/--remember/);
		expect(help.stdout).toMatch(/with your key, which it never sees/);
	});
});
