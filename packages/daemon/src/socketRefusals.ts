import { recordDenial } from '@agentspace/agents';
import { type AgentSpaceDb, DenialThrottle } from '@agentspace/db';
import { DAEMON_ACTOR } from './daemonProtocol.js';

/**
 * Why the daemon's socket refused a caller. Refusals are folded by kind only
 * (never by the method or anything else the caller chose), so a flood costs a
 * handful of audit rows whatever it sends.
 */
export type SocketRefusalKind =
	/** A request without an auth token (or not JSON at all). */
	| 'no-token'
	/** A request with a token that is not the home's. */
	| 'wrong-token'
	/** More than MAX_REQUEST_BYTES before the newline (or without one). */
	| 'too-large'
	/** No whole request within the deadline (idle or half-sent): closed. */
	| 'timeout'
	/** Closed to make room: the daemon was at its cap of open connections. */
	| 'evicted';

const REASONS: Readonly<Record<SocketRefusalKind, string>> = {
	'no-token': 'daemon request without an auth token',
	'wrong-token': 'daemon request with a wrong auth token',
	'too-large': 'daemon request over the size limit',
	timeout: 'daemon connection closed: no whole request within the deadline',
	evicted: 'daemon connection closed: too many connections open',
};

/** Options of {@link SocketRefusals}. */
export interface SocketRefusalsOptions {
	readonly db: AgentSpaceDb;
	readonly sourceApp?: string;
	/** The folding window (default 10 s, as the admin UI's). */
	readonly windowMs?: number;
	/** Told when an audit write fails (the daemon's log). */
	readonly log?: (line: string) => void;
}

/**
 * Audits the socket's refusals as `security.denied`, folded with a
 * {@link DenialThrottle}: the first of a kind in each window is an entry; the
 * rest are counted, and the count is the next entry's `foldedBefore`, or an
 * entry of its own (reason "refusals folded into a count") once the window has
 * ended or the daemon stops. So each refusal is in exactly one entry: an
 * entry stands for 1 + foldedBefore refusals, a count entry for foldedBefore.
 */
export class SocketRefusals {
	readonly #throttle: DenialThrottle;
	readonly #timer: NodeJS.Timeout;

	constructor(private readonly options: SocketRefusalsOptions) {
		const windowMs = options.windowMs ?? 10_000;
		this.#throttle = new DenialThrottle(windowMs);
		// Counts of a flood that stopped are recorded when their window ends, not only at the next refusal.
		this.#timer = setInterval(() => this.#recordCounts(this.#throttle.expired()), windowMs);
		this.#timer.unref();
	}

	/** Records (or folds) one refusal; `method` is what the caller named, if anything. */
	refuse(kind: SocketRefusalKind, method?: unknown): void {
		this.#recordCounts(this.#throttle.expired());
		const folded = this.#throttle.admit(kind);
		if (folded === undefined) return;
		this.#record({
			reason: REASONS[kind],
			kind,
			method: typeof method === 'string' ? method.slice(0, 64) : null,
			interface: 'daemon-socket',
			...(folded === 0 ? {} : { foldedBefore: folded }),
		});
	}

	/** Records every count still folded and stops the timer: the socket is closing. */
	close(): void {
		clearInterval(this.#timer);
		this.#recordCounts(this.#throttle.drain());
	}

	#recordCounts(counts: readonly [key: string, folded: number][]): void {
		for (const [kind, folded] of counts) {
			this.#record({
				reason: 'refusals folded into a count (see specs/audit-log.md)',
				kind,
				interface: 'daemon-socket',
				foldedBefore: folded,
			});
		}
	}

	#record(metadata: Record<string, unknown>): void {
		try {
			recordDenial(
				this.options.db,
				DAEMON_ACTOR,
				{ eventType: 'security.denied', metadata },
				this.options.sourceApp,
			);
		} catch (error) {
			// The refusal stands either way; a failed write (a full disk) must not take the daemon down, but is said.
			this.options.log?.(
				`could not audit a socket refusal (${String(metadata.kind)}): ${(error as Error).message}`,
			);
		}
	}
}
