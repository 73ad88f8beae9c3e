import { AgentSpaceError } from '@agentspace/core';

/** Connection failures after which the request was never answered, so it is sent again. */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set(['EAGAIN', 'ECONNRESET', 'EPIPE']);
const FIRST_RETRY_MS = 25;
const MAX_RETRY_MS = 800;

/** A connection that ended before any answer: the daemon closed it unanswered (busy, or flooded). */
export class Unanswered extends Error {}

/**
 * Runs `attempt` (given the milliseconds left) again, with backoff from 25 ms
 * doubling to 800 ms, while it fails unanswered ({@link Unanswered} or one of
 * {@link RETRYABLE_CODES}) — the daemon only closes a connection unanswered
 * before it has read the request, so nothing runs twice — for at most
 * `timeoutMs` in all; then a CONFLICT naming the last failure. Any other
 * failure is thrown at once. callDaemon and openDaemonStream share it.
 */
export async function retryUnanswered<T>(
	timeoutMs: number,
	attempt: (remainingMs: number) => Promise<T>,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let wait = FIRST_RETRY_MS;
	for (;;) {
		try {
			return await attempt(deadline - Date.now());
		} catch (error) {
			const retryable =
				error instanceof Unanswered ||
				RETRYABLE_CODES.has((error as NodeJS.ErrnoException).code ?? '');
			if (!retryable) throw error;
			if (Date.now() + wait >= deadline) {
				throw new AgentSpaceError(
					`cannot reach the AgentSpace daemon: ${(error as Error).message} (tried for ${Math.round(timeoutMs / 1000)} s)`,
					{
						code: 'CONFLICT',
						hint: 'something floods its socket, or it is stuck: see agentspace audit list --type security.denied, or restart it: agentspace daemon stop && agentspace daemon start',
						cause: error,
					},
				);
			}
			await new Promise((resolve) => setTimeout(resolve, wait));
			wait = Math.min(wait * 2, MAX_RETRY_MS);
		}
	}
}
