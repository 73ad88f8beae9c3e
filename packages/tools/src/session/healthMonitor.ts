import { ValidationError } from '@agentspace/core';
import { DEFAULT_PING_INTERVAL_MS, PINGS_MISSED_UNHEALTHY } from '../limits.js';
import { checkDuration } from './checkDuration.js';
import type { McpAgentSession } from './connectMcpAgent.js';

/** Options of {@link monitorHealth}. */
export interface MonitorHealthOptions {
	/** Time between pings, and how long each may take; DEFAULT_PING_INTERVAL_MS by default. */
	readonly intervalMs?: number;
	/** Pings in a row left unanswered that make the agent unhealthy; PINGS_MISSED_UNHEALTHY by default. */
	readonly missesAllowed?: number;
	/** Called once, with the reason (`unhealthy: 3 pings unanswered`), when the agent is unhealthy; monitoring stops. */
	readonly onUnhealthy: (reason: string) => void;
}

/**
 * Pings the agent every `intervalMs` (each ping may take as long): after
 * `missesAllowed` unanswered pings in a row it calls `onUnhealthy` once and
 * stops; an answer resets the count. Stops by itself when the session ends.
 * Returns a function that stops it.
 */
export function monitorHealth(session: McpAgentSession, options: MonitorHealthOptions): () => void {
	const intervalMs = checkDuration('intervalMs', options.intervalMs ?? DEFAULT_PING_INTERVAL_MS);
	const missesAllowed = options.missesAllowed ?? PINGS_MISSED_UNHEALTHY;
	if (!Number.isInteger(missesAllowed) || missesAllowed < 1)
		throw new ValidationError('missesAllowed must be a whole number from 1', {
			issues: [{ path: 'missesAllowed', message: `got ${String(missesAllowed)}` }],
			hint: `${PINGS_MISSED_UNHEALTHY} is the default`,
		});
	let stopped = false;
	let missed = 0;
	let timer: NodeJS.Timeout | undefined;
	const stop = () => {
		stopped = true;
		clearTimeout(timer);
	};
	const schedule = () => {
		if (stopped) return;
		timer = setTimeout(pingOnce, intervalMs);
		// The daemon keeps running for other reasons; a monitor alone must not hold a process open.
		timer.unref();
	};
	const pingOnce = async () => {
		try {
			await session.ping(intervalMs);
			missed = 0;
		} catch {
			if (stopped) return;
			missed += 1;
			if (missed >= missesAllowed) {
				stop();
				try {
					options.onUnhealthy(`unhealthy: ${missed} pings unanswered`);
				} catch {
					// Runs on a timer: a throwing callback would be an unhandled rejection in the daemon.
				}
				return;
			}
		}
		schedule();
	};
	void session.ended.then(stop);
	schedule();
	return stop;
}
