import { countEvents } from '@agentspace/events';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { assertEventQuery, OptionProblems, parseEventFilters } from './eventFilters.js';
import type { EventsCountOptions } from './eventOptions.js';

/** `events count`: how many events match the filters. */
export async function eventsCount(
	ctx: CommandContext,
	options: EventsCountOptions,
): Promise<ActionResult> {
	const problems = new OptionProblems();
	const filters = parseEventFilters(options, problems);
	assertEventQuery(filters, problems, 'events count');

	const db = openExistingHomeDb(ctx.home);
	let count: number;
	try {
		const { project_key, ...rest } = filters;
		count = countEvents(db, project_key, rest);
	} finally {
		db.$client.close();
	}
	ctx.output.data({ count });
	ctx.output.line(String(count));
}
