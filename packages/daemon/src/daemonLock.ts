import { rmSync } from 'node:fs';
import { isProcessAlive } from '@agentspace/agents';
import {
	AgentSpaceError,
	beginLockFileAttempt,
	isLockFileOlderThan,
	type LockFileAttempt,
	readLockFileHolder,
} from '@agentspace/core';

/** A held daemon lock: release it when the daemon ends. */
export interface DaemonLock {
	release(): void;
}

/** A pid file without a readable pid is only called stale once it is this old. */
const UNREADABLE_STALE_MS = 10_000;
/** How often a starter looks again while another one takes a stale lock over. */
const RETRY_MS = 20;
const ATTEMPTS = 100;

/**
 * Takes the home's daemon lock: the pid file, an exclusive lock file of
 * `@agentspace/core` (created whole, with the pid already in it, so no
 * starter ever reads it empty). A pid file left by a daemon that is gone
 * (killed, machine rebooted) is taken over — by one starter at a time, under
 * a second lock (`<pidFile>.takeover`), which re-reads the file before it
 * removes it, so a lock just taken by another starter is never removed. One
 * whose daemon still runs refuses with `CONFLICT`, so a second daemon never
 * starts.
 */
export function acquireDaemonLock(pidFile: string): DaemonLock {
	const attempt = beginLockFileAttempt(pidFile);
	try {
		for (let i = 0; i < ATTEMPTS; i++) {
			if (attempt.tryTake()) return { release: () => releaseIfOurs(pidFile) };
			const holder = readLockFileHolder(pidFile);
			if (holder === 'gone') continue; // Released in between: try again at once.
			if (holder === 'unreadable') {
				// An older version's lock being written, or a torn one: stale only once old.
				if (!isLockFileOlderThan(pidFile, UNREADABLE_STALE_MS)) {
					sleep(RETRY_MS);
					continue;
				}
			} else if (isProcessAlive(holder)) {
				throw new AgentSpaceError(`the AgentSpace daemon is already running (pid ${holder})`, {
					code: 'CONFLICT',
					hint: 'see it with: agentspace daemon status',
				});
			}
			if (!removeStale(attempt, pidFile, holder)) sleep(RETRY_MS);
		}
	} finally {
		attempt.close();
	}
	throw new AgentSpaceError('could not take the daemon lock: another daemon is starting', {
		code: 'CONFLICT',
		hint: 'try again in a moment: agentspace daemon status',
	});
}

/**
 * Removes the stale pid file under the takeover lock, only if it still names
 * the dead holder seen before. False when another starter holds the takeover
 * lock (try again later).
 */
function removeStale(
	attempt: LockFileAttempt,
	pidFile: string,
	seen: number | 'unreadable',
): boolean {
	return attempt.removeStale(
		() => readLockFileHolder(pidFile) === seen,
		(takeover) => {
			const breaker = readLockFileHolder(takeover);
			const dead =
				breaker === 'unreadable' || (typeof breaker === 'number' && !isProcessAlive(breaker));
			return dead && isLockFileOlderThan(takeover, UNREADABLE_STALE_MS);
		},
	);
}

function releaseIfOurs(pidFile: string): void {
	if (readLockFileHolder(pidFile) === process.pid) rmSync(pidFile, { force: true });
}

function sleep(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
