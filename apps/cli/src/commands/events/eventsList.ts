import {
	countEvents,
	type EventQuery,
	type FleetEvent,
	MAX_QUERY_LIMIT,
	queryEvents,
} from '@agentspace/events';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { parseIntArg } from '../../parseArgs.js';
import { assertEventQuery, OptionProblems, parseEventFilters } from './eventFilters.js';
import type { EventsListOptions } from './eventOptions.js';
import { EVENT_COLUMNS } from './formatEvent.js';

/**
 * `events list`: the events matching the filters, by position in the log.
 * A full page says on stderr how many more match and how to get them.
 */
export async function eventsList(
	ctx: CommandContext,
	options: EventsListOptions,
): Promise<ActionResult> {
	const problems = new OptionProblems();
	const filters = parseEventFilters(options, problems);
	const limit = problems.parse('--limit', () =>
		parseIntArg('--limit', options.limit, 1, MAX_QUERY_LIMIT),
	);
	const query: EventQuery = { ...filters, limit, order: options.order };
	assertEventQuery(query, problems, 'events list');

	const db = openExistingHomeDb(ctx.home);
	let events: FleetEvent[];
	let matching: number;
	try {
		events = queryEvents(db, query);
		// Counted only for a full page: a short page is everything there is.
		const { project_key, ...rest } = filters;
		matching = events.length === limit ? countEvents(db, project_key, rest) : events.length;
	} finally {
		db.$client.close();
	}

	ctx.output.data(events);
	if (events.length === 0) {
		ctx.output.line('No events match.');
		return;
	}
	ctx.output.table(events, EVENT_COLUMNS);
	const last = events[events.length - 1] as FleetEvent;
	if (matching > events.length) {
		ctx.output.note(
			options.order === 'asc'
				? `${events.length} of ${matching} matching events shown; for the next page, repeat the command with --after ${last.sequence}`
				: `${events.length} of ${matching} matching events shown; for the next page, repeat the command with --before ${last.sequence}`,
		);
	}
}
