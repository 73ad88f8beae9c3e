import { ValidationError } from '@agentspace/core';
import { DEFAULT_PING_INTERVAL_MS, PINGS_MISSED_UNHEALTHY } from '../limits.js';
import { checkDuration } from './checkDuration.js';
import type { McpAgentSession } from './connectMcpAgent.js';

/** The longest a health ping waits for its answer, however long the interval. */
export const MAX_PING_WAIT_MS = 10_000;

/** Options of {@link monitorHealth}. */
export interface MonitorHealthOptions {
	/** Time between the starts of two pings; DEFAULT_PING_INTERVAL_MS by default. */
	readonly intervalMs?: number;
	/** Pings in a row left unanswered that make the agent unhealthy; PINGS_MISSED_UNHEALTHY by default. */
	readonly missesAllowed?: number;
	/** Called once, with the reason (`unhealthy: 3 pings unanswered`), when the agent is unhealthy; monitoring stops. */
	readonly onUnhealthy: (reason: string) => void;
}

/**
 * How long one ping of a monitor with this interval waits for its answer: 9/10
 * of the interval, at most MAX_PING_WAIT_MS, at least 1 ms. Shorter than the
 * interval so that a ping has its outcome before the next one is sent: one ping
 * per session outstanding at a time.
 */
export function pingWaitMs(intervalMs: number): number {
	return Math.max(1, Math.min(MAX_PING_WAIT_MS, intervalMs - Math.ceil(intervalMs / 10)));
}

/**
 * Pings the agent on a steady schedule, at `intervalMs`, 2·`intervalMs`, … after
 * it starts; each ping waits {@link pingWaitMs} for its answer. After
 * `missesAllowed` unanswered pings in a row it calls `onUnhealthy` once and
 * stops; an answer resets the count. Stops by itself when the session ends.
 * Returns a function that stops it.
 *
 * The bound (n = missesAllowed, I = intervalMs, W = pingWaitMs(I) < I): the
 * agent is declared unhealthy when its n-th unanswered ping in a row times out,
 * (n−1)·I + W after the first of them was sent. Counted from the agent's last
 * answer (to a ping sent at some tick t, so answered in (t, t + W]), that is
 * within [n·I, n·I + W): at the defaults (3, 15 s, W = 10 s) 45–55 s, and for
 * any I up to 100 s (W = 0.9·I) within [3·I, 3.9·I). An agent that never
 * answered is declared n·I + W after the monitor started. A held-up event loop
 * can only delay it.
 */
export function monitorHealth(session: McpAgentSession, options: MonitorHealthOptions): () => void {
	const intervalMs = checkDuration('intervalMs', options.intervalMs ?? DEFAULT_PING_INTERVAL_MS);
	const missesAllowed = options.missesAllowed ?? PINGS_MISSED_UNHEALTHY;
	if (!Number.isInteger(missesAllowed) || missesAllowed < 1)
		throw new ValidationError('missesAllowed must be a whole number from 1', {
			issues: [{ path: 'missesAllowed', message: `got ${String(missesAllowed)}` }],
			hint: `${PINGS_MISSED_UNHEALTHY} is the default`,
		});
	const waitMs = pingWaitMs(intervalMs);
	const startedAt = performance.now();
	let ticks = 0;
	let stopped = false;
	let missed = 0;
	/** The ping sent and not yet decided (answered or missed), if any. */
	let inFlight: { decided: boolean } | undefined;
	let timer: NodeJS.Timeout | undefined;
	const stop = () => {
		stopped = true;
		clearTimeout(timer);
	};
	/** Counts a miss; true when it made the agent unhealthy (the monitor has stopped). */
	const miss = (): boolean => {
		missed += 1;
		if (missed < missesAllowed) return false;
		stop();
		try {
			options.onUnhealthy(`unhealthy: ${missed} pings unanswered`);
		} catch {
			// Runs on a timer: a throwing callback would be an unhandled rejection in the daemon.
		}
		return true;
	};
	const decide = (ping: { decided: boolean }, answered: boolean) => {
		if (ping.decided || stopped) return;
		ping.decided = true;
		if (inFlight === ping) inFlight = undefined;
		if (answered) missed = 0;
		else miss();
	};
	const scheduleNext = () => {
		if (stopped) return;
		ticks += 1;
		const now = performance.now();
		// Due times are counted from the start, not from the last ping, so the
		// schedule does not drift by each ping's latency.
		if (startedAt + ticks * intervalMs < now)
			// The event loop was held up past a whole tick: skip the lost ticks
			// rather than ping in a burst (which would count misses too fast).
			ticks = Math.ceil((now - startedAt) / intervalMs);
		timer = setTimeout(tick, Math.max(0, startedAt + ticks * intervalMs - now));
		// The daemon keeps running for other reasons; a monitor alone must not hold a process open.
		timer.unref();
	};
	const tick = () => {
		if (stopped) return;
		// The ping's wait is shorter than the interval, so it is normally decided
		// by now; if a held-up event loop has not yet run its timeout, the
		// schedule decides: unanswered by the next tick is missed.
		if (inFlight) {
			decide(inFlight, false);
			if (stopped) return;
		}
		const ping = { decided: false };
		inFlight = ping;
		session.ping(waitMs).then(
			() => decide(ping, true),
			// Decided a turn later: when the agent exits, its pending ping is
			// rejected in the same turn as the session ends, and that is not a
			// miss — by the next turn `ended` has stopped the monitor.
			() => setImmediate(() => decide(ping, false)),
		);
		scheduleNext();
	};
	void session.ended.then(stop);
	scheduleNext();
	return stop;
}
