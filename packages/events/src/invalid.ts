import { type FieldIssue, formatIssues, ValidationError } from '@agentspace/core';

/** A `ValidationError` for the arguments of `operation`, listing every issue. */
export function invalidArguments(
	operation: string,
	issues: readonly FieldIssue[],
): ValidationError {
	return new ValidationError(`invalid arguments to ${operation}:\n${formatIssues(issues)}`, {
		hint: 'fix the listed arguments; nothing was written',
		issues,
	});
}

/** True for an integer in [min, max]. */
export function isIntegerIn(value: unknown, min: number, max: number): value is number {
	return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

/** True for a string of 1 to `max` characters. */
export function isText(value: unknown, max = 1024): value is string {
	return typeof value === 'string' && value.length > 0 && value.length <= max;
}
