import { linkSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, runNodeAsync, type TempHome } from '@agentspace/testing';
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

describe('acquireDaemonLock across processes', () => {
	it('8 processes taking and releasing it 300 times each: never two holders at once', async () => {
		// Real processes racing on one pid file, through the built module (as the
		// daemons run it). While it holds the lock each creates a marker file
		// exclusively: a second holder finds the marker there.
		const marker = join(temp.home, 'held-by');
		const script = `
			const { acquireDaemonLock } = await import(${JSON.stringify(new URL('../../dist/daemon/daemonLock.js', import.meta.url).href)});
			const { openSync, closeSync, rmSync, readFileSync } = await import('node:fs');
			let held = 0, overlaps = 0;
			for (let i = 0; i < 300; i++) {
				let lock;
				try { lock = acquireDaemonLock(${JSON.stringify(pidFile)}); } catch (error) {
					if (error.code !== 'CONFLICT') throw error;
					continue;
				}
				held++;
				try { closeSync(openSync(${JSON.stringify(marker)}, 'wx')); } catch { overlaps++; continue; }
				rmSync(${JSON.stringify(marker)});
				lock.release();
			}
			console.log(JSON.stringify({ held, overlaps }));
		`;
		const runs = await Promise.all(
			Array.from({ length: 8 }, () => runNodeAsync('--input-type=module', ['-e', script])),
		);
		const results = runs.map((run) => {
			expect(run.stderr).toBe('');
			return JSON.parse(run.stdout) as { held: number; overlaps: number };
		});
		expect(results.reduce((sum, r) => sum + r.held, 0)).toBeGreaterThan(0);
		expect(results.reduce((sum, r) => sum + r.overlaps, 0)).toBe(0);
	});
});
