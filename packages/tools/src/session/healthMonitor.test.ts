import { type McpFixtureAgentProcess, startMcpFixtureAgent } from '@agentspace/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMcpAgent, type McpAgentSession } from './connectMcpAgent.js';
import { monitorHealth } from './healthMonitor.js';

const agents: McpFixtureAgentProcess[] = [];
const sessions: McpAgentSession[] = [];

afterEach(async () => {
	for (const session of sessions.splice(0)) await session.close();
	for (const agent of agents.splice(0)) await agent.stop();
});

/** A fixture agent's session whose pings are counted (the real session's ping, observed). */
async function countedSession(args: string[] = []) {
	const agent = startMcpFixtureAgent(args);
	agents.push(agent);
	const session = await connectMcpAgent(agent.channel, { agentId: 'fixture', runId: 'run-1' });
	sessions.push(session);
	let pings = 0;
	const waiters: Array<[number, () => void]> = [];
	const counted: McpAgentSession = {
		...session,
		ping: async (timeoutMs) => {
			pings += 1;
			for (const [at, wake] of waiters) if (pings >= at) wake();
			await session.ping(timeoutMs);
		},
	};
	const pingsReach = (count: number) =>
		new Promise<void>((resolve) => (pings >= count ? resolve() : waiters.push([count, resolve])));
	return { agent, session, counted, pingsReach, pings: () => pings };
}

describe('monitorHealth', () => {
	it('an agent that answers is never unhealthy', async () => {
		const { counted, pingsReach } = await countedSession();
		const reasons: string[] = [];
		const stop = monitorHealth(counted, {
			intervalMs: 5,
			missesAllowed: 1,
			onUnhealthy: (r) => reasons.push(r),
		});
		await pingsReach(20);
		stop();
		expect(reasons).toEqual([]);
	});

	it('reports once, after the allowed misses in a row, then stops pinging', async () => {
		const { counted, session, pings } = await countedSession(['--ignore-pings']);
		const reasons: string[] = [];
		const unhealthy = new Promise<void>((resolve) =>
			monitorHealth(counted, {
				intervalMs: 20,
				missesAllowed: 2,
				onUnhealthy: (reason) => {
					reasons.push(reason);
					resolve();
				},
			}),
		);
		await unhealthy;
		expect(reasons).toEqual(['unhealthy: 2 pings unanswered']);
		expect(pings()).toBe(2);
		// No third ping: a ping of our own (not counted) outlasting an interval several times over.
		await session.ping(200).catch(() => {});
		expect(pings()).toBe(2);
	});

	it('a throwing onUnhealthy stays inside the monitor (no unhandled rejection)', async () => {
		const { counted } = await countedSession(['--ignore-pings']);
		await new Promise<void>((resolve) =>
			monitorHealth(counted, {
				intervalMs: 20,
				missesAllowed: 1,
				onUnhealthy: () => {
					resolve();
					throw new Error('the callback broke');
				},
			}),
		);
		// Vitest fails the run on an unhandled rejection; give one a turn to surface.
		await new Promise((resolve) => setImmediate(resolve));
	});

	it('stops by itself when the session ends', async () => {
		const { agent, counted, session, pings } = await countedSession();
		const reasons: string[] = [];
		monitorHealth(counted, {
			intervalMs: 5,
			missesAllowed: 1,
			onUnhealthy: (r) => reasons.push(r),
		});
		await agent.stop();
		await session.ended;
		const after = pings();
		// One more interval's ping may already be under way; none follows it.
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(pings()).toBeLessThanOrEqual(after + 1);
		expect(reasons).toEqual([]);
	});
});
