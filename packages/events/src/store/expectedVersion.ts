import { AgentSpaceError, hasErrorCode, ValidationError } from '@agentspace/core';

/**
 * What the appender believes about the stream: `any` (no check), `no_stream`
 * (it must be new), `stream_exists` (it must have at least one event), or the
 * exact current version (0 is the same as `no_stream`).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

/**
 * An append's expected version did not match the stream. Carries both sides so
 * the caller can decide: re-read the stream and retry, or give up.
 */
export class ConcurrencyError extends AgentSpaceError {
	override readonly name = 'ConcurrencyError';
	readonly streamId: string;
	readonly expected: ExpectedVersion;
	/** The stream's current version; 0 when the stream has no events. */
	readonly actual: number;

	constructor(streamId: string, expected: ExpectedVersion, actual: number) {
		super(
			`stream ${streamId} is at version ${actual}, but the append expected ${describe(expected)}`,
			{
				code: 'CONCURRENCY_CONFLICT',
				hint: 're-read the stream, decide again with its current state, and retry with the new version',
			},
		);
		this.streamId = streamId;
		this.expected = expected;
		this.actual = actual;
	}
}

function describe(expected: ExpectedVersion): string {
	if (expected === 'no_stream') return 'no stream';
	if (expected === 'stream_exists') return 'an existing stream';
	if (expected === 'any') return 'any version';
	return `version ${expected}`;
}

/** True for a {@link ConcurrencyError} (from any copy of this package). */
export function isConcurrencyError(error: unknown): error is ConcurrencyError {
	return hasErrorCode(error, 'CONCURRENCY_CONFLICT');
}

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
