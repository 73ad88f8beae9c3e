// An MCP agent ("protocol": "mcp", the fixture of @agentspace/testing) through
// the CLI: `agents run --foreground` refuses it before anything starts, and
// `agents status` shows its health — `unhealthy` while a run found unhealthy
// is being stopped, and why its latest run ended (escaped, bounded).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { enableAgent, installAgent, superviseAgent } from '@agentspace/agents';
import { openTempHomeDb, recordChange, type TempHomeDb } from '@agentspace/agents/testing';
import { createMcpFixtureAgentRepo, type GitRepo } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutput } from '../../output.js';
import { runCli, runCliJson } from '../../testCli.js';
import { runStateLabel } from './describeAgent.js';

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

interface StatusJson {
	agents: { id: string; status: string; reason: string | null }[];
}

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

describe('agents status of an MCP agent', () => {
	it('shows why its latest run ended, escaped and bounded (whole in --json)', async () => {
		const reason = `mcp handshake failed: \u001b[31mred\ntext ${'x'.repeat(300)}`;
		const supervisor = await superviseAgent({
			db: temp.db,
			home: temp.home,
			id: 'mcp-fixture',
			actor,
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
			unsandboxed: true,
			onProtocolChannel: (_run, channel) => void channel.fail(reason),
		});
		await supervisor.done;
		const table = runCli(temp.home, ['agents', 'status']);
		expect(table.status).toBe(0);
		const [header, row] = table.stdout.split('\n');
		expect(header).toMatch(/SANDBOXED\s+REASON$/);
		expect(row).toMatch(/^mcp-fixture\s.*\scrashed\s/);
		expect(row).toContain('mcp handshake failed: \\u001b[31mred\\ntext xxx');
		expect(row).not.toContain('\u001b');
		expect(row).toMatch(/x…$/);
		expect(row?.slice(row.indexOf('mcp handshake'))).toHaveLength(100);
		expect(runCliJson<StatusJson>(temp.home, ['agents', 'status']).json.agents[0]).toMatchObject({
			status: 'crashed',
			reason,
		});
	});

	it('shows a run found unhealthy as unhealthy while it is being stopped', async () => {
		// What the supervisor records for a live run its channel failed as unhealthy,
		// caught between that record and the run's end (a real, live process).
		const live = spawn('sleep', ['30'], { stdio: 'ignore' });
		try {
			recordChange(temp.db, {
				actor,
				events: [
					{
						type: 'agent_run_started',
						fields: {
							agent_id: 'mcp-fixture',
							run_id: 'run_unhealthy1',
							pid: live.pid as number,
							sandboxed: false,
							restart_policy: 'no',
							attempt: 0,
						},
					},
					{
						type: 'agent_run_unhealthy',
						fields: {
							agent_id: 'mcp-fixture',
							run_id: 'run_unhealthy1',
							reason: 'unhealthy: 3 pings unanswered',
						},
					},
				],
				audit: { eventType: 'agents.run_unhealthy', agentId: 'mcp-fixture', metadata: {} },
			});
			const row = runCli(temp.home, ['agents', 'status']).stdout.split('\n')[1];
			expect(row).toMatch(/^mcp-fixture\s+\S.*\sunhealthy\s+\d+\s/);
			expect(runCliJson<StatusJson>(temp.home, ['agents', 'status']).json.agents[0]).toMatchObject({
				status: 'unhealthy',
			});
			// Styled as the other failed states (colour is on only on a terminal).
			const colour = createOutput({ json: false, color: true }).style;
			expect(runStateLabel('unhealthy', true, colour)).toBe(colour.red('unhealthy'));
			expect(runStateLabel('unhealthy', false, colour)).toBe(
				colour.red('unhealthy (process gone)'),
			);
		} finally {
			live.kill('SIGKILL');
		}
	});
});
