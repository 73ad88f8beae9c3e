// Bundles the CLI into a few ESM files. Start-up is part of the product:
// loading one bundle is far faster than resolving hundreds of small modules
// (drizzle-orm and zod alone are ~130 ms unbundled), and code splitting keeps
// each command's implementation in its own chunk, loaded only when it runs.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
await build({
	entryPoints: ['src/bin.ts'],
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20.19',
	sourcemap: 'linked',
	chunkNames: 'chunks/[name]-[hash]',
	// Native addons cannot be bundled; they resolve from this package's dependencies.
	external: ['better-sqlite3', '@napi-rs/keyring'],
	// Bundled CommonJS (commander) calls require() for Node built-ins.
	banner: {
		js: "import { createRequire as __agentspaceCreateRequire } from 'node:module';\nconst require = __agentspaceCreateRequire(import.meta.url);",
	},
	logLevel: 'warning',
});
