import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from '@agentspace/testing';
import { describe, expect, it } from 'vitest';

// The README's first Quickstart command ends with this demo: it must keep working.
const DEMO = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));

describe('scripts/demo.mjs (the Quickstart demo)', () => {
	it('takes examples/hello-agent through install, build, enable, run, logs and stop, and cleans up', () => {
		const scratch = mkdtempSync(join(tmpdir(), 'agentspace-demo-test-'));
		try {
			const result = runNode(DEMO, [], { env: { TMPDIR: scratch } });
			expect(result.stderr).toMatch(/==> done/);
			expect(result.status).toBe(0);
			for (const step of [
				'install',
				'build hello-agent --yes',
				'enable hello-agent',
				'run hello-agent',
				'stop hello-agent',
			]) {
				expect(result.stdout).toContain(`$ agentspace agents ${step}`);
			}
			expect(result.stdout).toMatch(/hello #2/);
			expect(result.stdout).toMatch(/Stopped hello-agent \(run run_\S+\): exit code 0/);
			expect(result.stdout).toMatch(/audit log intact/);
			// The throw-away home and the example's copy are gone; no daemon is left.
			// (Node 24 keeps its compile cache in TMPDIR: not the demo's.)
			expect(readdirSync(scratch).filter((name) => name !== 'node-compile-cache')).toEqual([]);
		} finally {
			rmSync(scratch, { recursive: true, force: true });
		}
	}, 60_000);
});
