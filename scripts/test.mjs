#!/usr/bin/env node
// Quickstart step two (`npm test`): every package's tests through turbo, the
// tests of these scripts (node's own runner: they have no dependencies), then
// ONE line when tests that need the OS sandbox were skipped because its tools
// are missing here (outside CI only; see sandboxTestGate in packages/testing),
// naming the missing tools and the command that installs them. It fails when
// either test run fails. With arguments, only turbo runs, with them.
//
//   node scripts/test.mjs [turbo arguments, e.g. --filter=agentspace]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The packages whose test files may skip sandbox tests write their vitest JSON report here.
const REPORTS = ['packages/agents', 'packages/daemon', 'apps/cli'].map((dir) =>
	join(root, dir, '.vitest-report.json'),
);
// Keep in step with SANDBOX_SKIP_LOG in packages/testing/src/sandboxTestGate.ts
// (an AGENTSPACE_* name, so turbo passes it to the test tasks).
const SKIP_LOG_VARIABLE = 'AGENTSPACE_TEST_SANDBOX_SKIPS';

// A report left by an earlier run (or one whose package's tests do not run
// now: a --filter, a turbo cache hit) must not count its skips again.
for (const report of REPORTS) rmSync(report, { force: true });
const scratch = mkdtempSync(join(tmpdir(), 'agentspace-npm-test-'));
const log = join(scratch, 'sandbox-skips.jsonl');
// --continue: one package's failing tests do not stop the others' (CI reports
// every package's results, not only up to the first failure).
const turbo = spawnSync('turbo', ['run', 'test', '--continue', ...process.argv.slice(2)], {
	cwd: root,
	stdio: 'inherit',
	env: { ...process.env, [SKIP_LOG_VARIABLE]: log },
});
// The scripts' own tests (npm start's sandbox-tools step, check:packages' map and import rules, the CLI build's swap of dist/), in a full run only.
const scripts =
	process.argv.length > 2
		? { status: 0 }
		: spawnSync(
				process.execPath,
				[
					'--test',
					'--test-reporter=spec',
					join(root, 'scripts', 'sandboxTools.test.mjs'),
					join(root, 'scripts', 'packageMaps.test.mjs'),
					join(root, 'scripts', 'packageImports.test.mjs'),
					join(root, 'scripts', 'replaceDir.test.mjs'),
				],
				{
					cwd: root,
					stdio: 'inherit',
				},
			);
if (turbo.error) {
	process.stderr.write(
		`error[SETUP]: cannot run turbo: ${turbo.error.message}\nhint: run \`npm start\` first (it installs the dependencies)\n`,
	);
}
try {
	const testing = join(root, 'packages', 'testing', 'dist', 'index.js');
	if (existsSync(log) && existsSync(testing)) {
		const { sandboxSkipSummary } = await import(pathToFileURL(testing).href);
		const summary = sandboxSkipSummary(log, REPORTS);
		if (summary !== undefined) process.stdout.write(`\n${summary}\n`);
	}
} finally {
	rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = turbo.status !== 0 ? (turbo.status ?? 1) : (scripts.status ?? 1);
