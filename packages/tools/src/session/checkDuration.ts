import { ValidationError } from '@agentspace/core';

/** The longest wait a timer can take (setTimeout treats more as 1 ms), less the SDK backstop's second. */
export const MAX_DURATION_MS = 2 ** 31 - 1 - 1000;

/**
 * `value` if it is a whole number of milliseconds from 1 to MAX_DURATION_MS;
 * throws VALIDATION_FAILED naming `field` otherwise. (A NaN, 0 or a too-large
 * timeout would make Node's timer fire at once: every call would time out.)
 */
export function checkDuration(field: string, value: number): number {
	if (Number.isInteger(value) && value >= 1 && value <= MAX_DURATION_MS) return value;
	throw new ValidationError(
		`${field} must be a whole number of milliseconds from 1 to ${MAX_DURATION_MS}`,
		{
			issues: [{ path: field, message: `got ${String(value)}` }],
			hint: `give ${field} in milliseconds, e.g. 60000 for a minute`,
		},
	);
}
