import { FoldedRefusals, type FoldedRefusalsOptions } from './foldedRefusals.js';

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
export type SocketRefusalsOptions = Omit<FoldedRefusalsOptions, 'where' | 'what'>;

/** Audits the socket's refusals as `security.denied` (interface `daemon-socket`), folded (see FoldedRefusals). */
export class SocketRefusals {
	readonly #folded: FoldedRefusals;

	constructor(options: SocketRefusalsOptions) {
		this.#folded = new FoldedRefusals({
			...options,
			where: { interface: 'daemon-socket' },
			what: 'a socket refusal',
		});
	}

	/** Records (or folds) one refusal; `method` is what the caller named, if anything. */
	refuse(kind: SocketRefusalKind, method?: unknown): void {
		this.#folded.refuse(kind, REASONS[kind], {
			method: typeof method === 'string' ? method.slice(0, 64) : null,
		});
	}

	/** Records every count still folded and stops the timer: the socket is closing. */
	close(): void {
		this.#folded.close();
	}
}
