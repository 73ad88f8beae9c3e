import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LineSplitter } from './lineSplitter.js';
import { RotatingLog } from './rotatingLog.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('logs');
});
afterEach(() => temp.cleanup());

function split(chunks: string[]): { line: string; cut: boolean }[] {
	const lines: { line: string; cut: boolean }[] = [];
	const splitter = new LineSplitter((line, cut) => lines.push({ line, cut }));
	for (const chunk of chunks) splitter.push(chunk);
	splitter.end();
	return lines;
}

describe('LineSplitter', () => {
	it('joins lines across chunks, strips CR, and emits a last line without a newline', () => {
		expect(split(['a', 'b\nc\r\n', '', 'd\n\ne'])).toEqual([
			{ line: 'ab', cut: false },
			{ line: 'c', cut: false },
			{ line: 'd', cut: false },
			{ line: '', cut: false },
			{ line: 'e', cut: false },
		]);
	});

	it('cuts a line over 8 KB, marks it, and drops the rest of it up to the newline', () => {
		const long = 'x'.repeat(20_000);
		const lines = split([long.slice(0, 5000), long.slice(5000), '\nnext\n']);
		expect(lines).toEqual([
			{ line: 'x'.repeat(8192), cut: true },
			{ line: 'next', cut: false },
		]);
	});
});

describe('RotatingLog', () => {
	const files = (dir: string) => readdirSync(dir).sort();
	const total = (dir: string) =>
		files(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);

	it('writes each line with its time and stream, redacted, in a 0600 file', () => {
		const path = join(temp.home, 'logs', 'echo', 'run_1.log');
		const secret = 'sk-live-injected-value-123456';
		const log = new RotatingLog(path, {}, [secret]);
		log.write('stdout', `hello\nmy key is ${secret}\n`);
		log.write('stderr', `token=ghp_${'a1B2c3D4'.repeat(5)}\npartial`);
		log.note('exited with code 0');
		log.close();
		const text = readFileSync(path, 'utf8');
		expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z stdout hello\n/);
		expect(text).toContain('stdout my key is [REDACTED]');
		expect(text).not.toContain(secret);
		expect(text).not.toContain('ghp_');
		expect(text).toMatch(/ system exited with code 0\n/);
		expect(text).toMatch(/ stderr partial\n$/);
		expect(statSync(path).mode & 0o777).toBe(0o600);
	});

	it('stays within (keep + 1) × maxBytes whatever is written, and no file holds the secret', () => {
		const dir = join(temp.home, 'logs', 'noisy');
		const path = join(dir, 'run.log');
		const secret = 'correct-horse-battery-staple';
		const log = new RotatingLog(path, { maxBytes: 64 * 1024, keep: 2 }, [secret]);
		const line = `${'y'.repeat(100)} ${secret}\n`;
		const chunk = line.repeat(500);
		for (let written = 0; written < 5 * 1024 * 1024; written += chunk.length)
			log.write('stdout', chunk);
		log.close();
		expect(files(dir)).toEqual(['run.log', 'run.log.1', 'run.log.2']);
		expect(total(dir)).toBeLessThanOrEqual(3 * 64 * 1024);
		for (const file of files(dir)) {
			expect(statSync(join(dir, file)).size).toBeLessThanOrEqual(64 * 1024);
			expect(readFileSync(join(dir, file), 'utf8')).not.toContain(secret);
		}
		// The newest output is in the current file.
		expect(readFileSync(path, 'utf8').trimEnd().split('\n').at(-1)).toContain('[REDACTED]');
	});

	it('appends to an existing log and counts it towards rotation', () => {
		const path = join(temp.home, 'run.log');
		const first = new RotatingLog(path, { maxBytes: 200, keep: 1 });
		first.write('stdout', 'one\n');
		first.close();
		const second = new RotatingLog(path, { maxBytes: 200, keep: 1 });
		second.write('stdout', `${'z'.repeat(150)}\n`);
		second.close();
		expect(readFileSync(`${path}.1`, 'utf8')).toContain('stdout one');
		expect(readFileSync(path, 'utf8')).toContain('z'.repeat(150));
	});
});

describe('readRunLog', () => {
	it('reads the last lines back through rotated files, and filters by stream', async () => {
		const { readRunLog, runLogPath } = await import('./readRunLog.js');
		const { createInMemoryDb } = await import('@agentspace/db');
		const db = createInMemoryDb();
		const path = runLogPath(temp.home, 'echo', 'run_x');
		const log = new RotatingLog(path, { maxBytes: 4096, keep: 3 });
		for (let i = 1; i <= 200; i++) log.write(i % 10 === 0 ? 'stderr' : 'stdout', `line ${i}\n`);
		log.close();
		const last = readRunLog(db, { home: temp.home, id: 'echo', runId: 'run_x', lines: 120 });
		expect(last.entries).toHaveLength(120);
		expect(last.entries.at(-1)?.text).toBe('line 200');
		expect(last.entries[0]?.text).toBe('line 81');
		const errors = readRunLog(db, {
			home: temp.home,
			id: 'echo',
			runId: 'run_x',
			lines: 3,
			stream: 'stderr',
		});
		expect(errors.entries.map((e) => e.text)).toEqual(['line 180', 'line 190', 'line 200']);
		expect(() => readRunLog(db, { home: temp.home, id: 'echo' })).toThrow(/no runs yet/);
	});

	it('with maxBytes, reads no more than that from the end, back through rotated files, and drops a cut line', async () => {
		const { readRunLog, runLogPath } = await import('./readRunLog.js');
		const { createInMemoryDb } = await import('@agentspace/db');
		const db = createInMemoryDb();
		const path = runLogPath(temp.home, 'echo', 'run_y');
		const log = new RotatingLog(path, { maxBytes: 4096, keep: 3 });
		for (let i = 1; i <= 200; i++) log.write('stdout', `line ${i}\n`);
		log.close();
		const lineBytes = Buffer.byteLength(readFileSync(path, 'utf8').split('\n')[0] ?? '') + 1;
		// Two and a half lines' worth: the last two, whole; the half line before them is dropped.
		const tail = readRunLog(db, {
			home: temp.home,
			id: 'echo',
			runId: 'run_y',
			lines: 100,
			maxBytes: Math.floor(lineBytes * 2.5),
		});
		expect(tail.entries.map((e) => e.text)).toEqual(['line 199', 'line 200']);
		// A budget past the current file reads on into the rotated one, still bounded.
		const current = Buffer.byteLength(readFileSync(path, 'utf8'));
		const more = readRunLog(db, {
			home: temp.home,
			id: 'echo',
			runId: 'run_y',
			lines: 1000,
			maxBytes: current + lineBytes * 3,
		});
		const all = readRunLog(db, { home: temp.home, id: 'echo', runId: 'run_y', lines: 1000 });
		expect(more.entries.length).toBeLessThan(all.entries.length);
		expect(more.entries.length).toBeGreaterThan(current / lineBytes);
		expect(more.entries.at(-1)?.text).toBe('line 200');
		expect(all.entries.slice(-more.entries.length)).toEqual(more.entries);
	});
});
