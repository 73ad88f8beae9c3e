import { MAX_LOG_LINE_BYTES } from '../build/boundedLog.js';

/**
 * Turns a stream of text chunks into lines. A line longer than 8 KB
 * (`MAX_LOG_LINE_BYTES`) is emitted cut, marked as cut, and the rest of it up
 * to the next newline is dropped: a process printing without newlines can
 * never make the capture hold more than one line in memory.
 */
export class LineSplitter {
	#pending = '';
	#dropping = false;
	readonly #onLine: (line: string, cut: boolean) => void;

	constructor(onLine: (line: string, cut: boolean) => void) {
		this.#onLine = onLine;
	}

	/** Feeds a chunk; complete lines are emitted at once. */
	push(chunk: string): void {
		let start = 0;
		for (;;) {
			const newline = chunk.indexOf('\n', start);
			if (newline === -1) break;
			this.#take(chunk.slice(start, newline), true);
			start = newline + 1;
		}
		if (start < chunk.length) this.#take(chunk.slice(start), false);
	}

	/** Emits what is left (a last line without a newline). */
	end(): void {
		if (this.#pending !== '') this.#onLine(stripCr(this.#pending), false);
		this.#pending = '';
		this.#dropping = false;
	}

	#take(piece: string, complete: boolean): void {
		if (this.#dropping) {
			if (complete) this.#dropping = false;
			return;
		}
		this.#pending += piece;
		// Characters, not bytes, to stay cheap: 8 K characters is at least 8 KB.
		if (this.#pending.length > MAX_LOG_LINE_BYTES) {
			this.#onLine(this.#pending.slice(0, MAX_LOG_LINE_BYTES), true);
			this.#pending = '';
			this.#dropping = !complete;
			return;
		}
		if (complete) {
			this.#onLine(stripCr(this.#pending), false);
			this.#pending = '';
		}
	}
}

function stripCr(line: string): string {
	return line.endsWith('\r') ? line.slice(0, -1) : line;
}
