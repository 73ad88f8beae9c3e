import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAuditEvents } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import { describe, expect, it } from 'vitest';
import { getAgent } from '../catalog/agentRecord.js';
import { isProcessAlive } from '../process/isProcessAlive.js';
import { agentScenario } from './agentScenario.js';

const eventTypes = (scenario: { db: Parameters<typeof queryEvents>[0]; id: string }) =>
	queryEvents(scenario.db, { stream_id: `agent:${scenario.id}` }).map((event) => event.type);
const leftovers = (label: string) =>
	readdirSync(tmpdir()).filter((name) => name.startsWith(`agentspace-test-${label}-`));

describe('agentScenario', () => {
	it('installs by default: a real checkout of the repository’s HEAD, recorded and audited', async () => {
		const agent = await agentScenario({ label: 'scenario-installed' });
		try {
			expect(agent.stage).toBe('installed');
			expect(agent.id).toBe('echo-agent');
			expect(agent.installed?.commit).toBe(agent.repo.git('rev-parse', 'HEAD'));
			expect(existsSync(join(agent.home, 'agents', 'echo-agent', 'src', 'agent.mjs'))).toBe(true);
			expect(getAgent(agent.db, agent.id)).toMatchObject({ status: 'installed' });
			expect(eventTypes(agent)).toEqual(['agent_installed']);
			expect(await getAuditEvents(agent.db, { type: 'agents.installed' })).toEqual([
				expect.objectContaining({ actor: expect.objectContaining({ id: 'tester' }) }),
			]);
		} finally {
			await agent.cleanup();
		}
		expect(existsSync(agent.home)).toBe(false);
		expect(existsSync(agent.repo.path)).toBe(false);
	});

	it('builds the build fixture for real and enables it with what it was told to approve', async () => {
		const agent = await agentScenario({
			label: 'scenario-enabled',
			agent: { fixture: 'build', manifest: { id: 'builder' } },
			approve: ['env:read:ECHO_GREETING'],
			until: 'enabled',
		});
		try {
			expect(agent.id).toBe('builder');
			expect(existsSync(join(agent.home, 'agents', 'builder', 'src', 'dist', 'agent.mjs'))).toBe(
				true,
			);
			expect(getAgent(agent.db, 'builder')).toMatchObject({
				status: 'enabled',
				buildStatus: 'built',
				approvedPermissions: ['env:read:ECHO_GREETING'],
			});
			expect(eventTypes(agent)).toEqual([
				'agent_installed',
				'agent_build_started',
				'agent_built',
				'agent_enabled',
			]);
		} finally {
			await agent.cleanup();
		}
	});

	it('advances a step at a time to a running agent, and its cleanup stops the run', async () => {
		const agent = await agentScenario({
			label: 'scenario-running',
			agent: { args: ['--every', '50'] },
			until: 'created',
		});
		let pid = 0;
		try {
			expect(agent.stage).toBe('created');
			expect(getAgent(agent.db, agent.id)).toBeUndefined();
			await agent.advance('enabled');
			await agent.advance('installed'); // reached already: nothing happens
			expect(agent.stage).toBe('enabled');
			await agent.advance('running');
			const record = getAgent(agent.db, agent.id);
			expect(record).toMatchObject({ status: 'running' });
			pid = (
				agent.db.$client
					.prepare('SELECT pid FROM agent_runs WHERE run_id = ?')
					.get(record?.currentRunId) as { pid: number }
			).pid;
			expect(isProcessAlive(pid)).toBe(true);
			// The run fixture has no build step: building recorded nothing.
			expect(eventTypes(agent)).toEqual(['agent_installed', 'agent_enabled', 'agent_run_started']);
		} finally {
			await agent.cleanup();
		}
		expect(await agent.supervisor?.done).toMatchObject({ runs: 1 });
		expect(isProcessAlive(pid)).toBe(false);
	});

	it('cleans everything up when a stage fails, and throws its error', async () => {
		const label = `scenario-fails-${process.pid}`;
		const failed = agentScenario({
			label,
			approve: ['process:spawn'], // not requested by the run fixture
			until: 'enabled',
		});
		await expect(failed).rejects.toThrow(/process:spawn/);
		expect(leftovers(label)).toEqual([]);
	});
});
