import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { agentPaths } from '../agentPaths.js';
import { DEFAULT_LOG_KEEP } from './rotatingLog.js';

/** One line of a run log. */
export interface LogEntry {
	readonly time: string;
	/** `stdout`, `stderr`, or `system` (AgentSpace's own notes: exits, kills). */
	readonly stream: string;
	readonly text: string;
}

/** Options of {@link readRunLog}. */
export interface ReadRunLogOptions {
	readonly home: string;
	readonly id: string;
	/** Default: the agent's latest run. */
	readonly runId?: string;
	/** The last this many lines (default 100). */
	readonly lines?: number;
	readonly stream?: 'stdout' | 'stderr';
	/**
	 * Read at most this many bytes, from the end of the log back through its
	 * rotated files (a line cut at the start is dropped). Unbounded by default:
	 * the CLI reads whole files; a daemon answering untrusted callers bounds
	 * what one request can make it read on its event loop.
	 */
	readonly maxBytes?: number;
}

/** Parses `<ISO time> <stream> <text>` lines. */
export function parseLogLines(text: string): LogEntry[] {
	const entries: LogEntry[] = [];
	for (const line of text.split('\n')) {
		const first = line.indexOf(' ');
		const second = line.indexOf(' ', first + 1);
		if (first === -1 || second === -1) continue;
		entries.push({
			time: line.slice(0, first),
			stream: line.slice(first + 1, second),
			text: line.slice(second + 1),
		});
	}
	return entries;
}

/** The id of the agent's latest run (from the run history), if it ever ran. */
export function latestRunId(db: AgentSpaceDb, id: string): string | undefined {
	const row = db.$client
		.prepare(
			'SELECT run_id FROM agent_runs WHERE agent_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1',
		)
		.get(id) as { run_id: string } | undefined;
	return row?.run_id;
}

/** The log file of a run (the current one; rotated files are `<path>.1` … newest first). */
export function runLogPath(home: string, id: string, runId: string): string {
	return join(agentPaths(home, id).logs, `${runId}.log`);
}

/**
 * The last lines of a run's log, reading back through its rotated files as
 * far as needed, oldest first.
 */
export function readRunLog(
	db: AgentSpaceDb,
	options: ReadRunLogOptions,
): { runId: string; entries: LogEntry[] } {
	const runId = options.runId ?? latestRunId(db, options.id);
	if (runId === undefined) {
		throw new NotFoundError(`agent "${options.id}" has no runs yet`, {
			hint: `start it: agentspace agents run ${options.id} --foreground`,
		});
	}
	const path = runLogPath(options.home, options.id, runId);
	if (!existsSync(path)) {
		throw new NotFoundError(`no log for run ${runId} of "${options.id}"`, {
			hint: `list the runs: agentspace agents info ${options.id}`,
		});
	}
	const wanted = options.lines ?? 100;
	let entries: LogEntry[] = [];
	const files = [path, ...Array.from({ length: DEFAULT_LOG_KEEP }, (_, i) => `${path}.${i + 1}`)];
	let budget = options.maxBytes ?? Number.POSITIVE_INFINITY;
	for (const file of files) {
		if (!existsSync(file) || budget <= 0) break;
		const { text, whole } = readTail(file, budget);
		budget -= Buffer.byteLength(text);
		// A file read from the middle starts with a cut line: it is not a line of the log.
		const cut = text.indexOf('\n');
		const lines = whole ? text : cut === -1 ? '' : text.slice(cut + 1);
		const older = parseLogLines(lines).filter(
			(e) => options.stream === undefined || e.stream === options.stream,
		);
		entries = [...older, ...entries];
		if (entries.length >= wanted) break;
	}
	return { runId, entries: entries.slice(Math.max(0, entries.length - wanted)) };
}

/** The last `maxBytes` of a file (all of it when it is no longer), and whether that is all of it. */
function readTail(file: string, maxBytes: number): { text: string; whole: boolean } {
	if (!Number.isFinite(maxBytes)) return { text: readFileSync(file, 'utf8'), whole: true };
	const fd = openSync(file, 'r');
	try {
		const size = fstatSync(fd).size;
		const length = Math.min(size, Math.floor(maxBytes));
		const buffer = Buffer.alloc(length);
		const read = readSync(fd, buffer, 0, length, size - length);
		return { text: buffer.subarray(0, read).toString('utf8'), whole: length === size };
	} finally {
		closeSync(fd);
	}
}
