import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every sandboxed start loads this bundle (the planner, and the host of a
// network-approved run), so what it carries is paid on each start. It needs
// the sandbox library and the launch's checks, never zod v4 or the event
// catalogue: once, importing the permission rule from @agentspace/events'
// root brought both (1.17 → 1.94 MB).
const BUNDLE = fileURLToPath(new URL('../dist/sandboxHost.js', import.meta.url));

describe('the sandbox host bundle (dist/sandboxHost.js)', () => {
	const source = readFileSync(BUNDLE, 'utf8');

	it('carries no zod v4 and no event catalogue', () => {
		// '$ZodType' names zod v4's core classes (the sandbox library's own zod is v3).
		expect(source.includes('$ZodType')).toBe(false);
		// Event types appear in the bundle only with the catalogue that defines them.
		expect(source.includes('agent_discovered')).toBe(false);
		expect(source.includes('agent_run_started')).toBe(false);
	});

	it('stays under 1.5 MB (1.19 MB with the sandbox library; 1.94 MB with zod v4 in it)', () => {
		expect(statSync(BUNDLE).size).toBeLessThan(1.5 * 1024 * 1024);
	});
});
