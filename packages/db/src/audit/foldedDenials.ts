import { DenialThrottle } from './denialThrottle.js';

/** Options of {@link FoldedDenials}. */
export interface FoldedDenialsOptions {
	/** The folding window (default 10 s, as the admin UI's). */
	readonly windowMs?: number;
	/** Which door refused, in every entry after the refusal's own fields (`{ interface: 'daemon-socket' }`). */
	readonly where: Readonly<Record<string, string>>;
	/**
	 * Writes one entry's metadata to the audit log. It must not throw: a
	 * refusal stands whether or not it could be written (a full disk), so the
	 * writer catches and says so where it can.
	 */
	readonly write: (metadata: Record<string, unknown>) => void;
}

/**
 * One door's refusals, folded with a {@link DenialThrottle} by kind only
 * (never by anything the caller chose, so a flood costs a handful of audit
 * rows whatever it sends): the first of a kind in each window is an entry;
 * the rest are counted, and the count is the next entry's `foldedBefore`, or
 * an entry of its own (reason "refusals folded into a count") once the
 * window has ended or the door closes. So each refusal is in exactly one
 * entry: an entry stands for 1 + foldedBefore refusals, a count entry for
 * foldedBefore. The daemon's socket, the MCP HTTP endpoint and the LLM
 * endpoint fold theirs with it; each chooses its entry's type and writer.
 */
export class FoldedDenials {
	readonly #throttle: DenialThrottle;
	readonly #timer: NodeJS.Timeout;

	constructor(private readonly options: FoldedDenialsOptions) {
		const windowMs = options.windowMs ?? 10_000;
		this.#throttle = new DenialThrottle(windowMs);
		// Counts of a flood that stopped are recorded when their window ends, not only at the next refusal.
		this.#timer = setInterval(() => this.#writeCounts(this.#throttle.expired()), windowMs);
		this.#timer.unref();
	}

	/** Records (or folds) one refusal of `kind`, with its reason and bounded fields (recorded in that order). */
	refuse(kind: string, reason: string, fields: Readonly<Record<string, unknown>> = {}): void {
		this.#writeCounts(this.#throttle.expired());
		const folded = this.#throttle.admit(kind);
		if (folded === undefined) return;
		this.options.write({
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
		this.#writeCounts(this.#throttle.drain());
	}

	#writeCounts(counts: readonly [key: string, folded: number][]): void {
		for (const [kind, folded] of counts) {
			this.options.write({
				reason: 'refusals folded into a count (see specs/audit-log.md)',
				kind,
				...this.options.where,
				foldedBefore: folded,
			});
		}
	}
}
