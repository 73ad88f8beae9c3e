import { readFileSync } from 'node:fs';
import { getAuditEvents } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import { afterEach, describe, expect, it } from 'vitest';
import { getAgent } from '../catalog/agentRecord.js';
import { recordChange } from '../catalog/recordChange.js';
import { isProcessAlive } from '../process/isProcessAlive.js';
import { type AgentScenario, agentScenario } from '../testing/agentScenario.js';
import { echoAgentSupervision } from '../testing/echoAgentSupervision.js';
import { DEFAULT_BACKOFF } from './restartPolicy.js';
import { runStatus } from './runStatus.js';
import { type SupervisorStatus, superviseAgent } from './superviseAgent.js';

let agent: AgentScenario;
afterEach(async () => {
	await agent?.cleanup();
});

/**
 * Installs and enables an agent whose entrypoint is the run fixture with
 * `args` (its one permission, env:read:ECHO_GREETING, approved); returns
 * `superviseAgent`'s options for it, unsandboxed with PATH only.
 */
async function installRunAgent(args: string[]) {
	agent = await agentScenario({
		label: 'supervise',
		until: 'enabled',
		agent: { args, permissions: ['env:read:ECHO_GREETING'] },
	});
	return (overrides: Parameters<typeof echoAgentSupervision>[2] = {}) =>
		echoAgentSupervision(agent, agent.actor, overrides);
}

const types = () => queryEvents(agent.db, { stream_id: 'agent:echo-agent' }).map((e) => e.type);

describe('superviseAgent', () => {
	it('refuses a sandboxed run when the sandbox tools are missing, saying what to install', async () => {
		const options = await installRunAgent([]);
		const attempt = superviseAgent(
			options({
				unsandboxed: false,
				sandboxHostScript: '/nonexistent/host.js',
				// A PATH without bwrap, socat or rg.
				env: { PATH: agent.home },
			}),
		);
		await expect(attempt).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
		await expect(attempt).rejects.toThrow(/needs bwrap, socat, rg/);
		await expect(attempt).rejects.toHaveProperty(
			'hint',
			expect.stringMatching(/apt-get install bubblewrap socat ripgrep.*--unsandboxed/),
		);
		expect(types()).not.toContain('agent_run_started');
	});

	it('runs, logs, and stops the agent, recording each step with its audit entry', async () => {
		const options = await installRunAgent(['--every', '50', '--print-env']);
		const lines: string[] = [];
		const statuses: SupervisorStatus[] = [];
		const supervisor = await superviseAgent(
			options({
				env: {
					PATH: process.env.PATH,
					ECHO_GREETING: 'Hello, world 1234',
					AWS_SECRET_ACCESS_KEY: 'AKIAFAKE',
				},
				onLine: (_stream, text) => lines.push(text),
				onStatus: (status) => statuses.push(status),
			}),
		);
		while (!lines.some((l) => l.startsWith('tick 2'))) await new Promise((r) => setTimeout(r, 20));
		expect(getAgent(agent.db, 'echo-agent')?.status).toBe('running');
		const [live] = runStatus(agent.db);
		expect(live).toMatchObject({
			id: 'echo-agent',
			status: 'running',
			alive: true,
			runs: 1,
			sandboxed: false,
		});
		expect(live?.pid).toBeGreaterThan(0);
		expect(live?.rssBytes).toBeGreaterThan(1024 * 1024);
		expect(live?.cpuMs).toBeGreaterThanOrEqual(0);
		expect(live?.uptimeMs).toBeGreaterThanOrEqual(0);
		const result = await supervisor.stop(2000);
		expect(runStatus(agent.db)[0]).toMatchObject({ status: 'stopped', pid: null, alive: null });
		expect(result).toMatchObject({
			runs: 1,
			errored: false,
			lastExit: { exitCode: 0, stopped: true },
		});
		expect(types().slice(-2)).toEqual(['agent_run_started', 'agent_run_stopped']);
		expect(getAgent(agent.db, 'echo-agent')?.status).toBe('stopped');
		const env = lines.find((l) => l.startsWith('env ')) ?? '';
		expect(env).toContain('ECHO_GREETING');
		// An approved plain-text value under a name not like a secret's is shown (runLogRedaction.test.ts has the rest).
		expect(env).toContain('Hello, world 1234');
		expect(env).not.toContain('AKIAFAKE');
		const started = statuses.find((s) => s.state === 'started');
		const log = readFileSync(started?.state === 'started' ? started.logPath : '', 'utf8');
		expect(log).not.toContain('AKIAFAKE');
		const audit = await getAuditEvents(agent.db, { type: 'agents.run_started' });
		expect(audit[0]).toMatchObject({ severity: 'security', metadata: { sandboxed: false } });
	});

	it('stops a run that was still starting when the stop came (a restart in flight)', async () => {
		const options = await installRunAgent(['--crash-after', '300']);
		const pids: number[] = [];
		let stopped: Promise<unknown> | undefined;
		const supervisor = await superviseAgent(
			options({
				restart: 'on-failure',
				backoff: { ...DEFAULT_BACKOFF, initialMs: 10 },
				onStatus: (status) => {
					if (status.state !== 'started') return;
					pids.push(status.pid);
					// The second start: reported before superviseAgent has taken the new process as current.
					if (pids.length === 2) stopped = supervisor.stop(1000);
				},
			}),
		);
		const result = await supervisor.done;
		await stopped;
		expect(result.runs).toBe(2);
		expect(result.lastExit?.stopped).toBe(true);
		expect(isProcessAlive(pids[1] as number)).toBe(false);
		expect(getAgent(agent.db, 'echo-agent')?.status).toBe('stopped');
	});

	it('restarts a crashing agent with backoff and gives up as errored', async () => {
		const options = await installRunAgent(['--crash-after', '10']);
		const statuses: SupervisorStatus[] = [];
		const supervisor = await superviseAgent(
			options({
				restart: 'on-failure',
				backoff: {
					initialMs: 10,
					factor: 1.5,
					maxMs: 50,
					stableMs: 60_000,
					instantMs: 5000,
					maxInstantCrashes: 3,
				},
				onStatus: (status) => statuses.push(status),
			}),
		);
		const result = await supervisor.done;
		expect(result).toMatchObject({ runs: 4, errored: true });
		expect(types().filter((t) => t === 'agent_run_crashed')).toHaveLength(4);
		expect(
			statuses
				.filter((s) => s.state === 'restarting')
				.map((s) => (s.state === 'restarting' ? s.delayMs : 0)),
		).toEqual([10, 15, 23]);
		expect(getAgent(agent.db, 'echo-agent')?.status).toBe('errored');
		expect(types().at(-1)).toBe('agent_errored');
	});
});

describe('runStatus', () => {
	it('shows a run whose process is gone as not alive (a lost run)', async () => {
		await installRunAgent([]);
		recordChange(agent.db, {
			actor: agent.actor,
			events: [
				{
					type: 'agent_run_started',
					fields: {
						agent_id: 'echo-agent',
						run_id: 'run_lost',
						pid: 2_147_483_000,
						sandboxed: false,
						restart_policy: 'no',
					},
				},
			],
			audit: { eventType: 'agents.run_started', agentId: 'echo-agent', metadata: {} },
		});
		expect(runStatus(agent.db)[0]).toMatchObject({
			status: 'running',
			runId: 'run_lost',
			alive: false,
			rssBytes: null,
		});
	});
});
