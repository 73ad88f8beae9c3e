import { ValidationError } from './errors.js';

/** The current time as an ISO 8601 UTC string with milliseconds. */
export function nowIso(): string {
	return new Date().toISOString();
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration for people: `3600000` → `1h 0m 0s`, `90500` → `1m 30s`, `250` → `250ms`,
 * `90061000` → `1d 1h 1m 1s`. Once a unit appears, every smaller one down to seconds is shown.
 */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) {
		throw new ValidationError(`cannot format duration ${ms}`, {
			hint: 'pass a finite, non-negative number of milliseconds',
		});
	}
	if (ms < SECOND) return `${Math.floor(ms)}ms`;
	const days = Math.floor(ms / DAY);
	const hours = Math.floor((ms % DAY) / HOUR);
	const minutes = Math.floor((ms % HOUR) / MINUTE);
	const seconds = Math.floor((ms % MINUTE) / SECOND);
	if (days > 0) return `${days}d ${hours}h ${minutes}m ${seconds}s`;
	if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
	if (minutes > 0) return `${minutes}m ${seconds}s`;
	return `${seconds}s`;
}
