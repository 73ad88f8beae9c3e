// The mount points bwrap leaves on the host, removed once a run has ended —
// only while they are still what bwrap made, where it made them.
import { existsSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdMountPoints } from './mountPoints.js';

let temp: TempHome;
let data: string;
let outside: string;

beforeEach(() => {
	temp = createTempHome('mount-points');
	data = join(temp.home, 'data');
	outside = join(temp.home, 'outside');
	mkdirSync(data, { recursive: true });
	mkdirSync(outside, { recursive: true });
});
afterEach(() => temp.cleanup());

describe('holdMountPoints', () => {
	it('removes the empty files and directories bwrap made once the last run using them ends', () => {
		const file = join(data, '.bashrc');
		const dir = join(data, '.git');
		const inner = join(dir, 'hooks');
		const releaseA = holdMountPoints([file, dir, inner], []);
		const releaseB = holdMountPoints([file], []);
		// What bwrap makes when the sandbox starts.
		mkdirSync(dir);
		writeFileSync(inner, '');
		writeFileSync(file, '');
		releaseA();
		expect(existsSync(inner)).toBe(false);
		expect(existsSync(dir)).toBe(false);
		// Still used by B.
		expect(existsSync(file)).toBe(true);
		releaseB();
		expect(existsSync(file)).toBe(false);
	});

	it('leaves what has content, and removes nothing through a symlink swapped in during the run', () => {
		const dir = join(data, '.git');
		const inner = join(dir, 'hooks');
		const leaf = join(data, '.profile');
		const kept = join(data, '.gitconfig');
		const release = holdMountPoints([dir, inner, leaf, kept], []);
		mkdirSync(dir);
		writeFileSync(inner, '');
		writeFileSync(kept, 'the agent wrote this');
		// Another run of the agent, which may write its data directory, moves
		// `.git` away and puts a symlink to a directory of the user's there; and
		// a symlink to the user's empty directory in place of `.profile`.
		renameSync(dir, join(data, 'moved'));
		writeFileSync(join(outside, 'hooks'), '');
		mkdirSync(join(outside, 'empty'));
		symlinkSync(outside, dir);
		symlinkSync(join(outside, 'empty'), leaf);
		release();
		expect(existsSync(join(outside, 'hooks'))).toBe(true);
		expect(existsSync(join(outside, 'empty'))).toBe(true);
		expect(existsSync(kept)).toBe(true);
	});
});
