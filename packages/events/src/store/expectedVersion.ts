import { ValidationError } from '@agentspace/core';
import { ConcurrencyError } from './ConcurrencyError.js';

/**
 * What the appender believes about the stream: `any` (no check), `no_stream`
 * (it must be new), `stream_exists` (it must have at least one event), or the
 * exact current version (0 is the same as `no_stream`).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

/** Throws a `ValidationError` unless `value` is an {@link ExpectedVersion}. */
export function assertExpectedVersion(value: unknown): asserts value is ExpectedVersion {
	if (value === 'any' || value === 'no_stream' || value === 'stream_exists') return;
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return;
	throw new ValidationError(`invalid expectedVersion ${JSON.stringify(value)}`, {
		hint: 'use "any", "no_stream", "stream_exists" or the stream\'s current version (an integer ≥ 0)',
		issues: [
			{
				path: 'expectedVersion',
				message: 'must be any, no_stream, stream_exists or an integer ≥ 0',
			},
		],
	});
}

/** Throws a {@link ConcurrencyError} when the stream's `actual` version does not meet `expected`. */
export function checkExpectedVersion(
	streamId: string,
	expected: ExpectedVersion,
	actual: number,
): void {
	const ok =
		expected === 'any' ||
		(expected === 'no_stream' && actual === 0) ||
		(expected === 'stream_exists' && actual > 0) ||
		expected === actual;
	if (!ok) throw new ConcurrencyError(streamId, expected, actual);
}
