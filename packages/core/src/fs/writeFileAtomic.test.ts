import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './writeFileAtomic.js';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'agentspace-test-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
	it('replaces a file whole, mode 0600 by default', () => {
		const file = join(dir, 'f');
		expect(writeFileAtomic(file, 'one')).toBe(true);
		expect(writeFileAtomic(file, 'two')).toBe(true);
		expect(readFileSync(file, 'utf8')).toBe('two');
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});

	it('exclusive: creates the file once and never replaces it, leaving no temp file', () => {
		const file = join(dir, 'token');
		expect(writeFileAtomic(file, 'first', { exclusive: true })).toBe(true);
		expect(writeFileAtomic(file, 'second', { exclusive: true })).toBe(false);
		expect(readFileSync(file, 'utf8')).toBe('first');
		expect(readdirSync(dir)).toEqual(['token']);
	});
});
