import { AgentSpaceError, hasErrorCode } from '@agentspace/core';
import type { ExpectedVersion } from './expectedVersion.js';

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
