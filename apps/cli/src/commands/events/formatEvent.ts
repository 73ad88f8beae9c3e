import { ENVELOPE_FIELDS, type FleetEvent } from '@agentspace/events';
import { type Column, printable } from '../../output.js';

const SUMMARY_WIDTH = 60;

/** `2026-11-22 10:04:05Z`: to the second, as `audit list` shows times. */
export function eventTime(event: FleetEvent): string {
	return event.timestamp.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** `human:alice`. */
export function eventActor(event: FleetEvent): string {
	const { type, id } = event.metadata.actor;
	return printable(id === '' ? type : `${type}:${id}`);
}

/** `sortie:s-12@3`: the stream and the event's version in it. */
export function eventStream(event: FleetEvent): string {
	return printable(`${event.stream_id}@${event.stream_version}`);
}

/** The payload as `key=value …`, cut to one short line; values may come from agents, so escaped. */
export function eventSummary(event: FleetEvent, width = SUMMARY_WIDTH): string {
	const text = Object.entries(event as unknown as Record<string, unknown>)
		.filter(([key, value]) => !ENVELOPE_FIELDS.has(key) && value !== undefined)
		.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
		.join(' ');
	const safe = printable(text);
	return safe.length > width ? `${safe.slice(0, width - 1)}…` : safe;
}

/** The columns of `events list` and `events tail`. */
export const EVENT_COLUMNS: readonly Column<FleetEvent>[] = [
	{ header: 'SEQ', value: (e) => String(e.sequence) },
	{ header: 'TIME', value: (e) => eventTime(e) },
	{ header: 'TYPE', value: (e) => printable(e.type) },
	{ header: 'PROJECT', value: (e) => printable(e.project_key) },
	{ header: 'STREAM', value: (e) => eventStream(e) },
	{ header: 'ACTOR', value: (e) => eventActor(e) },
	{ header: 'SUMMARY', value: (e) => eventSummary(e) },
];

/**
 * Formats events as lines whose columns line up without a table: each
 * column is as wide as the widest value seen so far, so a followed stream
 * stays aligned unless a wider value turns up.
 */
export function createLineFormatter(): (events: readonly FleetEvent[]) => string[] {
	const widths = EVENT_COLUMNS.map(() => 0);
	return (events) => {
		const rows = events.map((event) => EVENT_COLUMNS.map((column) => column.value(event)));
		for (const row of rows) {
			row.forEach((cell, i) => {
				widths[i] = Math.max(widths[i] ?? 0, cell.length);
			});
		}
		return rows.map((row) =>
			row
				.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
				.join('  ')
				.trimEnd(),
		);
	};
}
