/**
 * Counts events in one-second windows against a per-second allowance: over
 * it, `record` says to drop the event; over it in `fatalSeconds` windows in a
 * row, it says the sender should be cut off. A burst is tolerated, a flood
 * that keeps up is not.
 */
export class RateWindow {
	#window = -1;
	#inWindow = 0;
	#lastOverWindow = -2;
	#streak = 0;
	#dropped = 0;
	readonly #start = performance.now();

	constructor(
		private readonly perSecond: number,
		private readonly fatalSeconds: number,
	) {}

	/** Counts one event: 'ok' to take it, 'drop' over the allowance, 'fatal' once the excess has persisted. */
	record(): 'ok' | 'drop' | 'fatal' {
		const window = Math.floor((performance.now() - this.#start) / 1000);
		if (window !== this.#window) {
			this.#window = window;
			this.#inWindow = 0;
		}
		this.#inWindow += 1;
		if (this.#inWindow <= this.perSecond) return 'ok';
		this.#dropped += 1;
		if (this.#inWindow === this.perSecond + 1) {
			this.#streak = this.#lastOverWindow === window - 1 ? this.#streak + 1 : 1;
			this.#lastOverWindow = window;
		}
		return this.#streak >= this.fatalSeconds ? 'fatal' : 'drop';
	}

	/** Events dropped so far. */
	get dropped(): number {
		return this.#dropped;
	}
}
