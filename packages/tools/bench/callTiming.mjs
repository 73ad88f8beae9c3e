// What the router and gateway overhead benches share: the percentiles they
// report, how they time calls one at a time and many in flight against the
// SDK client calling the fixture agent directly, the fixture agent's records
// a daemon would have made before routing to it and its routed session, and
// how a result is printed.
import { spawn } from 'node:child_process';
import { withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { connectMcpAgent, recordToolList, ToolRouter } from '../dist/index.js';

/** The p-th percentile of sorted samples (nearest rank). */
export const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
export const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** n, p50, p99 and max of latency samples in ms. */
export function summarize(samples) {
	const sorted = Float64Array.from(samples).sort();
	return {
		n: sorted.length,
		p50Ms: round(percentile(sorted, 50), 4),
		p99Ms: round(percentile(sorted, 99), 4),
		maxMs: round(sorted[sorted.length - 1], 4),
	};
}

/** `n` calls one after another; each one's time in ms. */
export async function timeSequential(call, n) {
	const samples = new Array(n);
	for (let i = 0; i < n; i++) {
		const started = performance.now();
		await call(i);
		samples[i] = performance.now() - started;
	}
	return samples;
}

/** Calls/s with `inFlight` calls always in flight, `total` calls in all. */
export async function throughput(call, total, inFlight) {
	let next = 0;
	const worker = async () => {
		while (next < total) await call(next++);
	};
	const started = performance.now();
	await Promise.all(Array.from({ length: inFlight }, worker));
	return total / ((performance.now() - started) / 1000);
}

/**
 * `direct` and `measured` in the same run: warmed up, their latency one call at
 * a time interleaved in blocks of `block`, then their calls/s with `inFlight`
 * in flight, `passes` passes each, interleaved.
 */
export async function compareCalls(
	direct,
	measured,
	{ warmup, latencyCalls, block, inFlight, throughputCalls, passes, log },
) {
	log(`warming up (${warmup} calls each)…`);
	await timeSequential(direct, warmup);
	await timeSequential(measured, warmup);
	log(`latency: ${latencyCalls} calls each, one at a time, interleaved in blocks of ${block}…`);
	const directSamples = [];
	const measuredSamples = [];
	for (let done = 0; done < latencyCalls; done += block) {
		directSamples.push(...(await timeSequential(direct, block)));
		measuredSamples.push(...(await timeSequential(measured, block)));
	}
	log(`throughput: ${inFlight} in flight, ${throughputCalls} calls a pass, ${passes} passes each…`);
	const directRates = [];
	const measuredRates = [];
	for (let pass = 0; pass < passes; pass++) {
		directRates.push(await throughput(direct, throughputCalls, inFlight));
		measuredRates.push(await throughput(measured, throughputCalls, inFlight));
	}
	return {
		directLatency: summarize(directSamples),
		measuredLatency: summarize(measuredSamples),
		directRates,
		measuredRates,
	};
}

/** The SDK's own client over its stdio transport, spawning the fixture `script`, its tools listed. */
export async function directClient(script) {
	const client = new Client({ name: 'bench-direct', version: '1.0.0' });
	await client.connect(
		new StdioClientTransport({ command: process.execPath, args: [script], stderr: 'ignore' }),
	);
	await client.listTools();
	return client;
}

/**
 * A second process of the fixture `script` (pushed on `children`), as the
 * supervisor hands it to the daemon: connected as `fx`/`run1`, its tools
 * recorded in `db`, attached to a full-control ToolRouter.
 */
export async function routedFixture(db, script, children) {
	const agent = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'ignore'] });
	children.push(agent);
	agent.stdin.on('error', () => {});
	const session = await connectMcpAgent(
		{ fromAgent: agent.stdout, toAgent: agent.stdin },
		{ agentId: 'fx', runId: 'run1' },
	);
	recordToolList(db, { agentId: 'fx', runId: 'run1', tools: session.tools() });
	const router = new ToolRouter({ db, securityMode: () => 'full-control' });
	router.attach(session);
	return { session, router };
}

/** The fixture agent's calls in the call log of `db` that ended ok. */
export const recordedCalls = (db) =>
	db.$client
		.prepare(`SELECT count(*) AS n FROM tool_calls WHERE agent_id = 'fx' AND status = 'ok'`)
		.get().n;

export const verdict = (ok) => (ok ? 'PASS' : 'MISS');

/** One printed latency line: p50, p99 and max of `s` (from summarize). */
export const latencyRow = (label, s) =>
	`  ${label.padEnd(8)} p50 ${`${s.p50Ms} ms`.padStart(10)}  p99 ${`${s.p99Ms} ms`.padStart(10)}  max ${s.maxMs} ms`;

/** The fixture agent `fx` discovered, enabled and running `run1` in `db`, as the daemon would have recorded it. */
export function recordRunningAgent(db) {
	const emit = (type, fields) =>
		withImmediateTransaction(db, (tx) =>
			appendToStream(tx, [createEvent(type, { project_key: 'agentspace', ...fields })]),
		);
	const hash = (c) => c.repeat(64);
	emit('agent_discovered', {
		agent_id: 'fx',
		name: 'fx',
		version: '1.0.0',
		manifest_path: '/src/fx/agentspace.agent.json',
		manifest_hash: hash('1'),
		permissions_hash: hash('2'),
		requested_permissions: [],
	});
	emit('agent_enabled', {
		agent_id: 'fx',
		approved_permissions: [],
		manifest_hash: hash('1'),
		permissions_hash: hash('2'),
	});
	emit('agent_run_started', {
		agent_id: 'fx',
		run_id: 'run1',
		pid: 1,
		sandboxed: false,
		restart_policy: 'no',
	});
}
