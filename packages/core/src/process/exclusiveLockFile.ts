import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';

/** Who a lock file names: its holder's pid, `unreadable` (torn, or not a pid), or `gone` (no file). */
export type LockFileHolder = number | 'unreadable' | 'gone';

/**
 * One process's attempt at an exclusive lock file. The lock is created whole,
 * with the pid already in it: the pid is written to a temp file of the
 * attempt's own, which is then hard-linked into place — a link fails if the
 * lock exists, so no one ever reads a lock empty. The caller decides what is
 * stale and whether to wait (sync or async) or refuse; {@link tryTake} and
 * {@link removeStale} are the only writes. {@link close} it when done (the
 * lock itself stays until the caller removes it).
 */
export interface LockFileAttempt {
	/** The inode the lock file has while this attempt holds it. */
	readonly ino: number;
	/** Tries once to take the lock: true when taken, false when it exists. */
	tryTake(): boolean;
	/**
	 * Removes a lock the caller found stale — by one process at a time, under a
	 * second lock (`<lockFile>.takeover`), and only if `stillStale()` (asked
	 * under that lock, so a lock just taken by another is never removed) says
	 * so. False when another process holds the takeover lock: try again later.
	 * A takeover lock `isAbandoned` calls abandoned (its holder died while
	 * taking over: a window of microseconds) is cleared for the next try.
	 */
	removeStale(stillStale: () => boolean, isAbandoned: (takeoverFile: string) => boolean): boolean;
	/** Removes the attempt's temp file. */
	close(): void;
}

/**
 * Begins an attempt at the exclusive lock file `lockFile` (see
 * {@link LockFileAttempt}): creates its temp file, `<lockFile>.<pid>.<random>.tmp`,
 * mode 0600, next to it. Throws the file system's error when that cannot be created.
 */
export function beginLockFileAttempt(lockFile: string): LockFileAttempt {
	const temp = writeTempLockFile(lockFile);
	let ino: number;
	try {
		ino = statSync(temp).ino;
	} catch (error) {
		rmSync(temp, { force: true });
		throw error;
	}
	return {
		ino,
		tryTake: () => tryLink(temp, lockFile),
		removeStale: (stillStale, isAbandoned) => {
			const takeover = `${lockFile}.takeover`;
			if (!tryLink(temp, takeover)) {
				if (isAbandoned(takeover)) rmSync(takeover, { force: true });
				return false;
			}
			try {
				if (stillStale()) rmSync(lockFile, { force: true });
			} finally {
				rmSync(takeover, { force: true });
			}
			return true;
		},
		close: () => rmSync(temp, { force: true }),
	};
}

/** The pid a lock file names; throws on errors other than its absence. */
export function readLockFileHolder(file: string): LockFileHolder {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
		throw error;
	}
	const pid = /^\d+\n$/.test(text) ? Number(text.trim()) : Number.NaN;
	return Number.isSafeInteger(pid) && pid > 0 ? pid : 'unreadable';
}

/** True when `file` exists and was last written more than `ms` ago. */
export function isLockFileOlderThan(file: string, ms: number): boolean {
	const stat = statSync(file, { throwIfNoEntry: false });
	return stat !== undefined && Date.now() - stat.mtimeMs > ms;
}

function writeTempLockFile(lockFile: string): string {
	const temp = `${lockFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
	const fd = openSync(temp, 'wx', 0o600);
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
