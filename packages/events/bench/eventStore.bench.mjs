#!/usr/bin/env node
// Event store benchmark on real database files (WAL, synchronous=NORMAL), run
// against the built package (`pnpm run build`, then `pnpm bench`):
//
//   node bench/eventStore.bench.mjs                            full sizes (1M-event store, 8 × 2,000 concurrent appends)
//   AGENTSPACE_BENCH_QUICK=1 node bench/eventStore.bench.mjs   scaled down (100k-event store, 8 × 500)
//
// Append targets are ratios to a floor measured in the same run — a bare
// prepared INSERT into an identical `events` table in its own file — with floor
// and store samples interleaved, so the noise of a shared machine hits both
// alike. Prints a table, writes bench/results.json, exits 1 if a target fails.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureAppends } from './lib/appends.mjs';
import { measureConcurrency } from './lib/concurrentAppends.mjs';
import { measureLargeStore } from './lib/largeStore.mjs';
import { formatReport } from './lib/report.mjs';
import { round } from './lib/stats.mjs';

const QUICK = process.env.AGENTSPACE_BENCH_QUICK === '1';
const CONFIG = {
	quick: QUICK,
	single: { warmup: 500, samples: QUICK ? 1000 : 3000, sorties: 100 },
	batch: { size: 100, warmup: 20, samples: QUICK ? 100 : 300 },
	large: { events: QUICK ? 100_000 : 1_000_000, batchSize: 1000 },
	query: { warmup: 300, samples: QUICK ? 1000 : 3000, limit: 100 },
	concurrent: { workers: 8, events: QUICK ? 500 : 2000, sharedStreams: 4, sharedEvery: 4 },
};
const TARGETS = {
	singleP50Ratio: 4,
	singleP99Ms: 0.5,
	batchRateShare: 0.6,
	queryP99Ms: 2,
	replayEventsPerSecond: 100_000,
};

function judge({ appends, large, concurrency }) {
	const { single, batch } = appends;
	return [
		{
			name: `1a single append p50 ≤ ${TARGETS.singleP50Ratio}× floor p50`,
			measured: `${single.store.p50Ms} ms vs floor ${single.floor.p50Ms} ms = ${single.p50Ratio}×`,
			pass: single.p50Ratio <= TARGETS.singleP50Ratio,
		},
		{
			name: `1b single append p99 ≤ ${TARGETS.singleP99Ms} ms`,
			measured: `${single.store.p99Ms} ms (floor p99 ${single.floor.p99Ms} ms)`,
			pass: single.store.p99Ms <= TARGETS.singleP99Ms,
		},
		{
			name: `2  batch append ≥ ${TARGETS.batchRateShare * 100}% of floor rows/s`,
			measured: `${batch.storeEventsPerSecond} vs ${batch.floorRowsPerSecond}/s = ${round(batch.share * 100, 1)}% (means: ${round(batch.shareMean * 100, 1)}%)`,
			pass: batch.share >= TARGETS.batchRateShare,
		},
		{
			name: `3  query p99 ≤ ${TARGETS.queryP99Ms} ms (${large.build.events} events)`,
			measured: `p50 ${large.query.p50Ms} ms, p99 ${large.query.p99Ms} ms`,
			pass: large.query.p99Ms <= TARGETS.queryP99Ms,
		},
		{
			name: `4  replay ≥ ${TARGETS.replayEventsPerSecond} events/s`,
			measured: `${large.replay.eventsPerSecond} events/s (${large.replay.events} in ${large.replay.durationMs} ms)`,
			pass: large.replay.eventsPerSecond >= TARGETS.replayEventsPerSecond,
		},
		{
			name: `5  ${concurrency.workers} processes: no loss/dup/gap/BUSY`,
			measured: `${concurrency.events}/${concurrency.expectedEvents} events, ${concurrency.problemCount} problems, ${concurrency.conflicts} conflicts retried`,
			pass: concurrency.problemCount === 0,
		},
	];
}

async function main() {
	const started = performance.now();
	const dir = mkdtempSync(join(tmpdir(), 'agentspace-bench-events-'));
	const phasesMs = {};
	const phase = async (name, title, run) => {
		process.stdout.write(`${title}…\n`);
		const t0 = performance.now();
		const result = await run();
		phasesMs[name] = Math.round(performance.now() - t0);
		return result;
	};
	try {
		const appends = await phase('appends', 'appends, single and batched, against the floor', () =>
			measureAppends(dir, CONFIG, TARGETS.singleP99Ms),
		);
		const large = await phase(
			'largeStore',
			`${CONFIG.large.events} events: build, query, replay`,
			() => measureLargeStore(dir, CONFIG),
		);
		rmSync(join(dir, 'large.db'), { force: true });
		const concurrency = await phase(
			'concurrency',
			`${CONFIG.concurrent.workers} processes appending at once`,
			() => measureConcurrency(dir, CONFIG.concurrent),
		);
		const results = {
			date: new Date().toISOString(),
			node: process.versions.node,
			cpus: cpus().length,
			config: CONFIG,
			targets: TARGETS,
			appends,
			large,
			concurrency,
		};
		results.verdicts = judge(results);
		results.phasesMs = phasesMs;
		results.totalMs = Math.round(performance.now() - started);
		const file = fileURLToPath(new URL('./results.json', import.meta.url));
		writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
		process.stdout.write(formatReport(results));
		process.stdout.write(`results: ${file}\n`);
		process.exitCode = results.verdicts.every((v) => v.pass) ? 0 : 1;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

await main();
