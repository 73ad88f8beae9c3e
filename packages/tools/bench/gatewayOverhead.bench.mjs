#!/usr/bin/env node
// Gateway overhead benchmark, run against the built package (`pnpm run build`):
//
//   node bench/gatewayOverhead.bench.mjs [--json]
//   AGENTSPACE_BENCH_QUICK=1 node bench/gatewayOverhead.bench.mjs
//
// The fixture MCP agent's `echo` (a no-op tool) is called, in the same run:
//   direct   — with the SDK's Client over stdio to one fixture process;
//   gateway  — with the SDK's Client over a Unix socket to serveGateway
//              (gatewayStreamTransport), which resolves the name in its
//              GatewayCatalog and calls ToolRouter.callTool to another
//              process of the same script (connectMcpAgent), every call
//              recorded in the call log of a real SQLite file.
// This is the gateway's share of `agentspace mcp`'s overhead (the CLI's byte
// relay from stdio to the daemon's socket is the other hop; the daemon's own
// end-to-end bench measures both). Latency one call at a time, interleaved in
// blocks (p50, p99, added = gateway − direct); calls/s with 16 in flight.
// Informational: a miss prints MISS and exits 0; only a broken bench exits 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDb, openDb } from '@agentspace/db';
import { writeMcpFixtureAgent } from '@agentspace/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { GatewayCatalog, gatewayStreamTransport, serveGateway } from '../dist/index.js';
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
const LATENCY_CALLS = QUICK ? 1000 : 5000;
const BLOCK = 250;
const WARMUP = 500;
const IN_FLIGHT = 16;
const THROUGHPUT_CALLS = QUICK ? 4000 : 20_000;
const PASSES = 3;
// The end-to-end targets (two hops); the gateway alone must stay well inside them.
const TARGET_P50_MS = 1;
const TARGET_P99_MS = 3;
const TARGET_CALLS_PER_S = 3000;

const log = (line) => {
	if (!JSON_OUT) process.stdout.write(`${line}\n`);
};

const root = mkdtempSync(join(tmpdir(), 'agentspace-bench-gateway-'));
const children = [];
let db;
let broken;
let report;

/** Two ends of a Unix socket. */
async function socketPair(path) {
	const server = createServer();
	const accepted = new Promise((resolve) => server.once('connection', resolve));
	await new Promise((resolve) => server.listen(path, resolve));
	const client = netConnect(path);
	const serverEnd = await accepted;
	server.close();
	return [serverEnd, client];
}

try {
	const script = writeMcpFixtureAgent(root);
	db = openDb({ path: join(root, 'agentspace.db') });
	recordRunningAgent(db);

	const direct = await directClient(script);
	const viaDirect = (i) => direct.callTool({ name: 'echo', arguments: { text: `hello ${i}` } });

	const { session, router } = await routedFixture(db, script, children);
	const catalog = new GatewayCatalog({
		db,
		securityMode: () => 'full-control',
		isRunning: (id) => router.isRunning(id),
		builtins: router.builtinGroups(),
	});
	const [serverEnd, clientEnd] = await socketPair(join(root, 'gateway.sock'));
	const gateway = await serveGateway({
		transport: gatewayStreamTransport(serverEnd, { log: () => {} }),
		catalog,
		router,
		callerOf: (client) => ({ type: 'mcp-client', id: client?.name ?? 'unknown-client' }),
	});
	const client = new Client({ name: 'bench-gateway', version: '1.0.0' });
	await client.connect(new StdioServerTransport(clientEnd, clientEnd));
	await client.listTools();
	let routed = 0;
	const viaGateway = async (i) => {
		const result = await client.callTool({ name: 'fx__echo', arguments: { text: `hello ${i}` } });
		routed++;
		if (result.isError)
			throw new Error(`echo failed through the gateway: ${JSON.stringify(result)}`);
	};

	const {
		directLatency,
		measuredLatency: gatewayLatency,
		directRates,
		measuredRates: gatewayRates,
	} = await compareCalls(viaDirect, viaGateway, {
		warmup: WARMUP,
		latencyCalls: LATENCY_CALLS,
		block: BLOCK,
		inFlight: IN_FLIGHT,
		throughputCalls: THROUGHPUT_CALLS,
		passes: PASSES,
		log,
	});
	const recorded = recordedCalls(db);
	if (recorded !== routed)
		throw new Error(`the gateway made ${routed} calls but the call log holds ${recorded}`);
	await client.close();
	await gateway.close();
	catalog.close();
	router.close();
	await session.close();
	await direct.close();
	report = {
		tool: 'fixture echo',
		latency: {
			calls: LATENCY_CALLS,
			direct: directLatency,
			gateway: gatewayLatency,
			addedP50Ms: round(gatewayLatency.p50Ms - directLatency.p50Ms, 4),
			addedP99Ms: round(gatewayLatency.p99Ms - directLatency.p99Ms, 4),
		},
		throughput: {
			inFlight: IN_FLIGHT,
			directCallsPerS: Math.round(median(directRates)),
			gatewayCallsPerS: Math.round(median(gatewayRates)),
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
	process.stderr.write(`gateway overhead benchmark broke: ${broken.stack ?? broken}\n`);
	process.exitCode = 1;
} else if (JSON_OUT) {
	process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
	const { latency: l, throughput: t } = report;
	log('');
	log(`gateway overhead: ${report.tool}, every call recorded (${report.recordedCalls} rows)`);
	log(latencyRow('direct', l.direct));
	log(latencyRow('gateway', l.gateway));
	log(
		`  → added p50 ${l.addedP50Ms} ms (end-to-end target ≤ ${TARGET_P50_MS} ms): ${verdict(l.addedP50Ms <= TARGET_P50_MS)}`,
	);
	log(
		`  → added p99 ${l.addedP99Ms} ms (end-to-end target ≤ ${TARGET_P99_MS} ms): ${verdict(l.addedP99Ms <= TARGET_P99_MS)}`,
	);
	log(
		`  ${t.inFlight} in flight: direct ${t.directCallsPerS} calls/s, gateway ${t.gatewayCallsPerS} calls/s: ${verdict(t.gatewayCallsPerS >= TARGET_CALLS_PER_S)}`,
	);
}
