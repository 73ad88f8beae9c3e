import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { VaultError } from '../errors.js';

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
}

/**
 * Runs `work` while holding the exclusive lock file `lockFile`, so that only
 * one process of a home at a time creates its auth token. The lock is created
 * whole, with the holder's pid already in it (written to a temp file, then
 * hard-linked into place, which fails if the lock exists — as the daemon's
 * lock is). A lock whose holder is gone, or older than the stale age, is
 * taken over by one waiter at a time, under `<lockFile>.takeover`, and only
 * if it is still the same file (inode) the waiter found stale. The lock is
 * removed when `work` settles, if it is still ours.
 */
export async function withAuthTokenLock<T>(
	lockFile: string,
	work: () => Promise<T>,
	options: AuthTokenLockOptions = {},
): Promise<T> {
	const ino = await acquire(lockFile, options.staleMs ?? AUTH_TOKEN_LOCK_STALE_MS);
	try {
		return await work();
	} finally {
		if (statSync(lockFile, { throwIfNoEntry: false })?.ino === ino)
			rmSync(lockFile, { force: true });
	}
}

/** Takes the lock; returns the inode of the lock file it created. */
async function acquire(lockFile: string, staleMs: number): Promise<number> {
	const temp = writeTempLockFile(lockFile);
	try {
		const ino = statSync(temp).ino;
		const deadline = Date.now() + Math.max(WAIT_MS, 3 * staleMs);
		while (Date.now() < deadline) {
			if (tryLink(temp, lockFile)) return ino;
			const seen = statSync(lockFile, { throwIfNoEntry: false });
			if (seen === undefined) continue; // Released in between: try again at once.
			const holder = readHolder(lockFile);
			const stale =
				Date.now() - seen.mtimeMs > staleMs || (typeof holder === 'number' && !isAlive(holder));
			if (!stale || !removeStale(lockFile, temp, seen.ino, staleMs)) await delay(RETRY_MS);
		}
	} finally {
		rmSync(temp, { force: true });
	}
	throw new VaultError(`could not take the auth token lock ${lockFile}`, {
		hint: 'another agentspace command is creating the auth token; try again, or delete the lock file if none is running',
	});
}

/**
 * Removes the stale lock while holding the takeover lock, and only if it is
 * still the file found stale (same inode). False when another waiter holds the
 * takeover lock (try again later).
 */
function removeStale(lockFile: string, temp: string, seenIno: number, staleMs: number): boolean {
	const takeover = `${lockFile}.takeover`;
	if (!tryLink(temp, takeover)) {
		// Its holder died while taking over (a window of microseconds): clear it once old.
		const stat = statSync(takeover, { throwIfNoEntry: false });
		if (stat !== undefined && Date.now() - stat.mtimeMs > staleMs)
			rmSync(takeover, { force: true });
		return false;
	}
	try {
		if (statSync(lockFile, { throwIfNoEntry: false })?.ino === seenIno) {
			rmSync(lockFile, { force: true });
		}
	} finally {
		rmSync(takeover, { force: true });
	}
	return true;
}

function writeTempLockFile(lockFile: string): string {
	const temp = `${lockFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	let fd: number;
	try {
		fd = openSync(temp, 'wx', 0o600);
	} catch (error) {
		throw new VaultError(
			`cannot create the auth token lock ${lockFile}: ${(error as Error).message}`,
			{
				hint: 'make sure the AgentSpace home exists and is writable by you',
				cause: error,
			},
		);
	}
	try {
		writeSync(fd, `${process.pid}\n`);
	} finally {
		closeSync(fd);
	}
	return temp;
}

/** Creates `target` as a second name of `temp`; false when `target` exists. */
function tryLink(temp: string, target: string): boolean {
	try {
		linkSync(temp, target);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

/** The pid a lock file names, or undefined (gone, torn, not a pid). */
function readHolder(file: string): number | undefined {
	try {
		const text = readFileSync(file, 'utf8');
		const pid = /^\d+\n$/.test(text) ? Number(text.trim()) : Number.NaN;
		return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
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
