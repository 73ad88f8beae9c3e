#!/usr/bin/env node
// Start-up benchmark: how much slower is a read-only command than starting
// Node itself? Both are measured in the same run, interleaved, so machine noise
// hits both alike; the result is a ratio of medians, never an absolute time.
//
//   node bench/startup.mjs [--runs N] [--json]
//
// Target: `agentspace audit list --json` within 3× of `node -e ''`. Exits 1 when
// the ratio is over the target. `events count` is reported too, without a
// target: the events commands load the event catalogue (Zod), the others must not.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET_RATIO = 3;
const args = process.argv.slice(2);
const runsIndex = args.indexOf('--runs');
const runs = runsIndex === -1 ? 21 : Number(args[runsIndex + 1]);
const json = args.includes('--json');
const bin = fileURLToPath(new URL('../bin/agentspace.js', import.meta.url));

const home = mkdtempSync(join(tmpdir(), 'agentspace-bench-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, AGENTSPACE_HOME: home };

function time(argv) {
	const start = process.hrtime.bigint();
	const result = spawnSync(process.execPath, argv, {
		env,
		stdio: ['ignore', 'ignore', 'pipe'],
		encoding: 'utf8',
	});
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	if (result.status !== 0)
		throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
	return ms;
}

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};

try {
	// A realistic home: a migrated database holding some audit entries.
	for (const mode of ['full-control', 'limited-control', 'full-control', 'limited-control']) {
		time([bin, 'config', 'set', 'securityMode', mode]);
	}
	const cases = {
		baseline: ['-e', ''],
		auditList: [bin, 'audit', 'list', '--json'],
		help: [bin, '--help'],
		eventsCount: [bin, 'events', 'count', '--json'],
	};
	const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
	for (const argv of Object.values(cases)) time(argv); // warm the file cache
	for (let i = 0; i < runs; i++) {
		for (const [name, argv] of Object.entries(cases)) samples[name].push(time(argv));
	}
	const baseline = median(samples.baseline);
	const result = {
		runs,
		baselineMs: Number(baseline.toFixed(1)),
		auditListMs: Number(median(samples.auditList).toFixed(1)),
		helpMs: Number(median(samples.help).toFixed(1)),
		eventsCountMs: Number(median(samples.eventsCount).toFixed(1)),
		auditListRatio: Number((median(samples.auditList) / baseline).toFixed(2)),
		helpRatio: Number((median(samples.help) / baseline).toFixed(2)),
		eventsCountRatio: Number((median(samples.eventsCount) / baseline).toFixed(2)),
		targetRatio: TARGET_RATIO,
	};
	const ok = result.auditListRatio <= TARGET_RATIO;
	if (json) process.stdout.write(`${JSON.stringify({ ...result, ok })}\n`);
	else {
		process.stdout.write(
			[
				`start-up (median of ${runs}, node ${process.versions.node})`,
				`  node -e ''                   ${result.baselineMs} ms   (baseline)`,
				`  agentspace --help            ${result.helpMs} ms   ${result.helpRatio}×`,
				`  agentspace audit list --json ${result.auditListMs} ms   ${result.auditListRatio}×  (target ≤ ${TARGET_RATIO}×) ${ok ? 'OK' : 'OVER TARGET'}`,
				`  agentspace events count      ${result.eventsCountMs} ms   ${result.eventsCountRatio}×  (reads the event log; no target)`,
				'',
			].join('\n'),
		);
	}
	process.exitCode = ok ? 0 : 1;
} finally {
	rmSync(home, { recursive: true, force: true });
}
