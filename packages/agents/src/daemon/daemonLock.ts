import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { AgentSpaceError } from '@agentspace/core';
import { isProcessAlive } from '../process/isProcessAlive.js';

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
 * Takes the home's daemon lock: the pid file. It is created whole, with the
 * pid already in it (written to a temp file, then hard-linked into place,
 * which fails if the pid file exists), so no starter ever reads it empty. A
 * pid file left by a daemon that is gone (killed, machine rebooted) is taken
 * over — by one starter at a time, under a second lock (`<pidFile>.takeover`),
 * which re-reads the file before it removes it, so a lock just taken by
 * another starter is never removed. One whose daemon still runs refuses with
 * `CONFLICT`, so a second daemon never starts.
 */
export function acquireDaemonLock(pidFile: string): DaemonLock {
	const temp = writeTempPidFile(pidFile);
	try {
		for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
			if (tryLink(temp, pidFile)) return { release: () => releaseIfOurs(pidFile) };
			const holder = readHolder(pidFile);
			if (holder === 'gone') continue; // Released in between: try again at once.
			if (holder === 'unreadable') {
				// An older version's lock being written, or a torn one: stale only once old.
				if (!isOlderThan(pidFile, UNREADABLE_STALE_MS)) {
					sleep(RETRY_MS);
					continue;
				}
			} else if (isProcessAlive(holder)) {
				throw new AgentSpaceError(`the AgentSpace daemon is already running (pid ${holder})`, {
					code: 'CONFLICT',
					hint: 'see it with: agentspace daemon status',
				});
			}
			if (!removeStale(pidFile, temp, holder)) sleep(RETRY_MS);
		}
	} finally {
		rmSync(temp, { force: true });
	}
	throw new AgentSpaceError('could not take the daemon lock: another daemon is starting', {
		code: 'CONFLICT',
		hint: 'try again in a moment: agentspace daemon status',
	});
}

/**
 * Removes the stale pid file while holding the takeover lock, and only if it
 * still names the dead holder seen before. False when another starter holds
 * the takeover lock (try again later).
 */
function removeStale(pidFile: string, temp: string, seen: number | 'unreadable'): boolean {
	const takeover = `${pidFile}.takeover`;
	if (!tryLink(temp, takeover)) {
		const breaker = readHolder(takeover);
		// Its holder died while taking over (a window of microseconds): clear it once it is old.
		const dead =
			breaker === 'unreadable' || (typeof breaker === 'number' && !isProcessAlive(breaker));
		if (dead && isOlderThan(takeover, UNREADABLE_STALE_MS)) rmSync(takeover, { force: true });
		return false;
	}
	try {
		if (readHolder(pidFile) === seen) rmSync(pidFile, { force: true });
	} finally {
		rmSync(takeover, { force: true });
	}
	return true;
}

function releaseIfOurs(pidFile: string): void {
	if (readHolder(pidFile) === process.pid) rmSync(pidFile, { force: true });
}

function writeTempPidFile(pidFile: string): string {
	const temp = `${pidFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
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

/** The pid a lock file names, `unreadable` when it names none, `gone` when it does not exist. */
function readHolder(file: string): number | 'unreadable' | 'gone' {
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

function isOlderThan(file: string, ms: number): boolean {
	const stat = statSync(file, { throwIfNoEntry: false });
	return stat !== undefined && Date.now() - stat.mtimeMs > ms;
}

function sleep(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
