// What the router and gateway overhead benches share: the percentiles they
// report, how they time calls one at a time and many in flight, and the
// fixture agent's records a daemon would have made before routing to it.
import { withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';

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
