import type { AgentSpaceDb } from '@agentspace/db';
import {
	type FleetEvent,
	getLatestSequence,
	MAX_QUERY_LIMIT,
	queryEvents,
} from '@agentspace/events';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { parseIntArg } from '../../parseArgs.js';
import {
	assertEventQuery,
	type EventQueryFilters,
	OptionProblems,
	parseEventFilters,
} from './eventFilters.js';
import type { EventsTailOptions } from './eventOptions.js';
import { createLineFormatter } from './formatEvent.js';

// Events read per query while catching up; a burst larger than this takes several.
const PAGE = 1000;

/**
 * `events tail`: the newest matching events, oldest of them first, then every
 * new matching event as it is appended, until SIGINT or SIGTERM (exit 0).
 * Reads only: polling the log by position needs no lock and no daemon.
 */
export async function eventsTail(
	ctx: CommandContext,
	options: EventsTailOptions,
): Promise<ActionResult> {
	const problems = new OptionProblems();
	const filters = parseEventFilters(options, problems);
	const lines = problems.parse('--lines', () =>
		parseIntArg('--lines', options.lines, 0, MAX_QUERY_LIMIT),
	);
	const interval = problems.parse('--interval', () =>
		parseIntArg('--interval', options.interval, 50, 60_000),
	);
	assertEventQuery(filters, problems, 'events tail');

	const db = openExistingHomeDb(ctx.home);
	try {
		const format = createLineFormatter();
		const print = (events: readonly FleetEvent[]) => {
			if (ctx.json) for (const event of events) ctx.output.record(event);
			else for (const line of format(events)) ctx.output.line(line);
		};
		// The log's end is read before the newest matching events: whatever is
		// appended in between is among those newest, so nothing falls in the gap.
		let cursor = getLatestSequence(db);
		const recent =
			lines === 0 ? [] : queryEvents(db, { ...filters, order: 'desc', limit: lines }).reverse();
		print(recent);
		cursor = Math.max(cursor, recent.at(-1)?.sequence ?? 0);
		if (!options.follow) {
			if (recent.length === 0) ctx.output.line('No events match.');
			return;
		}
		if (recent.length === 0 && !ctx.json) {
			ctx.output.note('No events match yet; waiting for new ones (Ctrl-C to stop).');
		}
		const stop = stopSignal();
		try {
			while (await stop.sleep(interval as number)) {
				cursor = follow(db, filters, cursor, print);
			}
		} finally {
			stop.dispose();
		}
	} finally {
		db.$client.close();
	}
}

/** Prints the matching events after `cursor`; returns the new cursor. */
function follow(
	db: AgentSpaceDb,
	filters: EventQueryFilters,
	from: number,
	print: (events: readonly FleetEvent[]) => void,
): number {
	let cursor = from;
	for (;;) {
		const end = getLatestSequence(db);
		const page = queryEvents(db, { ...filters, after_sequence: cursor, order: 'asc', limit: PAGE });
		print(page);
		const last = page.at(-1)?.sequence ?? cursor;
		if (page.length === PAGE) {
			cursor = last;
			continue;
		}
		// Every match up to `end` has been printed: skip past the events that
		// did not match, so the next poll does not scan them again.
		return Math.max(end, last);
	}
}

/**
 * SIGINT and SIGTERM end the wait instead of the process, so the database is
 * closed and the command exits 0. A second signal ends the process at once.
 */
function stopSignal(): { sleep(ms: number): Promise<boolean>; dispose(): void } {
	let stopped = false;
	let wake: (() => void) | undefined;
	let timer: NodeJS.Timeout | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		if (stopped) {
			// Stuck: let the signal do what it does by default.
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
			process.kill(process.pid, signal);
			return;
		}
		stopped = true;
		wake?.();
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	return {
		sleep(ms) {
			if (stopped) return Promise.resolve(false);
			return new Promise((resolve) => {
				wake = () => {
					clearTimeout(timer);
					resolve(false);
				};
				timer = setTimeout(() => resolve(!stopped), ms);
			});
		},
		dispose() {
			clearTimeout(timer);
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
		},
	};
}
