import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { type LogEntry, parseLogLines, readRunLog, runLogPath } from '@agentspace/agents';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { parseIntArg } from '../../parseArgs.js';
import { safe } from './describeAgent.js';

/** Options of `agents logs`. */
export interface AgentsLogsOptions {
	readonly run?: string;
	readonly lines: string;
	readonly stream?: 'stdout' | 'stderr';
	readonly follow?: boolean;
}

/**
 * `agents logs <id>`: the last lines of a run's log (the latest run by
 * default); `--follow` keeps printing new lines until Ctrl-C. With `--json`,
 * one JSON object per line (NDJSON).
 */
export async function agentsLogs(
	ctx: CommandContext,
	id: string,
	options: AgentsLogsOptions,
): Promise<ActionResult> {
	const lines = parseIntArg('--lines', options.lines, 0, 100_000);
	const db = openExistingHomeDb(ctx.home);
	let runId: string;
	let entries: LogEntry[];
	try {
		({ runId, entries } = readRunLog(db, {
			home: ctx.home,
			id,
			lines,
			...(options.run === undefined ? {} : { runId: options.run }),
			...(options.stream === undefined ? {} : { stream: options.stream }),
		}));
	} finally {
		db.$client.close();
	}
	const { style } = ctx.output;
	const print = (entry: LogEntry) => {
		if (ctx.json) return ctx.output.record({ runId, ...entry });
		const mark =
			entry.stream === 'stderr'
				? style.yellow('!')
				: entry.stream === 'system'
					? style.dim('·')
					: style.dim('│');
		ctx.output.line(`${style.dim(entry.time)} ${mark} ${safe(entry.text)}`);
	};
	for (const entry of entries) print(entry);
	if (options.follow !== true) return;
	await follow(runLogPath(ctx.home, id, runId), (entry) => {
		if (options.stream === undefined || entry.stream === options.stream) print(entry);
	});
}

// Polls the file for growth; a rotation (the file got smaller) restarts at its beginning.
async function follow(path: string, onEntry: (entry: LogEntry) => void): Promise<void> {
	let offset = statSync(path).size;
	let pending = '';
	let stopped = false;
	const stop = () => {
		stopped = true;
	};
	const signals = ['SIGINT', 'SIGTERM'] as const;
	for (const signal of signals) process.on(signal, stop);
	try {
		while (!stopped) {
			await new Promise((resolve) => setTimeout(resolve, 250));
			const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
			if (size < offset) {
				offset = 0;
				pending = '';
			}
			if (size === offset) continue;
			const fd = openSync(path, 'r');
			try {
				const buffer = Buffer.alloc(size - offset);
				readSync(fd, buffer, 0, buffer.length, offset);
				offset = size;
				const text = pending + buffer.toString('utf8');
				const end = text.lastIndexOf('\n');
				pending = text.slice(end + 1);
				for (const entry of parseLogLines(text.slice(0, end + 1))) onEntry(entry);
			} finally {
				closeSync(fd);
			}
		}
	} finally {
		for (const signal of signals) process.off(signal, stop);
	}
}
