import { ValidationError } from '@agentspace/core';

/** Stores an array or object column; null and undefined stay NULL. */
export function jsonColumn(value: unknown): string | null {
	return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * Times inside payloads may carry any offset; stored as UTC with milliseconds
 * so that comparing them as text compares instants.
 */
export function utc(time: string): string {
	return new Date(time).toISOString();
}

/**
 * The expiry of a lock or reservation, checked against its own event: no
 * later than the event's time plus its TTL (one second of slack for the time
 * it took to build the event). Otherwise a TTL of one second could carry an
 * expiry in the year 9999 and hold the resource for good.
 */
export function checkedExpiry(event: {
	timestamp: string;
	ttl_seconds: number;
	expires_at: string;
}): string {
	const limit = Date.parse(event.timestamp) + (event.ttl_seconds + 1) * 1000;
	if (Date.parse(event.expires_at) > limit) {
		throw new ValidationError(
			`expires_at ${event.expires_at} is later than the event's time plus ttl_seconds (${event.ttl_seconds} s)`,
			{
				hint: 'set expires_at to the event time plus ttl_seconds',
				issues: [{ path: 'expires_at', message: 'must not be later than timestamp + ttl_seconds' }],
			},
		);
	}
	return utc(event.expires_at);
}
