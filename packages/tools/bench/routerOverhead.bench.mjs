#!/usr/bin/env node
// Router overhead benchmark, run against the built package (`pnpm run build`,
// then `pnpm bench`, or on its own):
//
//   node bench/routerOverhead.bench.mjs [--json]
//   AGENTSPACE_BENCH_QUICK=1 node bench/routerOverhead.bench.mjs
//
// The fixture MCP agent's `echo` (a no-op tool) is called, in the same run:
//   direct  — with the SDK's Client over stdio to one fixture process, as any
//             MCP client would;
//   router  — through ToolRouter.callTool to another process of the same
//             script, connected by connectMcpAgent (BoundedStdioTransport),
//             looked up in the registry of a real SQLite file (WAL) and every
//             call recorded in its call log (the router's ToolCallWriter).
// 1. Latency, one call at a time, the two interleaved in blocks: p50 and p99
//    of each; the added latency is router − direct at the same percentile.
//    Targets: p50 ≤ 0.3 ms, p99 ≤ 2 ms added.
// 2. Throughput with 16 calls in flight: calls/s of each (median of 3 passes,
//    interleaved). Target: ≥ 5,000 calls/s through the router.
// Every call the router made must be in the call log, or the bench is broken.
//
// Informational, not gating: a missed target prints MISS and still exits 0;
// only a broken benchmark exits 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDb, openDb } from '@agentspace/db';
import { writeMcpFixtureAgent } from '@agentspace/testing';
import {
	compareCalls,
	directClient,
	latencyRow,
	median,
	recordedCalls,
	recordRunningAgent,
	round,
	routedFixture,
	verdict,
} from './callTiming.mjs';

const QUICK = process.env.AGENTSPACE_BENCH_QUICK === '1';
const JSON_OUT = process.argv.includes('--json');
const LATENCY_CALLS = QUICK ? 1000 : 5000; // per path
const BLOCK = 250; // calls per path before switching to the other
const WARMUP = 500;
const IN_FLIGHT = 16;
const THROUGHPUT_CALLS = QUICK ? 4000 : 20_000; // per pass
const PASSES = 3;
const TARGET_P50_MS = 0.3;
const TARGET_P99_MS = 2;
const TARGET_CALLS_PER_S = 5000;

const log = (line) => {
	if (!JSON_OUT) process.stdout.write(`${line}\n`);
};

const root = mkdtempSync(join(tmpdir(), 'agentspace-bench-router-'));
const children = [];
let db;
let broken;
let report;

try {
	const script = writeMcpFixtureAgent(root);
	db = openDb({ path: join(root, 'agentspace.db') });
	recordRunningAgent(db);

	// direct: the SDK's own client and stdio transport, spawning the script.
	const client = await directClient(script);
	const direct = (i) => client.callTool({ name: 'echo', arguments: { text: `hello ${i}` } });

	// router: a second process of the same script, as the supervisor hands it to the daemon.
	const { session, router } = await routedFixture(db, script, children);
	const caller = { type: 'mcp-client', id: 'bench', detail: { version: '1.0.0' } };
	let routed = 0;
	const viaRouter = async (i) => {
		const result = await router.callTool(caller, 'fx/echo', { text: `hello ${i}` });
		routed++;
		if (result.isError)
			throw new Error(`echo failed through the router: ${JSON.stringify(result)}`);
	};

	const {
		directLatency,
		measuredLatency: routerLatency,
		directRates,
		measuredRates: routerRates,
	} = await compareCalls(direct, viaRouter, {
		warmup: WARMUP,
		latencyCalls: LATENCY_CALLS,
		block: BLOCK,
		inFlight: IN_FLIGHT,
		throughputCalls: THROUGHPUT_CALLS,
		passes: PASSES,
		log,
	});
	const addedP50 = round(routerLatency.p50Ms - directLatency.p50Ms, 4);
	const addedP99 = round(routerLatency.p99Ms - directLatency.p99Ms, 4);
	const directRate = Math.round(median(directRates));
	const routerRate = Math.round(median(routerRates));

	// Every routed call is on disk once callTool has answered.
	const recorded = recordedCalls(db);
	if (recorded !== routed)
		throw new Error(`the router made ${routed} calls but the call log holds ${recorded}`);

	await session.close();
	await client.close();
	report = {
		tool: 'fixture echo',
		latency: {
			calls: LATENCY_CALLS,
			direct: directLatency,
			router: routerLatency,
			addedP50Ms: addedP50,
			addedP99Ms: addedP99,
			targetAddedP50Ms: TARGET_P50_MS,
			targetAddedP99Ms: TARGET_P99_MS,
		},
		throughput: {
			inFlight: IN_FLIGHT,
			callsPerPass: THROUGHPUT_CALLS,
			directCallsPerS: directRate,
			routerCallsPerS: routerRate,
			ratio: round(routerRate / directRate, 2),
			passes: { direct: directRates.map(Math.round), router: routerRates.map(Math.round) },
			targetCallsPerS: TARGET_CALLS_PER_S,
		},
		recordedCalls: recorded,
	};
} catch (error) {
	broken = error;
} finally {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
	if (db !== undefined) closeDb(db);
	rmSync(root, { recursive: true, force: true });
}

if (broken !== undefined) {
	process.stderr.write(`router overhead benchmark broke: ${broken.stack ?? broken}\n`);
	process.exitCode = 1;
} else if (JSON_OUT) {
	process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
	const { latency: l, throughput: t } = report;
	log('');
	log(`router overhead: ${report.tool}, every routed call recorded (${report.recordedCalls} rows)`);
	log(latencyRow('direct', l.direct));
	log(latencyRow('router', l.router));
	log(
		`  → added p50 ${l.addedP50Ms} ms (target ≤ ${TARGET_P50_MS} ms): ${verdict(l.addedP50Ms <= TARGET_P50_MS)}`,
	);
	log(
		`  → added p99 ${l.addedP99Ms} ms (target ≤ ${TARGET_P99_MS} ms): ${verdict(l.addedP99Ms <= TARGET_P99_MS)}`,
	);
	log(
		`  ${t.inFlight} in flight: direct ${t.directCallsPerS} calls/s, router ${t.routerCallsPerS} calls/s (${t.ratio}× direct)`,
	);
	log(
		`  → router ${t.routerCallsPerS} calls/s (target ≥ ${TARGET_CALLS_PER_S}): ${verdict(t.routerCallsPerS >= TARGET_CALLS_PER_S)}`,
	);
}
