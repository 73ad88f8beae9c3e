#!/usr/bin/env node
// `npm run check:packages` (after a build): checks each publishable package
// as a user would receive it, from what `pnpm pack` would put in its tarball.
//
//  - publint --strict: package.json's exports, types, bin and files against
//    the packed files (warnings fail too).
//  - attw on the packed tarball, --profile esm-only (@arethetypeswrong/cli, as
//    openapi-typescript runs it): every entry's types resolve and match its
//    JavaScript, for TypeScript's node16 (from ESM) and bundler resolution.
//    esm-only: the packages are ES modules for Node >= 20.19 and do not claim
//    CommonJS or node10 resolution. Not for the CLI, which has a bin and no
//    entry to import.
//  - every source a packed .js.map or .d.ts.map names is packed too (or
//    embedded in the map): see scripts/packageMaps.mjs.
//  - every package the packed JavaScript and declarations import is a Node
//    builtin or declared in dependencies, peer or optional dependencies (not
//    devDependencies, which a user never gets): see scripts/packageImports.mjs.
//
// Private packages (@agentspace/testing) are never published and are skipped;
// the tests that import them are what checks their entry. Nothing here uses
// the network: both tools read the packed files only.
//
//   node scripts/checkPackages.mjs [package folder…]   (default: packages/*, apps/*)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { undeclaredImports } from './packageImports.mjs';
import { unresolvedMapSources } from './packageMaps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function workspaceDirs() {
	const dirs = [];
	for (const group of ['packages', 'apps']) {
		for (const name of readdirSync(join(root, group)).sort()) {
			const dir = join(root, group, name);
			if (existsSync(join(dir, 'package.json'))) dirs.push(dir);
		}
	}
	return dirs;
}

/** Runs a tool in `dir`; its output is shown only when it fails. */
function run(dir, command, args) {
	const result = spawnSync(command, args, { cwd: dir, encoding: 'utf8' });
	const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
	return { ok: result.status === 0, output };
}

// pnpm, not npm, packs: `pnpm publish` is how the packages are published, and
// only pnpm applies `publishConfig` (agents leaves its ./testing subpath out)
// and writes `workspace:^` dependencies as versions.
function packedFiles(dir) {
	const result = spawnSync('pnpm', ['pack', '--dry-run', '--json'], {
		cwd: dir,
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`pnpm pack --dry-run failed:\n${result.stderr}`);
	return JSON.parse(result.stdout).files.map((file) => file.path);
}

/** Packs `dir` with pnpm into `into`; returns the tarball's path. */
function packTarball(dir, into) {
	const result = spawnSync('pnpm', ['pack', '--json', '--pack-destination', into], {
		cwd: dir,
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`pnpm pack failed:\n${result.stderr}`);
	return JSON.parse(result.stdout).filename;
}

function hasTypedEntry(exports) {
	return JSON.stringify(exports ?? {}).includes('"types"');
}

const dirs =
	process.argv.length > 2 ? process.argv.slice(2).map((d) => join(root, d)) : workspaceDirs();
const failures = [];
for (const dir of dirs) {
	const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
	const where = relative(root, dir);
	if (pkg.private) {
		process.stdout.write(`${pkg.name} (${where}): private, not published — skipped\n`);
		continue;
	}
	let packed;
	const packedOnce = () => {
		packed ??= packedFiles(dir);
		return packed;
	};
	const checks = [['publint', () => run(dir, bin('publint'), ['--strict', '--pack', 'pnpm'])]];
	if (hasTypedEntry(pkg.exports)) {
		checks.push([
			'attw',
			() => {
				const scratch = mkdtempSync(join(tmpdir(), 'agentspace-attw-'));
				try {
					const tarball = packTarball(dir, scratch);
					return run(dir, bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii']);
				} finally {
					rmSync(scratch, { recursive: true, force: true });
				}
			},
		]);
	}
	checks.push([
		'source maps',
		() => {
			const missing = unresolvedMapSources(dir, packedOnce());
			const shown = missing
				.slice(0, 10)
				.map(({ map, source }) => `  ${map} → ${source} (not packed)\n`);
			const more = missing.length > 10 ? [`  … and ${missing.length - 10} more\n`] : [];
			// tsc never deletes an output whose source is gone: such a map is a stale build.
			if (missing.length > 0)
				more.push(
					'  (src/ missing from package.json "files"? or a stale build: delete dist and build again)\n',
				);
			return { ok: missing.length === 0, output: [...shown, ...more].join('') };
		},
	]);
	checks.push([
		'imports',
		() => {
			const undeclared = undeclaredImports(dir, packedOnce());
			const shown = undeclared
				.slice(0, 10)
				.map(({ file, specifier }) => `  ${file} imports '${specifier}'\n`);
			const names = [...new Set(undeclared.map((found) => found.package))].join(', ');
			const more = undeclared.length > 10 ? [`  … and ${undeclared.length - 10} more\n`] : [];
			if (undeclared.length > 0)
				more.push(
					`  (${names}: not in dependencies, peerDependencies or optionalDependencies — a user installing ${pkg.name} does not get it)\n`,
				);
			return { ok: undeclared.length === 0, output: [...shown, ...more].join('') };
		},
	]);
	for (const [name, check] of checks) {
		const { ok, output } = check();
		process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${pkg.name}: ${name}\n`);
		if (!ok) {
			process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
			failures.push(`${pkg.name}: ${name}`);
		}
	}
}
if (failures.length > 0) {
	process.stderr.write(`error[PACKAGE_CHECK]: ${failures.length} failed: ${failures.join(', ')}\n`);
	process.stderr.write('hint: run `npm run build` first; each failure above says what to fix\n');
	process.exit(1);
}
