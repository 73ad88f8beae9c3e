import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The daemon's idle memory is part of the product (the launcher's target is
// ≤ 80 MB with 20 idle MCP agents). Its bundle is split (build.mjs): what
// dist/commands/daemon/daemonRun.js imports statically loads when the daemon
// starts; a dynamic import loads on first use. The MCP SDK and Ajv (the
// tools service's heavy half, toolsRuntime.ts, ~8 MB of RSS) must be in the
// second kind only: once, importing one constant from @agentspace/tools
// brought both into every daemon's start (74 → 66 MB idle without them).
const DAEMON = fileURLToPath(
	new URL('../../../dist/commands/daemon/daemonRun.js', import.meta.url),
);

// esbuild's names: the CommonJS wrapper of Ajv's entry, and the SDK's paths in its comments.
const HEAVY = /\brequire_ajv\b|@modelcontextprotocol[/+]sdk/;

/** The static imports of a bundled module (`import … from "./x.js"`, `import "./x.js"`), resolved. */
function staticImports(file: string, source: string): string[] {
	return [...source.matchAll(/^(?:import|export)\s[^;]*?["'](\.\.?\/[^"']+)["'];?$/gms)].map(
		(match) => resolve(dirname(file), match[1] as string),
	);
}

/** Every module the daemon loads when it starts: its bundle and what it imports statically, transitively. */
function loadedAtStart(): Map<string, string> {
	const seen = new Map<string, string>();
	const pending = [DAEMON];
	for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
		if (seen.has(file)) continue;
		const source = readFileSync(file, 'utf8');
		seen.set(file, source);
		pending.push(...staticImports(file, source));
	}
	return seen;
}

describe('the daemon bundle (dist/commands/daemon/daemonRun.js)', () => {
	it('loads neither the MCP SDK nor Ajv at start, only through the tools runtime it imports on first use', () => {
		const atStart = loadedAtStart();
		expect(atStart.size).toBeGreaterThan(1);
		for (const [file, source] of atStart) expect(HEAVY.test(source), file).toBe(false);

		const daemon = atStart.get(DAEMON) as string;
		const lazy = /import\("(\.\.\/\.\.\/chunks\/toolsRuntime-[\w-]+\.js)"\)/.exec(daemon)?.[1];
		expect(lazy).toBeDefined();
		const runtime = resolve(dirname(DAEMON), lazy as string);
		const runtimeSources = [runtime, ...staticImports(runtime, readFileSync(runtime, 'utf8'))].map(
			(file) => readFileSync(join(file), 'utf8'),
		);
		// The check can fail: the runtime does carry them.
		expect(runtimeSources.some((source) => /\brequire_ajv\b/.test(source))).toBe(true);
		expect(runtimeSources.some((source) => /@modelcontextprotocol[/+]sdk/.test(source))).toBe(true);
	});
});
