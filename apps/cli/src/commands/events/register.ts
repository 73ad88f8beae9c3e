import { type Command, Option } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';
import type { EventFilterOptions } from './eventOptions.js';

// Only type imports of @agentspace/events here: this module loads for every
// command and for --help, and the event catalogue (Zod) must not.

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

type Filter = keyof EventFilterOptions;

function addFilters(command: Command, filters: readonly Filter[]): Command {
	const descriptions: Record<Filter, [flags: string, description: string]> = {
		project: ['--project <key>', 'only events of this project'],
		type: [
			'--type <type>',
			'only events of this type (repeat, or separate with commas, for several)',
		],
		stream: ['--stream <id>', 'only events of this stream, e.g. sortie:s-12'],
		since: ['--since <time>', 'only events at or after this time (ISO 8601, or 30m, 2h, 7d ago)'],
		until: ['--until <time>', 'only events at or before this time (same forms as --since)'],
		after: ['--after <sequence>', 'only events after this position in the log (paging forwards)'],
		before: [
			'--before <sequence>',
			'only events before this position in the log (paging backwards)',
		],
	};
	for (const filter of filters) {
		const [flags, description] = descriptions[filter];
		if (filter === 'type') command.option(flags, description, collect);
		else command.option(flags, description);
	}
	return command;
}

const ALL_FILTERS: readonly Filter[] = [
	'project',
	'type',
	'stream',
	'since',
	'until',
	'after',
	'before',
];

/** `agentspace events list|tail|count|replay`. */
export function registerEventsCommands(program: Command, run: RunAction): void {
	const events = program
		.command('events')
		.description('read the event log and rebuild the projections from it')
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace events list --since 1h
  $ agentspace events tail --type sortie_completed
  $ agentspace events count --project /home/me/app
  $ agentspace events replay                (rebuilds every projection; audited)`,
		);

	addFilters(
		events.command('list').description('show events in log order (oldest first)'),
		ALL_FILTERS,
	)
		.option('--limit <n>', 'at most this many events (1-10000)', '50')
		.addOption(
			new Option('--order <order>', 'asc: oldest first; desc: newest first')
				.choices(['asc', 'desc'])
				.default('asc'),
		)
		.addHelpText(
			'after',
			`
A full page ends with a hint on stderr naming the --after (or, with --order desc,
the --before) value of the next page.
An unknown --type is refused with the list of known event types.

Examples:
  $ agentspace events list
  $ agentspace events list --after 50                      the next page of 50
  $ agentspace events list --type sortie_created,sortie_completed --since 7d
  $ agentspace events list --stream sortie:s-12 --json
  $ agentspace events list --order desc --limit 20         the newest 20
  $ agentspace events list --order desc --before 981       the 50 before those`,
		)
		.action(lazyAction(run, () => import('./eventsList.js'), 'eventsList'));

	addFilters(
		events.command('count').description('count the events matching the filters'),
		ALL_FILTERS,
	)
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace events count
  $ agentspace events count --type agent_run_crashed --since 1d
  $ agentspace events count --project /home/me/app --json      {"count": 42}`,
		)
		.action(lazyAction(run, () => import('./eventsCount.js'), 'eventsCount'));

	addFilters(
		events.command('tail').description('show the newest events, then follow new ones until Ctrl-C'),
		['project', 'type', 'stream', 'since'],
	)
		.option('-n, --lines <n>', 'how many of the newest events to show first (0-10000)', '10')
		.option('--interval <ms>', 'how often to look for new events, in milliseconds', '1000')
		.option('--no-follow', 'print the newest events and exit')
		.addHelpText(
			'after',
			`
Runs until interrupted (Ctrl-C, SIGTERM), then exits 0. With --json, prints one
event per line (NDJSON) instead of one JSON document.

Examples:
  $ agentspace events tail
  $ agentspace events tail -n 50 --type message_sent
  $ agentspace events tail --project /home/me/app --json | jq .type
  $ agentspace events tail -n 0 --interval 250               only new events, checked often
  $ agentspace events tail --no-follow`,
		)
		.action(lazyAction(run, () => import('./eventsTail.js'), 'eventsTail'));

	events
		.command('replay')
		.description('rebuild every projection table from the event log and check it matches (audited)')
		.addHelpText(
			'after',
			`
Empties every projection table and replays the whole log into them in one
transaction: readers see the old tables or the new ones, never a mix. Reports
the tables whose content changed (none, unless they had drifted from the log).
Audited as events.replayed.

Examples:
  $ agentspace events replay
  $ agentspace events replay --json | jq .changedTables`,
		)
		.action(lazyAction(run, () => import('./eventsReplay.js'), 'eventsReplay'));
}
