import type { StoppedAgent, SupervisedAgent } from '@agentspace/agents';
import type { DaemonMethod } from './daemonRequestSchema.js';
import type { UiOpened } from './hostedUi.js';

/**
 * The daemon's socket protocol: one JSON request per line (`{ token, method,
 * params }`, checked by DaemonRequestSchema), one JSON response per line, one
 * request per connection. Every request carries the home's auth token; a
 * request without the right one is refused and audited.
 */
/** A response: the result, or the error as the CLI shows it. */
export type DaemonResponse<M extends DaemonMethod = DaemonMethod> =
	| { readonly ok: true; readonly result: DaemonResults[M] }
	| {
			readonly ok: false;
			readonly error: { readonly code: string; readonly message: string; readonly hint?: string };
	  };

/** What each method returns. */
export interface DaemonResults {
	readonly status: {
		readonly pid: number;
		readonly startedAt: string;
		readonly socket: string;
		readonly rssBytes: number;
		readonly agents: readonly SupervisedAgent[];
		/** The web UI's address, when the daemon hosts one now. */
		readonly uiUrl: string | null;
	};
	readonly run: SupervisedAgent;
	readonly stop: StoppedAgent;
	readonly stopAll: readonly StoppedAgent[];
	readonly ui: UiOpened;
	readonly uiClose: { readonly closed: boolean };
	readonly shutdown: { readonly stopped: readonly StoppedAgent[] };
}

/** Who the daemon acts as when no one asked: reconciliation, restarts, refusals. */
export const DAEMON_ACTOR = { type: 'system', id: 'agentspace-daemon' } as const;
