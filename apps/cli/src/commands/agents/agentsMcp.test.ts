// An MCP agent ("protocol": "mcp", the fixture of @agentspace/testing) through
// the CLI: `agents run --foreground` refuses it before anything starts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { enableAgent, installAgent } from '@agentspace/agents';
import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import { createMcpFixtureAgentRepo, type GitRepo } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../testCli.js';

const actor = { type: 'human', id: 'tester' } as const;
let temp: TempHomeDb;
let repo: GitRepo;
beforeEach(async () => {
	temp = openTempHomeDb('agents-mcp');
	repo = createMcpFixtureAgentRepo();
	await installAgent({ db: temp.db, home: temp.home, source: repo.url, actor });
	enableAgent({ db: temp.db, id: 'mcp-fixture', approve: 'all', actor });
});
afterEach(() => {
	repo.cleanup();
	temp.cleanup();
});

const runCount = () =>
	(
		temp.db.$client
			.prepare("SELECT count(*) AS n FROM agent_runs WHERE agent_id = 'mcp-fixture'")
			.get() as { n: number }
	).n;

describe('agents run --foreground of an MCP agent', () => {
	it('is refused with a usage error and a hint, before anything starts', () => {
		for (const json of [false, true]) {
			const result = runCli(temp.home, [
				'agents',
				'run',
				'mcp-fixture',
				'--foreground',
				'--unsandboxed',
				...(json ? ['--json'] : []),
			]);
			expect(result.status).toBe(2);
			if (json) {
				expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'USAGE' } });
				continue;
			}
			expect(result.stderr).toMatch(/^error\[USAGE\]: mcp-fixture is an MCP agent/);
			expect(result.stderr).toMatch(
				/hint: run it in the background so the daemon connects to it: agentspace agents run mcp-fixture, then agentspace tools list/,
			);
		}
		// Nothing ran, no daemon was started.
		expect(runCount()).toBe(0);
		expect(existsSync(join(temp.home, 'run', 'daemon.pid'))).toBe(false);
	});
});
