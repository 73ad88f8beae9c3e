import { linkSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDaemonLock } from './daemonLock.js';

let temp: TempHome;
let pidFile: string;
beforeEach(() => {
	temp = createTempHome('daemon-lock');
	pidFile = join(temp.home, 'daemon.pid');
});
afterEach(() => temp.cleanup());

const deadPid = 2 ** 22 + 12345; // above pid_max's default: never a live process
const aMinuteAgo = () => new Date(Date.now() - 60_000);

describe('acquireDaemonLock', () => {
	it('creates the pid file with the pid already in it, and releases only its own', () => {
		const lock = acquireDaemonLock(pidFile);
		expect(readFileSync(pidFile, 'utf8')).toBe(`${process.pid}\n`);
		// A second starter (this process again) sees a live holder.
		expect(() => acquireDaemonLock(pidFile)).toThrow(/already running \(pid \d+\)/);
		lock.release();
		expect(() => readFileSync(pidFile)).toThrow(/ENOENT/);
		// No temp file is left behind.
		expect(readdirSync(temp.home).filter((name) => name.startsWith('daemon.pid'))).toEqual([]);
		const again = acquireDaemonLock(pidFile);
		writeFileSync(pidFile, `${deadPid}\n`); // someone else's now
		again.release();
		expect(readFileSync(pidFile, 'utf8')).toBe(`${deadPid}\n`);
	});

	it('takes over a pid file whose daemon is gone', () => {
		writeFileSync(pidFile, `${deadPid}\n`);
		const lock = acquireDaemonLock(pidFile);
		expect(readFileSync(pidFile, 'utf8')).toBe(`${process.pid}\n`);
		lock.release();
	});

	it('never calls an empty (being written) pid file stale while it is young: it refuses and leaves it', () => {
		writeFileSync(pidFile, '');
		expect(() => acquireDaemonLock(pidFile)).toThrow(/another daemon is starting/);
		expect(readFileSync(pidFile, 'utf8')).toBe('');
	});

	it('takes over an empty pid file once it is old (a starter of an older version died writing it)', () => {
		writeFileSync(pidFile, '');
		utimesSync(pidFile, aMinuteAgo(), aMinuteAgo());
		acquireDaemonLock(pidFile).release();
	});

	it('leaves a stale lock to the starter that holds the takeover lock', () => {
		writeFileSync(pidFile, `${deadPid}\n`);
		// Another starter is taking it over right now (a live pid: this process's parent).
		writeFileSync(`${pidFile}.busy`, `${process.ppid}\n`);
		linkSync(`${pidFile}.busy`, `${pidFile}.takeover`);
		expect(() => acquireDaemonLock(pidFile)).toThrow(/another daemon is starting/);
		expect(readFileSync(pidFile, 'utf8')).toBe(`${deadPid}\n`);
	});
});

// The lock file itself (taken whole, one takeover at a time, processes racing
// on it) is tested in @agentspace/core: process/exclusiveLockFile.test.ts.
