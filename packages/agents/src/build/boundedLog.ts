import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { redactText } from '@agentspace/core';

/** A log line longer than this is cut and marked. */
export const MAX_LOG_LINE_BYTES = 8 * 1024;

/** Limits of a {@link BoundedLog}. */
export interface BoundedLogLimits {
	/** The head of the output kept in full (default 1 MiB). */
	readonly headBytes?: number;
	/** The tail kept once the head is full (default 256 KiB): a failure is usually at the end. */
	readonly tailBytes?: number;
}

/**
 * A log file that never grows past head + tail bytes: the first `headBytes`
 * are written as they come, then only the last `tailBytes` are kept in memory
 * and written at `close()`, after a marker saying how much was left out.
 * Every line is redacted (credential patterns and the given secret values)
 * before it reaches the disk. The file is created 0600.
 */
export class BoundedLog {
	readonly path: string;
	#fd: number;
	#written = 0;
	/** Set by the first line that did not fit: later lines, even short ones, go to the tail, so order is kept. */
	#headFull = false;
	#tail: string[] = [];
	#tailSize = 0;
	#omittedBytes = 0;
	#omittedLines = 0;
	readonly #headBytes: number;
	readonly #tailBytes: number;
	readonly #secrets: readonly string[];

	constructor(path: string, limits: BoundedLogLimits = {}, secrets: readonly string[] = []) {
		mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
		this.path = path;
		this.#fd = openSync(path, 'w', 0o600);
		this.#headBytes = limits.headBytes ?? 1024 * 1024;
		this.#tailBytes = limits.tailBytes ?? 256 * 1024;
		this.#secrets = secrets;
	}

	/** Appends one line (no newline), prefixed with `label`; returns the line as written. */
	line(label: string, text: string): string {
		let body = redactText(text, { secrets: this.#secrets });
		if (Buffer.byteLength(body) > MAX_LOG_LINE_BYTES) {
			body = `${Buffer.from(body)
				.subarray(0, MAX_LOG_LINE_BYTES)
				.toString('utf8')
				.replace(/\uFFFD+$/, '')} […line cut at 8 KB]`;
		}
		const entry = `${new Date().toISOString()} ${label} ${body}\n`;
		const size = Buffer.byteLength(entry);
		if (!this.#headFull && this.#written + size <= this.#headBytes) {
			writeSync(this.#fd, entry);
			this.#written += size;
			return body;
		}
		this.#headFull = true;
		this.#tail.push(entry);
		this.#tailSize += size;
		while (this.#tailSize > this.#tailBytes && this.#tail.length > 1) {
			const dropped = this.#tail.shift() as string;
			this.#tailSize -= Buffer.byteLength(dropped);
			this.#omittedBytes += Buffer.byteLength(dropped);
			this.#omittedLines += 1;
		}
		return body;
	}

	/** Writes the kept tail and closes the file. */
	close(): void {
		if (this.#omittedLines > 0) {
			writeSync(
				this.#fd,
				`[… ${this.#omittedLines} lines (${this.#omittedBytes} bytes) left out: the log keeps its first ${this.#headBytes} and last ${this.#tailBytes} bytes …]\n`,
			);
		}
		for (const entry of this.#tail) writeSync(this.#fd, entry);
		this.#tail = [];
		closeSync(this.#fd);
	}
}
