import type { ErrorJSON } from '@agentspace/core';

/**
 * The daemon's socket protocol: one JSON request per line (`{ token, method,
 * params }`: the token checked first, then the params by the method's own
 * schema, see checkDaemonRequest), one JSON response per line, one request
 * per connection. Every request carries the home's auth token; a request
 * without the right one is refused and audited.
 */
/** A response: the result, or the error as `AgentSpaceError.toJSON()` writes it (code, message, hint, issues). */
export type DaemonResponse<R = unknown> =
	| { readonly ok: true; readonly result: R }
	| { readonly ok: false; readonly error: ErrorJSON };

/** Who the daemon acts as when no one asked: reconciliation, restarts, refusals. */
export const DAEMON_ACTOR = { type: 'system', id: 'agentspace-daemon' } as const;
