import { linkSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, runNodeAsync, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	beginLockFileAttempt,
	isLockFileOlderThan,
	readLockFileHolder,
} from './exclusiveLockFile.js';

let temp: TempHome;
let lockFile: string;
beforeEach(() => {
	temp = createTempHome('lock-file');
	lockFile = join(temp.home, 'the.lock');
});
afterEach(() => temp.cleanup());

const deadPid = 2 ** 22 + 12345; // above pid_max's default: never a live process
const aMinuteAgo = () => new Date(Date.now() - 60_000);
const yes = () => true;
const no = () => false;
const lockFiles = () => readdirSync(temp.home).filter((name) => name.startsWith('the.lock'));

describe('beginLockFileAttempt', () => {
	it('takes the lock whole, with the pid already in it, once; close leaves no temp file', () => {
		const attempt = beginLockFileAttempt(lockFile);
		expect(attempt.tryTake()).toBe(true);
		expect(readFileSync(lockFile, 'utf8')).toBe(`${process.pid}\n`);
		expect(readLockFileHolder(lockFile)).toBe(process.pid);
		const second = beginLockFileAttempt(lockFile);
		expect(second.tryTake()).toBe(false);
		second.close();
		attempt.close();
		expect(lockFiles()).toEqual(['the.lock']);
	});

	it('removes a stale lock only while the caller still calls it stale, and frees the takeover lock', () => {
		writeFileSync(lockFile, `${deadPid}\n`);
		const attempt = beginLockFileAttempt(lockFile);
		expect(attempt.removeStale(no, no)).toBe(true);
		expect(readLockFileHolder(lockFile)).toBe(deadPid);
		expect(attempt.removeStale(() => readLockFileHolder(lockFile) === deadPid, no)).toBe(true);
		expect(readLockFileHolder(lockFile)).toBe('gone');
		expect(attempt.tryTake()).toBe(true);
		attempt.close();
		expect(lockFiles()).toEqual(['the.lock']);
	});

	it('leaves a stale lock to the process holding the takeover lock, unless that one is abandoned', () => {
		writeFileSync(lockFile, `${deadPid}\n`);
		writeFileSync(`${lockFile}.busy`, `${process.ppid}\n`);
		linkSync(`${lockFile}.busy`, `${lockFile}.takeover`);
		const attempt = beginLockFileAttempt(lockFile);
		expect(attempt.removeStale(yes, no)).toBe(false);
		expect(readLockFileHolder(lockFile)).toBe(deadPid);
		expect(readLockFileHolder(`${lockFile}.takeover`)).toBe(process.ppid);
		// Called abandoned: cleared, and the next try takes the stale lock over.
		expect(attempt.removeStale(yes, yes)).toBe(false);
		expect(readLockFileHolder(`${lockFile}.takeover`)).toBe('gone');
		expect(attempt.removeStale(yes, no)).toBe(true);
		expect(readLockFileHolder(lockFile)).toBe('gone');
		attempt.close();
	});

	it('throws the file system error when its temp file cannot be created', () => {
		expect(() => beginLockFileAttempt(join(temp.home, 'missing', 'the.lock'))).toThrow(/ENOENT/);
	});
});

describe('readLockFileHolder and isLockFileOlderThan', () => {
	it('name a pid, an unreadable lock (empty, torn, not a pid) or none, and its age', () => {
		expect(readLockFileHolder(lockFile)).toBe('gone');
		expect(isLockFileOlderThan(lockFile, 0)).toBe(false);
		for (const text of ['', '123', '12a\n', '0\n', '-5\n']) {
			writeFileSync(lockFile, text);
			expect(readLockFileHolder(lockFile)).toBe('unreadable');
		}
		writeFileSync(lockFile, '4242\n');
		expect(readLockFileHolder(lockFile)).toBe(4242);
		expect(isLockFileOlderThan(lockFile, 30_000)).toBe(false);
		utimesSync(lockFile, aMinuteAgo(), aMinuteAgo());
		expect(isLockFileOlderThan(lockFile, 30_000)).toBe(true);
	});
});

describe('an exclusive lock file across processes', () => {
	it('8 processes taking and releasing it 300 times each: never two holders at once', async () => {
		// Real processes racing on one lock file, through the built module. Each
		// takes a lock over when its holder's pid is not alive. While it holds the
		// lock each creates a marker file exclusively: a second holder finds it there.
		const marker = join(temp.home, 'held-by');
		const script = `
			const { beginLockFileAttempt, readLockFileHolder } = await import(${JSON.stringify(new URL('../../dist/process/exclusiveLockFile.js', import.meta.url).href)});
			const { openSync, closeSync, rmSync } = await import('node:fs');
			const lockFile = ${JSON.stringify(lockFile)};
			const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
			let held = 0, overlaps = 0;
			for (let i = 0; i < 300; i++) {
				const attempt = beginLockFileAttempt(lockFile);
				let taken = false;
				for (let j = 0; j < 100 && !taken; j++) {
					taken = attempt.tryTake();
					if (taken) break;
					const holder = readLockFileHolder(lockFile);
					if (typeof holder === 'number' && !alive(holder)) {
						attempt.removeStale(() => readLockFileHolder(lockFile) === holder, () => false);
					}
				}
				attempt.close();
				if (!taken) continue;
				held++;
				try { closeSync(openSync(${JSON.stringify(marker)}, 'wx')); } catch { overlaps++; continue; }
				rmSync(${JSON.stringify(marker)});
				if (readLockFileHolder(lockFile) === process.pid) rmSync(lockFile);
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
