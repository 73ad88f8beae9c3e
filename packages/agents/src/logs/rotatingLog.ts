import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { redactText } from '@agentspace/core';
import { LineSplitter } from './lineSplitter.js';

/** Rotation limits of a run log: bounded by default. */
export interface RotationLimits {
	/** A file is rotated before it would pass this size (default 10 MB). */
	readonly maxBytes?: number;
	/** Rotated files kept next to the current one, `<path>.1` newest (default 5). */
	readonly keep?: number;
}

/** Default size at which a run log rotates. */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** Default number of rotated files kept. */
export const DEFAULT_LOG_KEEP = 5;

// Entries are gathered and written in one call per chunk of output (or at this
// size): one write per line would cap capture far below what agents can print.
const WRITE_BATCH_BYTES = 64 * 1024;

/**
 * The log of one run: stdout and stderr captured line by line, each line
 * redacted (the run's secret values and the credential patterns) before it
 * reaches the disk, written as `<ISO time> <stream> <text>`, and rotated so
 * the files never hold more than (keep + 1) × maxBytes. Created 0600.
 */
export class RotatingLog {
	readonly path: string;
	readonly #maxBytes: number;
	readonly #keep: number;
	readonly #secrets: readonly string[];
	readonly #splitters: Record<'stdout' | 'stderr', LineSplitter>;
	#fd: number;
	#size: number;
	#batch: string[] = [];
	#batchBytes = 0;
	#closed = false;
	// One timestamp per chunk: its lines arrived together, and formatting a
	// date per line cost a fifth of capture time.
	#now = '';

	readonly #onLine: ((stream: string, text: string) => void) | undefined;

	/** `onLine` sees each line as written (redacted): a foreground run echoes it to the terminal. */
	constructor(
		path: string,
		limits: RotationLimits = {},
		secrets: readonly string[] = [],
		onLine?: (stream: string, text: string) => void,
	) {
		this.#onLine = onLine;
		this.path = path;
		this.#maxBytes = limits.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
		this.#keep = limits.keep ?? DEFAULT_LOG_KEEP;
		this.#secrets = secrets;
		mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
		this.#fd = openSync(path, 'a', 0o600);
		this.#size = fstatSync(this.#fd).size;
		this.#splitters = {
			stdout: new LineSplitter((line, cut) => this.#entry('stdout', line, cut)),
			stderr: new LineSplitter((line, cut) => this.#entry('stderr', line, cut)),
		};
	}

	/** Captures a chunk of a stream's output; complete lines are written before this returns. */
	write(stream: 'stdout' | 'stderr', chunk: string): void {
		this.#now = new Date().toISOString();
		this.#splitters[stream].push(chunk);
		this.flush();
	}

	/** Writes one line of AgentSpace's own (`system`), e.g. "exited with code 0". */
	note(text: string): void {
		this.#now = new Date().toISOString();
		this.#entry('system', text, false);
		this.flush();
	}

	/** Writes out what is gathered. */
	flush(): void {
		if (this.#batch.length === 0) return;
		const text = this.#batch.join('');
		this.#batch = [];
		this.#batchBytes = 0;
		writeSync(this.#fd, text);
	}

	/** Writes the last partial lines and closes the file. */
	close(): void {
		if (this.#closed) return;
		this.#now = new Date().toISOString();
		this.#splitters.stdout.end();
		this.#splitters.stderr.end();
		this.flush();
		closeSync(this.#fd);
		this.#closed = true;
	}

	#entry(stream: string, line: string, cut: boolean): void {
		const text = redactText(line, { secrets: this.#secrets });
		this.#onLine?.(stream, text);
		const entry = `${this.#now} ${stream} ${text}${cut ? ' […line cut at 8 KB]' : ''}\n`;
		const bytes = Buffer.byteLength(entry);
		if (this.#size + bytes > this.#maxBytes && this.#size > 0) this.#rotate();
		this.#batch.push(entry);
		this.#batchBytes += bytes;
		this.#size += bytes;
		if (this.#batchBytes >= WRITE_BATCH_BYTES) this.flush();
	}

	// <path> → <path>.1 → … → <path>.<keep>; the oldest is deleted.
	#rotate(): void {
		this.flush();
		closeSync(this.#fd);
		rmSync(`${this.path}.${this.#keep}`, { force: true });
		for (let n = this.#keep - 1; n >= 1; n--) {
			try {
				renameSync(`${this.path}.${n}`, `${this.path}.${n + 1}`);
			} catch {
				// Not that many files yet.
			}
		}
		if (this.#keep > 0) renameSync(this.path, `${this.path}.1`);
		else rmSync(this.path, { force: true });
		this.#fd = openSync(this.path, 'a', 0o600);
		this.#size = 0;
	}
}
