import { AgentSpaceError } from '@agentspace/core';

const RELATIVE = /^(\d{1,6})(s|m|h|d|w)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const UNIT_MS: Readonly<Record<string, number>> = {
	s: 1e3,
	m: 6e4,
	h: 3.6e6,
	d: 8.64e7,
	w: 6.048e8,
};

/** How to read a time argument. */
export interface TimeArgOptions {
	/** `end`: a date alone means the end of that day (for `--until`); default `start`. */
	readonly bound?: 'start' | 'end';
	/** "Now", for spans; defaults to the current time. */
	readonly now?: number;
}

/**
 * A time argument, returned as ISO 8601 UTC:
 * - a span before now: `30s`, `30m`, `2h`, `7d`, `1w`;
 * - a date, `2026-11-21`: local midnight, or with `bound: 'end'` the last
 *   millisecond of that local day, so `--until 2026-11-21` includes the 21st;
 * - a date-time, `2026-11-21T10:00[:00[.000]]`, local unless it ends in `Z`
 *   or an offset (`+02:00`).
 */
export function parseTimeArg(option: string, value: string, options: TimeArgOptions = {}): string {
	const time = toEpochMs(value, options);
	if (time === undefined || Number.isNaN(time) || Math.abs(time) > 8.64e15) {
		throw new AgentSpaceError(`${option} "${value}" is not a time`, {
			code: 'USAGE',
			hint: 'use a span before now such as 30m, 2h or 7d, a date such as 2026-11-21, or a time such as 2026-11-21T10:00 (local) or 2026-11-21T10:00Z',
		});
	}
	return new Date(time).toISOString();
}

function toEpochMs(value: string, options: TimeArgOptions): number | undefined {
	const relative = RELATIVE.exec(value);
	if (relative) {
		const [, amount, unit] = relative;
		return (options.now ?? Date.now()) - Number(amount) * (UNIT_MS[unit as string] ?? Number.NaN);
	}
	const date = DATE.exec(value);
	if (date) {
		const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
		const start = new Date(year, month - 1, day);
		// Date rolls 2026-02-31 over into March; a real date survives the round trip.
		if (start.getFullYear() !== year || start.getMonth() !== month - 1 || start.getDate() !== day)
			return undefined;
		return options.bound === 'end'
			? new Date(year, month - 1, day + 1).getTime() - 1
			: start.getTime();
	}
	return DATE_TIME.test(value) ? Date.parse(value) : undefined;
}

/** A whole number argument within `[min, max]`. */
export function parseIntArg(option: string, value: string, min: number, max: number): number {
	const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
	if (!Number.isSafeInteger(n) || n < min || n > max) {
		throw new AgentSpaceError(`${option} "${value}" must be a whole number from ${min} to ${max}`, {
			code: 'USAGE',
			hint: `for example ${option} ${Math.min(max, Math.max(min, 50))}`,
		});
	}
	return n;
}

/** A duration argument in seconds within `[min, max]`, fractions allowed (`--grace 0.5`). */
export function parseSecondsArg(option: string, value: string, min: number, max: number): number {
	const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
	if (!Number.isFinite(n) || n < min || n > max) {
		throw new AgentSpaceError(
			`${option} "${value}" must be a number of seconds from ${min} to ${max}`,
			{
				code: 'USAGE',
				hint: `for example ${option} ${Math.min(max, Math.max(min, 10))}`,
			},
		);
	}
	return n;
}

/** A non-empty text argument. */
export function parseTextArg(option: string, value: string, example: string): string {
	if (value.trim() === '') {
		throw new AgentSpaceError(`${option} must not be empty`, {
			code: 'USAGE',
			hint: `for example ${option} ${example}`,
		});
	}
	return value;
}
