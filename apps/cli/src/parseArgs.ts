import { AgentSpaceError } from '@agentspace/core';

const RELATIVE = /^(\d+)(s|m|h|d|w)$/;
const UNIT_MS: Readonly<Record<string, number>> = {
	s: 1e3,
	m: 6e4,
	h: 3.6e6,
	d: 8.64e7,
	w: 6.048e8,
};

/**
 * A time argument: an ISO 8601 date or time (`2026-11-21`, `2026-11-21T10:00:00Z`)
 * or a span before `now` (`30m`, `2h`, `7d`). Returns ISO 8601 UTC.
 */
export function parseTimeArg(option: string, value: string, now = Date.now()): string {
	const relative = RELATIVE.exec(value);
	if (relative) {
		const [, amount, unit] = relative;
		return new Date(now - Number(amount) * (UNIT_MS[unit as string] ?? 0)).toISOString();
	}
	if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
		const time = Date.parse(value);
		if (!Number.isNaN(time)) return new Date(time).toISOString();
	}
	throw new AgentSpaceError(`${option} "${value}" is not a time`, {
		code: 'USAGE',
		hint: `use an ISO time such as 2026-11-21T10:00:00Z, or a span before now such as 30m, 2h or 7d`,
	});
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
