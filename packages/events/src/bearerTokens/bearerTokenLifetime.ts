import { ValidationError } from '@agentspace/core';

/** A minted token's lifetime when none is given: 30 days. */
export const DEFAULT_BEARER_TOKEN_LIFETIME_MS = 30 * 24 * 3_600_000;
/** The longest lifetime a token may have: a year (a token never expires only by being re-minted). */
export const MAX_BEARER_TOKEN_LIFETIME_MS = 365 * 24 * 3_600_000;

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 24 * 3_600_000 };

/** Parses a lifetime such as `90m`, `24h` or `30d` into milliseconds (1 minute to 365 days). */
export function parseBearerTokenLifetime(text: string): number {
	const match = /^([1-9][0-9]{0,5})([mhd])$/.exec(text.trim());
	const ms = match === null ? undefined : Number(match[1]) * (UNITS[match[2] as string] as number);
	if (ms === undefined || ms > MAX_BEARER_TOKEN_LIFETIME_MS) {
		throw new ValidationError(`invalid token lifetime "${text.slice(0, 40)}"`, {
			hint: 'give minutes, hours or days, at most 365 days: e.g. --expires 90m, 24h or 30d',
		});
	}
	return ms;
}
