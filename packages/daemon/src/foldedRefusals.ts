import { recordDenial } from '@agentspace/agents';
import { type AgentSpaceDb, DenialThrottle } from '@agentspace/db';
import { DAEMON_ACTOR } from './daemonProtocol.js';

/** Options of {@link FoldedRefusals}. */
export interface FoldedRefusalsOptions {
	readonly db: AgentSpaceDb;
	readonly sourceApp?: string;
	/** The folding window (default 10 s, as the admin UI's). */
	readonly windowMs?: number;
	/** Told when an audit write fails (the daemon's log). */
	readonly log?: (line: string) => void;
	/** Which door refused, in every entry after the refusal's own fields (`{ interface: 'daemon-socket' }`). */
	readonly where: Readonly<Record<string, string>>;
	/** Names the door in the log line of a failed write ("a socket refusal"). */
	readonly what: string;
}

/**
 * Audits one door's refusals (the daemon's socket, the MCP HTTP endpoint) as
 * `security.denied`, folded with a {@link DenialThrottle} by kind only (never
 * by anything the caller chose, so a flood costs a handful of audit rows
 * whatever it sends): the first of a kind in each window is an entry; the
 * rest are counted, and the count is the next entry's `foldedBefore`, or an
 * entry of its own (reason "refusals folded into a count") once the window
 * has ended or the door closes. So each refusal is in exactly one entry: an
 * entry stands for 1 + foldedBefore refusals, a count entry for foldedBefore.
 */
export class FoldedRefusals {
	readonly #throttle: DenialThrottle;
	readonly #timer: NodeJS.Timeout;

	constructor(private readonly options: FoldedRefusalsOptions) {
		const windowMs = options.windowMs ?? 10_000;
		this.#throttle = new DenialThrottle(windowMs);
		// Counts of a flood that stopped are recorded when their window ends, not only at the next refusal.
		this.#timer = setInterval(() => this.#recordCounts(this.#throttle.expired()), windowMs);
		this.#timer.unref();
	}

	/** Records (or folds) one refusal of `kind`, with its reason and bounded fields (recorded in that order). */
	refuse(kind: string, reason: string, fields: Readonly<Record<string, unknown>> = {}): void {
		this.#recordCounts(this.#throttle.expired());
		const folded = this.#throttle.admit(kind);
		if (folded === undefined) return;
		this.#record({
			reason,
			kind,
			...fields,
			...this.options.where,
			...(folded === 0 ? {} : { foldedBefore: folded }),
		});
	}

	/** Records every count still folded and stops the timer: the door is closing. */
	close(): void {
		clearInterval(this.#timer);
		this.#recordCounts(this.#throttle.drain());
	}

	#recordCounts(counts: readonly [key: string, folded: number][]): void {
		for (const [kind, folded] of counts) {
			this.#record({
				reason: 'refusals folded into a count (see specs/audit-log.md)',
				kind,
				...this.options.where,
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
				`could not audit ${this.options.what} (${String(metadata.kind)}): ${(error as Error).message}`,
			);
		}
	}
}
