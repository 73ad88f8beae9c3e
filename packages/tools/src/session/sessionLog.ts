import { printableLine } from '@agentspace/core';
import { MAX_SESSION_LOG_LINE } from '../limits.js';

/** How many problems of one kind are logged before the rest are only counted. */
const LOGGED_PER_KIND = 5;

/**
 * The session's log of problems with an agent, bounded: each line is cut to
 * MAX_SESSION_LOG_LINE with control characters escaped (it quotes untrusted
 * text), and each kind of problem is logged LOGGED_PER_KIND times, then counted.
 */
export class SessionLog {
	readonly #counts = new Map<string, number>();

	constructor(
		private readonly prefix: string,
		private readonly sink: (line: string) => void,
	) {}

	/** Logs a problem of `kind` unless that kind was logged often enough already. */
	problem(kind: string, text: string): void {
		const count = (this.#counts.get(kind) ?? 0) + 1;
		this.#counts.set(kind, count);
		if (count <= LOGGED_PER_KIND) this.line(text);
		if (count === LOGGED_PER_KIND) this.line(`further ${kind} problems are counted, not logged`);
	}

	/** Logs one line, escaped and cut. */
	line(text: string): void {
		const line = `${this.prefix}${printable(text)}`;
		try {
			this.sink(
				line.length > MAX_SESSION_LOG_LINE ? `${line.slice(0, MAX_SESSION_LOG_LINE - 1)}…` : line,
			);
		} catch {
			// A failing log sink must not end the session.
		}
	}

	/** Problems counted per kind (logged or not). */
	counts(): Readonly<Record<string, number>> {
		return Object.fromEntries(this.#counts);
	}
}

/**
 * Text with control characters, line separators and invisible format
 * characters (text-direction controls…) escaped by core's printableLine, cut
 * long before the line limit.
 */
export function printable(text: string): string {
	const short =
		text.length > MAX_SESSION_LOG_LINE * 2 ? text.slice(0, MAX_SESSION_LOG_LINE * 2) : text;
	return printableLine(short);
}
