/** The restart policies, for option parsing. */
export const RESTART_POLICIES = ['no', 'on-failure', 'always'] as const;

/** When a run that ended is started again. */
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

/** Tuning of the backoff (the defaults are PM2's, which users know). */
export interface BackoffSettings {
	/** First delay (default 100 ms). */
	readonly initialMs: number;
	/** Each delay is the previous one × this (default 1.5). */
	readonly factor: number;
	/** No delay is longer than this (default 15 s). */
	readonly maxMs: number;
	/** A run that stays up this long resets the backoff (default 60 s). */
	readonly stableMs: number;
	/** A run shorter than this counts as an instant crash (default 1 s). */
	readonly instantMs: number;
	/** More instant crashes than this in a row and the agent is `errored` (default 16). */
	readonly maxInstantCrashes: number;
}

/** The defaults: ×1.5 from 100 ms, capped at 15 s, reset after a stable minute, errored after 16 instant crashes. */
export const DEFAULT_BACKOFF: BackoffSettings = {
	initialMs: 100,
	factor: 1.5,
	maxMs: 15_000,
	stableMs: 60_000,
	instantMs: 1000,
	maxInstantCrashes: 16,
};

/** What the supervisor remembers between runs of one agent. */
export interface RestartState {
	/** The delay before the next restart, ms. */
	readonly delayMs: number;
	/** Consecutive runs that ended within `instantMs` of starting. */
	readonly instantCrashes: number;
	readonly restarts: number;
}

/** The state before the first run. */
export const INITIAL_RESTART_STATE: RestartState = { delayMs: 0, instantCrashes: 0, restarts: 0 };

/** What to do after a run ended. */
export type RestartDecision =
	| { readonly action: 'stop'; readonly reason: string }
	| { readonly action: 'errored'; readonly reason: string }
	| { readonly action: 'restart'; readonly delayMs: number; readonly state: RestartState };

/**
 * Decides whether and when to start a run again, from the policy, how the run
 * ended and how long it was up. A run that was stopped on request is never
 * restarted. Pure: the supervisor owns the timers.
 */
export function decideRestart(
	policy: RestartPolicy,
	ended: {
		readonly failed: boolean;
		readonly stoppedOnRequest: boolean;
		readonly uptimeMs: number;
	},
	state: RestartState,
	settings: BackoffSettings = DEFAULT_BACKOFF,
): RestartDecision {
	if (ended.stoppedOnRequest) return { action: 'stop', reason: 'stopped on request' };
	if (policy === 'no') return { action: 'stop', reason: 'restart policy "no"' };
	if (policy === 'on-failure' && !ended.failed) return { action: 'stop', reason: 'exited cleanly' };
	const instantCrashes = ended.uptimeMs < settings.instantMs ? state.instantCrashes + 1 : 0;
	if (instantCrashes > settings.maxInstantCrashes) {
		return {
			action: 'errored',
			reason: `ended within ${settings.instantMs} ms of starting ${instantCrashes} times in a row`,
		};
	}
	// A stable run starts the backoff over.
	const previous = ended.uptimeMs >= settings.stableMs ? 0 : state.delayMs;
	const delayMs =
		previous === 0
			? settings.initialMs
			: Math.min(settings.maxMs, Math.round(previous * settings.factor));
	return {
		action: 'restart',
		delayMs,
		state: { delayMs, instantCrashes, restarts: state.restarts + 1 },
	};
}
