#!/usr/bin/env node
// MCP gateway benchmark: `agentspace mcp` end to end, against the same MCP
// server called directly, in one run.
//
//   node bench/mcpGateway.bench.mjs [--agents N] [--json]
//   AGENTSPACE_BENCH_QUICK=1 node bench/mcpGateway.bench.mjs
//
// N copies (20 by default) of the fixture MCP agent (packages/testing/fixtures/
// mcp-agent, 50 tools each) are installed, enabled and run sandboxed by a real
// daemon, as a user would. Two SDK Clients (the official
// @modelcontextprotocol/sdk, StdioClientTransport) then call the fixture's
// `echo` (a no-op tool):
//   direct  — a client spawning the fixture's script itself, as any MCP
//             client configured with that one server would;
//   gateway — a client spawning `agentspace mcp`: stdio → the CLI's relay →
//             the daemon's socket → the gateway session → the router (checks,
//             call log) → the sandboxed agent's stdin, and back.
// 1. Latency, one call at a time, the two interleaved in blocks: p50 and p99
//    of each; added = gateway − direct at the same percentile.
//    Targets: p50 ≤ 1 ms, p99 ≤ 3 ms added.
// 2. Throughput with 16 calls in flight (median of 3 passes, interleaved).
//    Target: ≥ 3,000 calls/s through the gateway.
//    Both measured twice: with only the agent called running (the direct
//    client has its one server too), then with all N running.
// 3. tools/list through the gateway with N × 50 tools: p50 / p99 (paced: a
//    session may list 20 times a second). Target ≤ 30 ms.
// 4. Start: from spawning `agentspace mcp` to its answer to initialize, the
//    daemon already running, beside `agentspace --version` and the direct
//    server's own start. Target ≤ 150 ms.
// Every call the gateway made must be in the call log, or the bench is broken.
//
// Informational, not gating: a missed target prints MISS and still exits 0;
// only a broken benchmark exits 1. Everything runs in temporary directories
// removed at the end; the daemon is stopped (killed if it will not stop).
import { rmSync } from 'node:fs';
import { createMcpFixtureAgentRepo, writeMcpFixtureAgent } from '@agentspace/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';

import {
	benchArgs,
	benchHome,
	cliRunner,
	countRows,
	endBench,
	logger,
	median,
	percentileRow,
	round,
	sleep,
	stopBenchDaemon,
	summarize,
	verdict,
	waitFor,
} from './benchCli.mjs';

const { quick: QUICK, json, option } = benchArgs();
const agentCount = option('--agents', QUICK ? 4 : 20);
const TOOLS_PER_AGENT = 50; // the fixture's 4 + --many-tools 46
const LATENCY_CALLS = QUICK ? 1000 : 4000; // per path
const BLOCK = 250;
const WARMUP = 500;
const IN_FLIGHT = 16;
const THROUGHPUT_CALLS = QUICK ? 3000 : 10_000; // per pass
const PASSES = 3;
const LISTS = QUICK ? 10 : 30;
const LIST_PACE_MS = 60; // a session may list 20 times a second (MAX_GATEWAY_LISTS_PER_SECOND)
const STARTS = QUICK ? 5 : 15;
const TARGET_P50_MS = 1;
const TARGET_P99_MS = 3;
const TARGET_CALLS_PER_S = 3000;
const TARGET_LIST_MS = 30;
const TARGET_START_MS = 150;

const { bin, root, home, env } = benchHome('agentspace-bench-gateway-');

const log = logger(json);

const { cli, cliJson } = cliRunner({ bin, home, env, timeoutMs: 120_000 });

/** An SDK client connected over stdio to `command args`; resolves once initialize is answered. */
async function connect(name, command, commandArgs) {
	const client = new Client({ name, version: '1.0.0' });
	const transport = new StdioClientTransport({
		command,
		args: commandArgs,
		env,
		stderr: 'ignore',
	});
	await client.connect(transport);
	return client;
}
const gatewayArgs = () => [bin, '--home', home, 'mcp'];

async function timeSequential(call, n) {
	const samples = new Array(n);
	for (let i = 0; i < n; i++) {
		const started = performance.now();
		await call(i);
		samples[i] = performance.now() - started;
	}
	return samples;
}

/** Calls/s with IN_FLIGHT calls always in flight, `total` in all. */
async function throughput(call, total) {
	let next = 0;
	const worker = async () => {
		while (next < total) await call(next++);
	};
	const started = performance.now();
	await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
	return total / ((performance.now() - started) / 1000);
}

const repos = [];
const clients = [];
let daemonPid;
let broken;
let report;
try {
	const ids = Array.from({ length: agentCount }, (_, i) => `gw-${String(i + 1).padStart(2, '0')}`);
	const fixtureArgs = ['--many-tools', String(TOOLS_PER_AGENT - 4), '--page-size', '100'];
	log(`installing, enabling and running ${agentCount} fixture MCP agents (sandboxed)…`);
	for (const id of ids) {
		const repo = createMcpFixtureAgentRepo({ args: fixtureArgs, manifest: { id, name: id } });
		repos.push(repo);
		cli(['agents', 'install', repo.url]);
		cli(['agents', 'enable', id, '--all']);
		// Limited control (the default) lists only read-only tools: the user allows them all.
		cli(['tools', 'allow', `${id}/*`]);
	}
	daemonPid = cliJson(['daemon', 'start']).pid;
	const runAgents = async (some) => {
		for (const id of some) {
			const run = cliJson(['agents', 'run', id]);
			if (run.sandboxed !== true) throw new Error(`${id} is not sandboxed`);
		}
		const count = ids.indexOf(some[some.length - 1]) + 1;
		await waitFor(
			() => {
				const connected = cliJson(['daemon', 'status']).mcpAgents ?? [];
				return (
					connected.length === count &&
					connected.every((agent) => agent.tools === TOOLS_PER_AGENT && agent.health === 'healthy')
				);
			},
			`${count} agents connected with ${TOOLS_PER_AGENT} tools each`,
			180_000,
		);
	};
	// The calls are measured twice: with the one agent called running (as the
	// direct client has its one server), then with all of them.
	await runAgents(ids.slice(0, 1));

	// direct: the same script, spawned by the client itself.
	const script = writeMcpFixtureAgent(root);
	const direct = await connect('bench-direct', process.execPath, [script, ...fixtureArgs]);
	clients.push(direct);
	const gateway = await connect('bench-gateway', process.execPath, gatewayArgs());
	clients.push(gateway);
	const target = `${ids[0]}__echo`;
	const agentToolsListed = (tools) =>
		tools.filter((tool) => ids.some((id) => tool.name.startsWith(`${id}__`))).length;
	const first = await gateway.listTools();
	if (!first.tools.some((tool) => tool.name === target))
		throw new Error(`the gateway does not list ${target}`);

	const callDirect = async (i) => {
		const result = await direct.callTool({ name: 'echo', arguments: { text: `hello ${i}` } });
		if (result.isError) throw new Error(`direct echo failed: ${JSON.stringify(result)}`);
	};
	let routed = 0;
	const callGateway = async (i) => {
		const result = await gateway.callTool({ name: target, arguments: { text: `hello ${i}` } });
		if (result.isError) throw new Error(`gateway echo failed: ${JSON.stringify(result)}`);
		routed++;
	};

	/** Latency (interleaved blocks) and throughput (16 in flight) of the two paths, now. */
	const measureCalls = async (label) => {
		log(`${label}: warming up (${WARMUP} calls each)…`);
		await timeSequential(callDirect, WARMUP);
		await timeSequential(callGateway, WARMUP);
		log(`${label}: latency, ${LATENCY_CALLS} calls each, one at a time, in blocks of ${BLOCK}…`);
		const directSamples = [];
		const gatewaySamples = [];
		for (let done = 0; done < LATENCY_CALLS; done += BLOCK) {
			directSamples.push(...(await timeSequential(callDirect, BLOCK)));
			gatewaySamples.push(...(await timeSequential(callGateway, BLOCK)));
		}
		log(
			`${label}: throughput, ${IN_FLIGHT} in flight, ${THROUGHPUT_CALLS} calls a pass, ${PASSES} passes each…`,
		);
		const directRates = [];
		const gatewayRates = [];
		for (let pass = 0; pass < PASSES; pass++) {
			directRates.push(await throughput(callDirect, THROUGHPUT_CALLS));
			gatewayRates.push(await throughput(callGateway, THROUGHPUT_CALLS));
		}
		const directLatency = summarize(directSamples);
		const gatewayLatency = summarize(gatewaySamples);
		return {
			direct: directLatency,
			gateway: gatewayLatency,
			addedP50Ms: round(gatewayLatency.p50Ms - directLatency.p50Ms, 4),
			addedP99Ms: round(gatewayLatency.p99Ms - directLatency.p99Ms, 4),
			directCallsPerS: Math.round(median(directRates)),
			gatewayCallsPerS: Math.round(median(gatewayRates)),
		};
	};
	const oneAgent = await measureCalls('1 agent running');

	log(`running the other ${agentCount - 1} agents…`);
	await runAgents(ids.slice(1));
	const listed = await gateway.listTools();
	const expectedTools = agentCount * TOOLS_PER_AGENT;
	if (agentToolsListed(listed.tools) !== expectedTools)
		throw new Error(
			`the gateway lists ${agentToolsListed(listed.tools)} agent tools, expected ${expectedTools}`,
		);
	const allAgents = await measureCalls(`${agentCount} agents running`);

	log(`tools/list through the gateway: ${LISTS} lists of ${listed.tools.length} tools…`);
	const listSamples = [];
	for (let i = 0; i < LISTS; i++) {
		await sleep(LIST_PACE_MS);
		// The request itself: listTools() would add the SDK client's own work
		// after the answer (it compiles a validator for every output schema).
		const started = performance.now();
		const again = await gateway.request(
			{ method: 'tools/list', params: {} },
			ListToolsResultSchema,
		);
		listSamples.push(performance.now() - started);
		if (again.tools.length !== listed.tools.length)
			throw new Error(`a list gave ${again.tools.length} tools, the first ${listed.tools.length}`);
	}

	log(
		`start: ${STARTS} starts of agentspace mcp (to its answer to initialize), and the baselines…`,
	);
	const startSamples = [];
	const directStartSamples = [];
	const versionSamples = [];
	for (let i = 0; i < STARTS; i++) {
		let started = performance.now();
		const client = await connect(`bench-start-${i}`, process.execPath, gatewayArgs());
		startSamples.push(performance.now() - started);
		await client.close();
		started = performance.now();
		const server = await connect(`bench-direct-start-${i}`, process.execPath, [script]);
		directStartSamples.push(performance.now() - started);
		await server.close();
		started = performance.now();
		cli(['--version']);
		versionSamples.push(performance.now() - started);
	}

	await gateway.close();
	await direct.close();
	clients.length = 0;
	cli(['agents', 'stop', '--all']);
	cli(['daemon', 'stop', '--timeout', '5']);
	daemonPid = undefined;
	// Every gateway call is in the call log (committed: the daemon has stopped), recorded as the MCP client.
	const recorded = callsRecorded(ids[0]);
	if (recorded !== routed)
		throw new Error(
			`the gateway made ${routed} calls but the call log holds ${recorded} from the client`,
		);

	report = {
		agents: agentCount,
		toolsListed: listed.tools.length,
		calls: { latencyCalls: LATENCY_CALLS, inFlight: IN_FLIGHT, oneAgent, allAgents },
		toolsList: summarize(listSamples),
		start: {
			gateway: summarize(startSamples),
			directServer: summarize(directStartSamples),
			version: summarize(versionSamples),
		},
		callsRecorded: recorded,
	};
} catch (error) {
	broken = error;
} finally {
	for (const client of clients) await client.close().catch(() => {});
	if (daemonPid !== undefined) {
		stopBenchDaemon({ bin, home, env, pid: daemonPid, agents: true });
	}
	for (const repo of repos) repo.cleanup();
	rmSync(root, { recursive: true, force: true });
}

/** The ok calls of `echo` to `agentId` that the call log has from the gateway's client (bench-gateway). */
function callsRecorded(agentId) {
	return countRows(
		home,
		`SELECT count(*) AS n FROM tool_calls WHERE agent_id = ? AND tool = 'echo' AND status = 'ok'
		AND caller_type = 'mcp-client' AND caller_id = 'bench-gateway'`,
		agentId,
	);
}

endBench({ name: 'MCP gateway', broken, report, json }, () => {
	const { calls, toolsList, start } = report;
	const row = percentileRow(log, 34);
	const callRows = (label, m) => {
		log(`calls with ${label}`);
		row('direct (SDK client → server)', m.direct);
		row('gateway (client → agentspace mcp)', m.gateway);
		log(
			`  → added p50 ${m.addedP50Ms} ms (target ≤ ${TARGET_P50_MS}): ${verdict(m.addedP50Ms <= TARGET_P50_MS)}; added p99 ${m.addedP99Ms} ms (target ≤ ${TARGET_P99_MS}): ${verdict(m.addedP99Ms <= TARGET_P99_MS)}`,
		);
		log(
			`  throughput, ${calls.inFlight} in flight: direct ${m.directCallsPerS} calls/s, gateway ${m.gatewayCallsPerS} calls/s (target ≥ ${TARGET_CALLS_PER_S}): ${verdict(m.gatewayCallsPerS >= TARGET_CALLS_PER_S)}`,
		);
	};
	log('');
	log(
		`agentspace mcp end to end (sandboxed agents, ${TOOLS_PER_AGENT} tools each; ${report.toolsListed} tools listed with all ${report.agents})`,
	);
	callRows('the one agent called running (as the direct client has one server)', calls.oneAgent);
	callRows(`all ${report.agents} agents running`, calls.allAgents);
	row(`tools/list (${report.toolsListed} tools)`, toolsList);
	log(
		`  → tools/list p99 ${toolsList.p99Ms} ms (target ≤ ${TARGET_LIST_MS}): ${verdict(toolsList.p99Ms <= TARGET_LIST_MS)}`,
	);
	row('start: agentspace mcp → initialize', start.gateway);
	row('start: the server itself', start.directServer);
	row('agentspace --version', start.version);
	log(
		`  → agentspace mcp answers initialize ${start.gateway.p50Ms} ms after it starts (median; target ≤ ${TARGET_START_MS}): ${verdict(start.gateway.p50Ms <= TARGET_START_MS)}`,
	);
	log(`  ${report.callsRecorded} gateway calls in the call log`);
});
