// Bundles the CLI. Start-up is part of the product: one bundle loads far
// faster than hundreds of small modules (drizzle-orm and zod alone cost
// ~130 ms unbundled). The entry (`dist/bin.js`: commander and the command
// tree) is one bundle; each command implementation is a separate bundle,
// loaded by its `lazyAction(run, () => import('./x.js'), 'x')` only when that
// command runs. Separate bundles rather than esbuild's code splitting:
// splitting groups a package's modules into shared chunks, so Zod would load
// even for commands that never validate with it. The one exception is the
// daemon (see below).
import { cpSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { replaceDir } from '../../scripts/replaceDir.mjs';

const SRC = resolve('src');
const REGISTER_FILES = new Set(
	readdirSync(join(SRC, 'commands')).map((group) => join(SRC, 'commands', group, 'register.ts')),
);

/**
 * Every command implementation a register.ts imports lazily (`import('./x.js')`),
 * found by esbuild itself while it bundles the entry: the import stays in
 * dist/bin.js, pointing at the implementation's own bundle, instead of pulling
 * the implementation (and its packages) into the entry.
 */
const commandEntries = new Set();
const lazyCommands = {
	name: 'lazy-commands',
	setup(bundler) {
		bundler.onResolve({ filter: /^\.\.?\// }, (args) => {
			if (args.kind !== 'dynamic-import' || !REGISTER_FILES.has(args.importer)) return undefined;
			const entry = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
			if (!statSync(entry, { throwIfNoEntry: false })?.isFile()) {
				return {
					errors: [{ text: `${args.path} is not a command module (${entry} does not exist)` }],
				};
			}
			commandEntries.add(relative('.', entry));
			// dist/bin.js imports dist/<its path under src>.js at run time.
			return { path: `./${relative(SRC, entry).replace(/\.ts$/, '.js')}`, external: true };
		});
	},
};

/** Options every bundle shares. */
const common = {
	outbase: 'src',
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20.19',
	sourcemap: 'linked',
	// better-sqlite3's JavaScript is bundled (loading it as separate CommonJS
	// files costs ~10 ms per command); its compiled addon is not JavaScript and
	// is loaded by path (see packages/db/src/connection/nativeBinding.ts).
	// @napi-rs/keyring picks its platform addon at run time, so it stays external.
	// @anthropic-ai/sandbox-runtime is bundled (into sandboxHost.js only): a
	// sandboxed agent's start pays its import, ~150 ms as separate files and
	// ~70 ms bundled. Its seccomp helper is copied beside the bundle below.
	external: ['@napi-rs/keyring'],
	// Bundled CommonJS (commander, better-sqlite3's loader) calls require().
	banner: {
		js: "import { createRequire as __agentspaceCreateRequire } from 'node:module';\nconst require = __agentspaceCreateRequire(import.meta.url);",
	},
	logLevel: 'warning',
};

// The daemon is built on its own, with code splitting, for one reason: the
// admin UI (Hono and the pages, ~6 MB of RSS) is imported only when
// `agentspace ui` first asks for it, and splitting makes that import a chunk
// of its own that shares the daemon's modules (one database layer, one Zod)
// instead of carrying copies of them.
const DAEMON_ENTRY = join('src', 'commands', 'daemon', 'daemonRun.ts');

// Built beside dist/ and swapped in whole at the end (scripts/replaceDir.mjs):
// the CLI's tests run the built binary, and one running during a rebuild must
// find the old complete build or the new one, not a deleted or half-written dist/.
await replaceDir('dist', async (out) => {
	await build({
		...common,
		outdir: out,
		entryPoints: ['src/bin.ts', 'src/sandboxHost.ts', 'src/gitGuardCheck.ts'],
		plugins: [lazyCommands],
	});
	if (commandEntries.size === 0)
		throw new Error('no lazily imported command found in any register.ts');
	await build({
		...common,
		outdir: out,
		entryPoints: [...commandEntries].filter((entry) => entry !== DAEMON_ENTRY),
	});
	await build({
		...common,
		outdir: out,
		entryPoints: [DAEMON_ENTRY],
		splitting: true,
		chunkNames: 'chunks/[name]-[hash]',
	});

	// The sandbox library looks for its vendored files beside the module that
	// loads it (dist/ once bundled): the static seccomp helper (apply-seccomp, per
	// architecture) and the JVM proxy agent. A file it cannot find there it looks
	// for with `npm root -g`, which costs every sandboxed start ~150 ms.
	const sandboxRuntime = dirname(
		createRequire(import.meta.url).resolve('@anthropic-ai/sandbox-runtime/package.json'),
	);
	for (const vendored of ['seccomp', 'java-proxy-agent']) {
		cpSync(join(sandboxRuntime, 'vendor', vendored), join(out, 'vendor', vendored), {
			recursive: true,
			filter: (source) => !source.endsWith('.ts'),
		});
	}
});
