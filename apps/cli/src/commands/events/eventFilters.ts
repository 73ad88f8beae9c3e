import { AgentSpaceError, type FieldIssue, isAgentSpaceError } from '@agentspace/core';
import {
	EVENT_TYPES,
	type EventQuery,
	type EventType,
	isKnownEventType,
	validateEventQuery,
} from '@agentspace/events';
import { parseIntArg, parseTextArg, parseTimeArg } from '../../parseArgs.js';
import type { EventFilterOptions } from './eventOptions.js';

/** The filters of an event query, without paging. */
export type EventQueryFilters = Omit<EventQuery, 'limit' | 'order'>;

/**
 * Collects every problem with a command's options, so one run reports them
 * all (`--type nope --since yesterday` names both), then throws one `USAGE`
 * error listing them.
 */
export class OptionProblems {
	private readonly problems: { option: string; error: AgentSpaceError }[] = [];

	/** `parse()`'s value, or undefined after recording its usage error. */
	parse<T>(option: string, parse: () => T): T | undefined {
		try {
			return parse();
		} catch (error) {
			if (!isAgentSpaceError(error) || error.code !== 'USAGE') throw error;
			this.record(option, error);
			return undefined;
		}
	}

	/** Records a problem found without a parser. */
	add(option: string, message: string, hint?: string): void {
		this.record(option, new AgentSpaceError(message, { code: 'USAGE', hint }));
	}

	// `--type a,,b` has two empty names but one problem.
	private record(option: string, error: AgentSpaceError): void {
		if (!this.problems.some((p) => p.option === option && p.error.message === error.message)) {
			this.problems.push({ option, error });
		}
	}

	/** Throws the problems found so far as one `USAGE` error, if there are any. */
	throwIfAny(command: string): void {
		const [first, ...rest] = this.problems;
		if (first === undefined) return;
		const issues: FieldIssue[] = this.problems.map((p) => ({
			path: p.option,
			message: p.error.message,
		}));
		if (rest.length === 0) {
			throw new AgentSpaceError(first.error.message, {
				code: 'USAGE',
				hint: first.error.hint ?? `run \`agentspace ${command} --help\` for examples`,
				issues,
			});
		}
		throw new AgentSpaceError(
			`${issues.length} problems with the options:\n${issues.map((i) => `  - ${i.message}`).join('\n')}`,
			{
				code: 'USAGE',
				hint: `fix the listed options; run \`agentspace ${command} --help\` for examples`,
				issues,
			},
		);
	}
}

/** The filters given on the command line, checked; problems go to `problems`. */
export function parseEventFilters(
	options: EventFilterOptions,
	problems: OptionProblems,
): EventQueryFilters {
	const text = (option: string, value: string | undefined, example: string) =>
		value === undefined
			? undefined
			: problems.parse(option, () => parseTextArg(option, value, example));
	const filters: { -readonly [K in keyof EventQueryFilters]: EventQueryFilters[K] } = {
		project_key: text('--project', options.project, '/home/me/app'),
		stream_id: text('--stream', options.stream, 'sortie:s-12'),
	};
	if (options.type !== undefined) filters.types = parseTypes(options.type, problems);
	if (options.since !== undefined) {
		const since = options.since;
		filters.since = problems.parse('--since', () => parseTimeArg('--since', since));
	}
	if (options.until !== undefined) {
		const until = options.until;
		filters.until = problems.parse('--until', () =>
			parseTimeArg('--until', until, { bound: 'end' }),
		);
	}
	if (filters.since !== undefined && filters.until !== undefined && filters.since > filters.until) {
		problems.add(
			'--until',
			`--until "${options.until}" is before --since "${options.since}"`,
			'give --since the earlier time; both bounds are inclusive',
		);
	}
	if (options.after !== undefined) {
		const after = options.after;
		filters.after_sequence = problems.parse('--after', () =>
			parseIntArg('--after', after, 0, Number.MAX_SAFE_INTEGER),
		);
	}
	if (options.before !== undefined) {
		const before = options.before;
		filters.before_sequence = problems.parse('--before', () =>
			parseIntArg('--before', before, 0, Number.MAX_SAFE_INTEGER),
		);
	}
	return filters;
}

// `--type a --type b,c`: every name known, each once, in the order given.
function parseTypes(values: readonly string[], problems: OptionProblems): EventType[] | undefined {
	const types: EventType[] = [];
	for (const value of values.flatMap((v) => v.split(','))) {
		const name = problems.parse('--type', () =>
			parseTextArg('--type', value.trim(), 'sortie_created'),
		);
		if (name === undefined) continue;
		if (isKnownEventType(name)) {
			if (!types.includes(name)) types.push(name);
			continue;
		}
		const near = closestType(name);
		problems.add(
			'--type',
			`--type "${name}" is not an event type${near === undefined ? '' : `; did you mean ${near}?`}`,
			`the event types are: ${EVENT_TYPES.join(', ')}`,
		);
	}
	return types.length > 0 ? types : undefined;
}

/** The known type nearest to a misspelt one, when it is close enough to be a likely typo. */
function closestType(name: string): EventType | undefined {
	let best: EventType | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const type of EVENT_TYPES) {
		const distance = editDistance(name.toLowerCase(), type);
		if (distance < bestDistance) {
			best = type;
			bestDistance = distance;
		}
	}
	return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(
				(previous[j] ?? 0) + 1,
				(current[j - 1] ?? 0) + 1,
				(previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
		}
		previous = current;
	}
	return previous[b.length] ?? 0;
}

const OPTION_OF: Readonly<Record<string, string>> = {
	project_key: '--project',
	types: '--type',
	stream_id: '--stream',
	since: '--since',
	until: '--until',
	after_sequence: '--after',
	before_sequence: '--before',
	limit: '--limit',
	order: '--order',
};

/**
 * Throws every problem found in the options; then runs the library's own
 * check of the whole query, so a rule it adds later (a length limit, say) is
 * reported against the option rather than failing inside the query.
 */
export function assertEventQuery(
	query: EventQuery,
	problems: OptionProblems,
	command: string,
): void {
	problems.throwIfAny(command);
	const result = validateEventQuery(query);
	if (result.ok) return;
	for (const issue of result.errors) {
		const option = OPTION_OF[issue.path.replace(/\[\d+\]$/, '')] ?? issue.path;
		problems.add(option, `${option} ${issue.message}`);
	}
	problems.throwIfAny(command);
}
