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
		let reported = () => {};
		// Each ping waits 9/10 of the interval: 450 ms for a local answer, and
		// two misses in a row are allowed — CI runs every package's tests at once
		// on two cores, and a loaded machine may hold an event loop up for a while.
		const stop = monitorHealth(counted, {
			intervalMs: 500,
			missesAllowed: 2,
			onUnhealthy: (r) => {
				reasons.push(r);
				reported();
			},
		});
		// An unhealthy report stops the pings: end the wait then too, so the test fails rather than hangs.
		await Promise.race([pingsReach(6), new Promise<void>((resolve) => (reported = resolve))]);
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

	it('declares unhealthy after 3 intervals of silence, not 6: counted in the pings of a healthy agent on the same schedule', async () => {
		// No wall clock: a second monitor, of an agent that answers, started in
		// the same tick with the same interval, counts the intervals that pass.
		const deaf = await countedSession(['--ignore-pings']);
		const healthy = await countedSession();
		const intervalMs = 200;
		const waits: number[] = [];
		let outstanding = 0;
		let mostOutstanding = 0;
		const deafTracked: McpAgentSession = {
			...deaf.counted,
			ping: async (timeoutMs) => {
				waits.push(timeoutMs);
				outstanding += 1;
				mostOutstanding = Math.max(mostOutstanding, outstanding);
				try {
					await deaf.counted.ping(timeoutMs);
				} finally {
					outstanding -= 1;
				}
			},
		};
		const reasons: string[] = [];
		let intervalsAtUnhealthy = -1;
		const stopHealthy = monitorHealth(healthy.counted, {
			intervalMs,
			onUnhealthy: (r) => reasons.push(`healthy ${r}`),
		});
		const unhealthy = new Promise<void>((resolve) =>
			monitorHealth(deafTracked, {
				intervalMs,
				onUnhealthy: (reason) => {
					intervalsAtUnhealthy = healthy.pings();
					reasons.push(reason);
					resolve();
				},
			}),
		);
		await unhealthy;
		stopHealthy();
		// Pings at I, 2I, 3I; the third times out at 3.9·I: the healthy agent's
		// monitor has sent its 3rd ping, not yet (or just) its 4th. The old
		// monitor (a wait, then a ping waiting an interval) took 6 intervals.
		expect(intervalsAtUnhealthy).toBeGreaterThanOrEqual(3);
		expect(intervalsAtUnhealthy).toBeLessThanOrEqual(4);
		expect(reasons).toEqual(['unhealthy: 3 pings unanswered']);
		expect(deaf.pings()).toBe(3);
		// Each ping waits less than an interval: one of the session outstanding at a time.
		expect(waits).toEqual([180, 180, 180]);
		// (At most two: the monitor decides a ping the moment its wait is over, or at
		// the next tick if a loaded machine has not run that timer yet; the SDK's own
		// request may then still be settling while the next ping goes out.)
		expect(mostOutstanding).toBeLessThanOrEqual(2);
	});

	it('an agent frozen (SIGSTOP) after answering is unhealthy 3 to 4 intervals after its last answer', async () => {
		const frozen = await countedSession();
		const healthy = await countedSession();
		const intervalMs = 200;
		let answered = 0;
		let intervalsAtLastAnswer = -1;
		const frozenTracked: McpAgentSession = {
			...frozen.counted,
			ping: async (timeoutMs) => {
				await frozen.counted.ping(timeoutMs);
				answered += 1;
				intervalsAtLastAnswer = healthy.pings();
				// Two answers, then the agent stops (a real signal): it hangs, it does not exit.
				if (answered === 2) frozen.agent.process.kill('SIGSTOP');
			},
		};
		let intervalsAtUnhealthy = -1;
		const stopHealthy = monitorHealth(healthy.counted, { intervalMs, onUnhealthy: () => {} });
		try {
			await new Promise<void>((resolve) =>
				monitorHealth(frozenTracked, {
					intervalMs,
					onUnhealthy: () => {
						intervalsAtUnhealthy = healthy.pings();
						resolve();
					},
				}),
			);
		} finally {
			stopHealthy();
			frozen.agent.process.kill('SIGCONT');
		}
		expect(answered).toBe(2);
		expect(frozen.pings()).toBe(5);
		const silence = intervalsAtUnhealthy - intervalsAtLastAnswer;
		expect(silence).toBeGreaterThanOrEqual(3);
		expect(silence).toBeLessThanOrEqual(4);
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

	it('stops by itself when the session ends, and the ping the end rejects is no miss', async () => {
		// An agent that never answers, stopped the moment its first ping is sent:
		// that ping is still waiting (900 ms) when the agent exits, and the exit
		// rejects it — in the same turn as the session ends, in either order. With
		// one miss allowed, counting that rejection would report an agent that
		// simply stopped as unhealthy. (A short interval would make
		// the ping time out on a loaded machine — a real miss — before the exit.)
		const { agent, counted, session, pings, pingsReach } = await countedSession(['--ignore-pings']);
		const reasons: string[] = [];
		monitorHealth(counted, {
			intervalMs: 1000,
			missesAllowed: 1,
			onUnhealthy: (r) => reasons.push(r),
		});
		await pingsReach(1);
		await agent.stop();
		await session.ended;
		// Past the ping's own timeout, and past the next tick: no report, no second ping.
		await new Promise((resolve) => setTimeout(resolve, 1200));
		expect(pings()).toBe(1);
		expect(reasons).toEqual([]);
	});
});
