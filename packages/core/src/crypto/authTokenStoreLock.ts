import { rmSync, statSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { VaultError } from '../errors.js';
import {
	beginLockFileAttempt,
	isLockFileOlderThan,
	type LockFileAttempt,
	readLockFileHolder,
} from '../process/exclusiveLockFile.js';

/** A lock held longer than this (or by a process that is gone) is stale: taken over. */
export const AUTH_TOKEN_LOCK_STALE_MS = 10_000;
/** How often a waiter looks again. */
const RETRY_MS = 10;
/** How long a waiter waits in all before it gives up (a stale lock is taken over well before). */
const WAIT_MS = 3 * AUTH_TOKEN_LOCK_STALE_MS;

/** Options for {@link withAuthTokenLock}; defaults suit everything but tests. */
export interface AuthTokenLockOptions {
	/** Age after which a held lock is stale; {@link AUTH_TOKEN_LOCK_STALE_MS} by default. */
	readonly staleMs?: number;
	/** What the lock guards, as its errors name it ("the <what> lock"): `auth token` by default. */
	readonly what?: string;
}

/**
 * Runs `work` while holding the exclusive lock file `lockFile` (see
 * `beginLockFileAttempt`, as the daemon's lock is), so that only one process
 * of a home at a time creates its auth token. A lock whose holder is gone, or
 * older than the stale age, is taken over by one waiter at a time, under
 * `<lockFile>.takeover`, and only if it is still the same file (inode) the
 * waiter found stale. The lock is
 * removed when `work` settles, if it is still ours.
 */
export async function withAuthTokenLock<T>(
	lockFile: string,
	work: () => Promise<T>,
	options: AuthTokenLockOptions = {},
): Promise<T> {
	const ino = await acquire(
		lockFile,
		options.staleMs ?? AUTH_TOKEN_LOCK_STALE_MS,
		options.what ?? 'auth token',
	);
	try {
		return await work();
	} finally {
		if (statSync(lockFile, { throwIfNoEntry: false })?.ino === ino)
			rmSync(lockFile, { force: true });
	}
}

/** Takes the lock; returns the inode of the lock file it created. */
async function acquire(lockFile: string, staleMs: number, what: string): Promise<number> {
	const attempt = beginAttempt(lockFile, what);
	try {
		const deadline = Date.now() + Math.max(WAIT_MS, 3 * staleMs);
		while (Date.now() < deadline) {
			if (attempt.tryTake()) return attempt.ino;
			const seen = statSync(lockFile, { throwIfNoEntry: false });
			if (seen === undefined) continue; // Released in between: try again at once.
			const holder = readHolder(lockFile);
			const stale =
				Date.now() - seen.mtimeMs > staleMs || (typeof holder === 'number' && !isAlive(holder));
			// Removed only if still the file found stale (same inode); a takeover
			// lock left by a waiter that died while taking over is cleared once old.
			const removed =
				stale &&
				attempt.removeStale(
					() => statSync(lockFile, { throwIfNoEntry: false })?.ino === seen.ino,
					(takeover) => isLockFileOlderThan(takeover, staleMs),
				);
			if (!removed) await delay(RETRY_MS);
		}
	} finally {
		attempt.close();
	}
	throw new VaultError(`could not take the ${what} lock ${lockFile}`, {
		hint: `another agentspace command is writing the ${what}; try again, or delete the lock file if none is running`,
	});
}

function beginAttempt(lockFile: string, what: string): LockFileAttempt {
	try {
		return beginLockFileAttempt(lockFile);
	} catch (error) {
		throw new VaultError(
			`cannot create the ${what} lock ${lockFile}: ${(error as Error).message}`,
			{
				hint: 'make sure the AgentSpace home exists and is writable by you',
				cause: error,
			},
		);
	}
}

/** The pid a lock file names, or undefined (gone, torn, not a pid, unreadable). */
function readHolder(file: string): number | undefined {
	try {
		const holder = readLockFileHolder(file);
		return typeof holder === 'number' ? holder : undefined;
	} catch {
		return undefined;
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, as someone else's process.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
