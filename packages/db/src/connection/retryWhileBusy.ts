/** SQLite's "database is locked" family: SQLITE_BUSY and its extended codes. */
export function isBusyError(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Blocks the thread for `ms` (opening a database is synchronous, like better-sqlite3). */
function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `work` again while it fails with SQLITE_BUSY, for up to `timeoutMs`.
 * The busy timeout covers most waits, but SQLite returns SQLITE_BUSY at once,
 * without waiting, where waiting could deadlock: two connections that both
 * hold a read lock and both want to write, as when several processes open a
 * new database together and each switches it to WAL. Backing off and starting
 * over is then the way through. `work` must be safe to repeat.
 */
export function retryWhileBusy<T>(
	work: () => T,
	timeoutMs: number,
	sleep: (ms: number) => void = sleepSync,
): T {
	const deadline = Date.now() + timeoutMs;
	for (let attempt = 0; ; attempt++) {
		try {
			return work();
		} catch (error) {
			if (!isBusyError(error) || Date.now() >= deadline) throw error;
			// 5, 10, 20 … 160 ms, jittered so the contenders do not collide again.
			sleep(Math.min(5 * 2 ** attempt, 160) * (0.5 + Math.random()));
		}
	}
}
