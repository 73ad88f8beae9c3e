/**
 * Folds repeated refusals of one kind, so that a flood (a page in the browser
 * with an `<img>` loop aimed at the admin UI, a script hammering the daemon's
 * socket) cannot flood the audit log or stall the daemon with a write per
 * request. The first refusal of a kind in each window is recorded; the rest
 * are counted, and the count goes into the next entry of that kind (or into
 * one entry per kind once its window has ended, or when the listener closes).
 * Every refusal is accounted for; none is recorded twice. Used by the admin
 * UI and the daemon's socket.
 */
export class DenialThrottle {
	readonly #windows = new Map<string, { until: number; folded: number }>();

	constructor(
		private readonly windowMs = 10_000,
		private readonly now: () => number = Date.now,
		/** Beyond this many kinds at once, the rest share one. */
		private readonly maxKinds = 256,
	) {}

	/**
	 * Whether to record a refusal of kind `key` now: the number of refusals of
	 * that kind folded since its last entry (0 or more), or undefined when this
	 * one is folded (counted for later).
	 */
	admit(key: string): number | undefined {
		const now = this.now();
		const kind = this.#windows.has(key) || this.#windows.size < this.maxKinds ? key : '(other)';
		const window = this.#windows.get(kind);
		if (window !== undefined && now < window.until) {
			window.folded += 1;
			return undefined;
		}
		this.#windows.set(kind, { until: now + this.windowMs, folded: 0 });
		if (this.#windows.size >= this.maxKinds) this.#prune(now);
		return window?.folded ?? 0;
	}

	/** The counts folded in windows that have ended, by kind; forgets those windows. */
	expired(): [key: string, folded: number][] {
		const now = this.now();
		const ended: [string, number][] = [];
		for (const [key, window] of this.#windows) {
			if (window.until > now) continue;
			if (window.folded > 0) ended.push([key, window.folded]);
			this.#windows.delete(key);
		}
		return ended;
	}

	/** The counts folded and not yet recorded, by kind; forgets them. */
	drain(): [key: string, folded: number][] {
		const pending = [...this.#windows]
			.filter(([, w]) => w.folded > 0)
			.map(([k, w]) => [k, w.folded] as [string, number]);
		this.#windows.clear();
		return pending;
	}

	#prune(now: number): void {
		for (const [key, window] of this.#windows)
			if (window.until <= now && window.folded === 0) this.#windows.delete(key);
	}
}
