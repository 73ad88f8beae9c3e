// Tests of the source-map check of `npm run check:packages`
// (scripts/packageMaps.mjs), on real files in a temporary package folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { unresolvedMapSources } from './packageMaps.mjs';

let dir;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'agentspace-package-maps-'));
	mkdirSync(join(dir, 'dist', 'store'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeMap(file, map) {
	writeFileSync(join(dir, file), JSON.stringify({ version: 3, mappings: '', ...map }));
}

test('a declaration map whose source is not published is reported', () => {
	writeMap('dist/store/append.d.ts.map', { sources: ['../../src/store/append.ts'] });
	assert.deepEqual(
		unresolvedMapSources(dir, [
			'package.json',
			'dist/store/append.d.ts',
			'dist/store/append.d.ts.map',
		]),
		[{ map: 'dist/store/append.d.ts.map', source: 'src/store/append.ts' }],
	);
});

test('a map whose source is published, or embedded, passes', () => {
	writeMap('dist/store/append.d.ts.map', { sources: ['../../src/store/append.ts'] });
	writeMap('dist/store/append.js.map', {
		sources: ['../../../../node_modules/zod/index.js'],
		sourcesContent: ['export {}'],
	});
	assert.deepEqual(
		unresolvedMapSources(dir, [
			'dist/store/append.d.ts.map',
			'dist/store/append.js.map',
			'src/store/append.ts',
		]),
		[],
	);
});

test('sourceRoot is honoured', () => {
	writeMap('dist/index.js.map', { sourceRoot: '../src/', sources: ['index.ts'] });
	assert.deepEqual(unresolvedMapSources(dir, ['dist/index.js.map', 'src/index.ts']), []);
	assert.deepEqual(unresolvedMapSources(dir, ['dist/index.js.map']), [
		{ map: 'dist/index.js.map', source: 'src/index.ts' },
	]);
});

test("a bundled dependency's sources are not this package's to publish", () => {
	writeMap('dist/bin.js.map', {
		sources: ['../../../node_modules/.pnpm/x@1.0.0/node_modules/x/src/x.ts', '../src/bin.ts'],
	});
	assert.deepEqual(unresolvedMapSources(dir, ['dist/bin.js.map']), [
		{ map: 'dist/bin.js.map', source: 'src/bin.ts' },
	]);
});
