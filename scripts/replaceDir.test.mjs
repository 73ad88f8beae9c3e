// Tests of replaceDir (scripts/replaceDir.mjs, the CLI build's swap of
// apps/cli/dist), on real directories in a temporary folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { replaceDir } from './replaceDir.mjs';

let dir;
let dist;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'agentspace-replace-dir-'));
	dist = join(dir, 'dist');
	mkdirSync(join(dist, 'commands'), { recursive: true });
	writeFileSync(join(dist, 'bin.js'), 'old bin');
	writeFileSync(join(dist, 'commands', 'gone.js'), 'old command');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `root`, relative, sorted. */
function files(root) {
	return readdirSync(root, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
		.sort();
}

test('the old output stays complete while the new one is written, then the new one replaces it whole', async () => {
	await replaceDir(dist, (staging) => {
		// The build writes beside dist: dist is still the old, complete output.
		assert.notEqual(staging, dist);
		assert.deepEqual(files(dist), ['bin.js', 'commands/gone.js']);
		assert.equal(readFileSync(join(dist, 'bin.js'), 'utf8'), 'old bin');
		mkdirSync(join(staging, 'commands'), { recursive: true });
		writeFileSync(join(staging, 'bin.js'), 'new bin');
		writeFileSync(join(staging, 'commands', 'new.js'), 'new command');
	});
	// The new output only: nothing of the old one is merged into it.
	assert.deepEqual(files(dist), ['bin.js', 'commands/new.js']);
	assert.equal(readFileSync(join(dist, 'bin.js'), 'utf8'), 'new bin');
	// No staging or set-aside directory is left.
	assert.deepEqual(readdirSync(dir), ['dist']);
});

test('a build that fails leaves the old output as it was and no staging directory', async () => {
	await assert.rejects(
		replaceDir(dist, async (staging) => {
			mkdirSync(staging);
			writeFileSync(join(staging, 'bin.js'), 'half');
			throw new Error('esbuild failed');
		}),
		/esbuild failed/,
	);
	assert.deepEqual(files(dist), ['bin.js', 'commands/gone.js']);
	assert.equal(readFileSync(join(dist, 'bin.js'), 'utf8'), 'old bin');
	assert.deepEqual(readdirSync(dir), ['dist']);
});

test('a first build (no output yet) puts its output in place', async () => {
	rmSync(dist, { recursive: true });
	await replaceDir(dist, (staging) => {
		mkdirSync(staging);
		writeFileSync(join(staging, 'bin.js'), 'new bin');
	});
	assert.deepEqual(files(dist), ['bin.js']);
	assert.deepEqual(readdirSync(dir), ['dist']);
});

test('what a killed build left beside the output is removed; a running build’s staging is not', async () => {
	// A pid that is certainly gone: a process that has exited.
	const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
		encoding: 'utf8',
	}).stdout;
	mkdirSync(join(dir, `.dist-next-${gone}`));
	mkdirSync(join(dir, `.dist-old-${gone}`));
	// This process is alive: as if another build were running now. And another directory's leftovers.
	mkdirSync(join(dir, `.dist-next-${process.ppid}`));
	mkdirSync(join(dir, `.other-next-${gone}`));
	await replaceDir(dist, (staging) => mkdirSync(staging));
	assert.deepEqual(readdirSync(dir).sort(), [
		`.dist-next-${process.ppid}`,
		`.other-next-${gone}`,
		'dist',
	]);
	assert.equal(existsSync(join(dist, 'bin.js')), false);
});
