// Tests of the import check of `npm run check:packages`
// (scripts/packageImports.mjs), on real files in a temporary package folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { packageOfSpecifier, undeclaredImports } from './packageImports.mjs';

let dir;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'agentspace-package-imports-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the package: package.json from `manifest`, then `files` (path → text); returns the paths. */
function writePackage(manifest, files) {
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@x/lib', ...manifest }));
	for (const [file, text] of Object.entries(files)) {
		mkdirSync(join(dir, dirname(file)), { recursive: true });
		writeFileSync(join(dir, file), text);
	}
	return ['package.json', ...Object.keys(files)];
}

test("a packed subpath importing a dev dependency at run time and in its types is reported (today's @agentspace/agents/testing)", () => {
	const packed = writePackage(
		{
			dependencies: { '@x/db': 'workspace:^' },
			devDependencies: { '@x/testing': 'workspace:*', vitest: '4.1.12' },
		},
		{
			'dist/testing/scenario.js': [
				"import { join } from 'node:path';",
				"import { openDb } from '@x/db';",
				"import { createTempHome } from '@x/testing';",
			].join('\n'),
			'dist/testing/scenario.d.ts': "import { type TempHome } from '@x/testing';\n",
		},
	);
	assert.deepEqual(undeclaredImports(dir, packed), [
		{ file: 'dist/testing/scenario.d.ts', specifier: '@x/testing', package: '@x/testing' },
		{ file: 'dist/testing/scenario.js', specifier: '@x/testing', package: '@x/testing' },
	]);
});

test('builtins, the package itself and its dependencies, peer and optional dependencies (and their subpaths) pass', () => {
	const packed = writePackage(
		{
			dependencies: { zod: '4.6.7' },
			peerDependencies: { '@x/testing': '^0.1.0' },
			peerDependenciesMeta: { '@x/testing': { optional: true } },
			optionalDependencies: { 'fs-native': '1.0.0' },
		},
		{
			'dist/index.js': [
				"import { readFileSync } from 'node:fs';",
				"import { readFile } from 'fs/promises';",
				"import { z } from 'zod/v4';",
				"export * from '@x/lib/testing';",
				"export { tempHome } from '@x/testing';",
				"const native = await import('fs-native');",
				"import './local.js';",
				"import '#internal';",
				"import data from 'data:text/javascript,export default 1';",
			].join('\n'),
			'dist/index.d.ts': "export type Home = import('@x/testing').TempHome;\n",
			// A script (no import or export) declaring a module declares it, it does not import it.
			'dist/shims.d.ts':
				"declare module 'untyped-lib' { const value: number; export default value; }\n",
		},
	);
	assert.deepEqual(undeclaredImports(dir, packed), []);
});

test('require() and import() count; a specifier in a string or a comment does not', () => {
	const packed = writePackage(
		{},
		{
			'dist/bin.cjs': [
				"const a = require('left-pad');",
				"const b = import('chalk');",
				'// import x from "in-a-comment";',
				'const s = "import y from \'in-a-string\'";',
				"const t = `require('in-a-template')`;",
			].join('\n'),
		},
	);
	assert.deepEqual(
		undeclaredImports(dir, packed).map(({ specifier }) => specifier),
		['left-pad', 'chalk'],
	);
});

test('a devDependency named only in type positions of a .d.ts is reported too (a user typecheck cannot resolve it)', () => {
	const packed = writePackage(
		{ devDependencies: { vitest: '4.1.12' } },
		{
			'dist/spec.d.ts':
				"import type { TestContext } from 'vitest';\nexport type C = TestContext;\n",
		},
	);
	assert.deepEqual(undeclaredImports(dir, packed), [
		{ file: 'dist/spec.d.ts', specifier: 'vitest', package: 'vitest' },
	]);
});

test('packed .ts sources, maps and files that are not packed are not read', () => {
	const packed = writePackage(
		{},
		{
			'src/testing/arbitraries.ts': "import fc from 'fast-check';\n",
			'dist/index.js.map': '{"sources":["import x from \'nope\'"]}',
		},
	);
	writeFileSync(join(dir, 'unpacked.js'), "import 'left-pad';\n");
	assert.deepEqual(undeclaredImports(dir, packed), []);
});

test('packageOfSpecifier: the package a bare specifier names, undefined when it is not bare', () => {
	const cases = [
		['zod', 'zod'],
		['zod/v4', 'zod'],
		['@agentspace/agents', '@agentspace/agents'],
		['@agentspace/agents/testing', '@agentspace/agents'],
		['./x.js', undefined],
		['../x.js', undefined],
		['/abs/x.js', undefined],
		['#internal', undefined],
		['node:fs', undefined],
		['file:///x.js', undefined],
	];
	for (const [specifier, expected] of cases)
		assert.equal(packageOfSpecifier(specifier), expected, specifier);
});
