#!/usr/bin/env node
// Call log benchmark on a real database file (WAL, synchronous=NORMAL), run
// against the built package (`pnpm run build`, then `pnpm bench`):
//
//   node bench/callLog.bench.mjs                            5,000,000 calls
//   AGENTSPACE_BENCH_QUICK=1 node bench/callLog.bench.mjs   200,000 calls
//   AGENTSPACE_BENCH_CALLS=1000000 node bench/callLog.bench.mjs
//
// Informational, no targets: prints, in one run, what recording a call costs
// on an empty log and on the full one, the p50/p99 of the queries
// `agentspace tools log` makes (newest first, by agent, tool, status, time),
// the disk bytes per call, and what one day's prune costs. At 10 calls/s the
// log gains ~860,000 calls a day; 5 million is about six days of that, or a
// 30-day retention at ~2 calls/s.
//
// The log is filled with prepared INSERTs of rows shaped as recordToolCall
// writes them (same columns, ids, times, hashes and summaries of the same
// kind), 10,000 to a transaction: a fill through recordToolCall, one
// transaction per call, would take many minutes and measure nothing new.
// Every measured record goes through recordToolCall itself.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDb, openDb } from '@agentspace/db';
import { pruneToolCalls, queryToolCalls, recordToolCall } from '../dist/index.js';

const QUICK = process.env.AGENTSPACE_BENCH_QUICK === '1';
const CALLS = Number(process.env.AGENTSPACE_BENCH_CALLS ?? (QUICK ? 200_000 : 5_000_000));
const RECORD_SAMPLES = QUICK ? 2000 : 5000;
const QUERY_SAMPLES = QUICK ? 300 : 1000;
const AGENTS = 20;
const TOOLS_PER_AGENT = 50;
const DAY_MS = 86_400_000;
const STATUSES = [
	'ok',
	'ok',
	'ok',
	'ok',
	'ok',
	'ok',
	'ok',
	'error',
	'denied',
	'invalid',
	'cancelled',
	'timeout',
];

const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
function summarize(samples) {
	const sorted = Float64Array.from(samples).sort();
	const total = sorted.reduce((sum, v) => sum + v, 0);
	return {
		n: sorted.length,
		meanMs: round(total / sorted.length, 4),
		p50Ms: round(percentile(sorted, 50), 4),
		p99Ms: round(percentile(sorted, 99), 4),
		maxMs: round(sorted[sorted.length - 1], 4),
	};
}

// Which agent, tool and status call i has: spread by a hash of i, not by i
// modulo something, so that filters combine as they would in real use.
const mix = (i, salt) => {
	let x = Math.imul(i ^ salt, 0x9e3779b1);
	x = Math.imul(x ^ (x >>> 15), 0x85ebca6b);
	return (x ^ (x >>> 13)) >>> 0;
};
const agentId = (i) => `agent-${mix(i, 1) % AGENTS}`;
const toolName = (i) => `tool_${mix(i, 2) % TOOLS_PER_AGENT}`;
// agent-0 never times out: `--agent agent-0 --status timeout` is the worst
// case, a query whose filters match nothing, measured on its own.
const statusOf = (i) => {
	const status = STATUSES[mix(i, 3) % STATUSES.length];
	return status === 'timeout' && agentId(i) === 'agent-0' ? 'ok' : status;
};
const argsOf = (i) => ({
	path: `/home/user/project/src/file-${i % 997}.ts`,
	line: i % 400,
	query: 'needle',
});

function timed(fn) {
	const started = performance.now();
	const value = fn();
	return { value, ms: performance.now() - started };
}

/** Records `n` calls through recordToolCall, one transaction each; the time of each. */
function measureRecords(db, n, startAtMs) {
	const samples = [];
	for (let i = 0; i < n; i++) {
		const at = new Date(startAtMs + i).toISOString();
		const started = performance.now();
		recordToolCall(db, {
			at,
			caller: { type: 'mcp-client', id: 'claude-desktop', detail: { version: '1.2.3' } },
			agentId: agentId(i),
			runId: `run_${i % AGENTS}`,
			tool: toolName(i),
			args: argsOf(i),
			status: statusOf(i) === 'denied' ? 'ok' : statusOf(i),
			durationMs: i % 50,
		});
		samples.push(performance.now() - started);
	}
	return summarize(samples);
}

/** Fills the log to `total` calls spread evenly over the `days` before `endMs`, oldest first. */
function fill(db, total, endMs, days) {
	const insert = db.$client.prepare(
		`INSERT INTO tool_calls (call_id, at, caller_type, caller_id, caller_detail, agent_id, run_id, tool, args_hash, summary, status, error_code, duration_ms)
		VALUES (?, ?, 'mcp-client', 'claude-desktop', '{"version":"1.2.3"}', ?, ?, ?, ?, ?, ?, ?, ?)`,
	);
	const startMs = endMs - days * DAY_MS;
	const step = (days * DAY_MS) / total;
	const batch = db.$client.transaction((from, to) => {
		for (let i = from; i < to; i++) {
			const args = argsOf(i);
			const status = statusOf(i);
			insert.run(
				// generateId('call'): `call_` and 21 URL-safe characters.
				`call_${randomBytes(16).toString('base64url').slice(0, 21)}`,
				new Date(startMs + i * step).toISOString(),
				agentId(i),
				`run_${i % AGENTS}`,
				toolName(i),
				createHash('sha256').update(JSON.stringify(args)).digest('hex'),
				JSON.stringify(args),
				status,
				status === 'ok' ? null : status === 'denied' ? 'PERMISSION_DENIED' : 'COMMAND_FAILED',
				i % 50,
			);
		}
	});
	for (let from = 0; from < total; from += 10_000) {
		batch(from, Math.min(total, from + 10_000));
		if (from % 500_000 === 0 && from > 0)
			process.stdout.write(`  ${from.toLocaleString('en')} calls…\n`);
	}
}

/** The queries `agentspace tools log` makes, each timed QUERY_SAMPLES times (parameters rotating). */
function measureQueries(db, endMs) {
	const kinds = {
		'newest 100': () => ({ limit: 100 }),
		'--agent': (i) => ({ agentId: agentId(i), limit: 100 }),
		'--tool': (i) => ({ tool: toolName(i), limit: 100 }),
		'--status error': () => ({ status: 'error', limit: 100 }),
		'--status denied --since 1d': () => ({
			status: 'denied',
			since: new Date(endMs - DAY_MS).toISOString(),
			limit: 100,
		}),
		'--agent --since 7d': (i) => ({
			agentId: agentId(i),
			since: new Date(endMs - 7 * DAY_MS).toISOString(),
			limit: 100,
		}),
		'--agent --status (two filters)': (i) => ({
			agentId: `agent-${1 + (i % (AGENTS - 1))}`,
			status: 'timeout',
			limit: 100,
		}),
	};
	// Not in the overall figure: the worst case, two filters that match nothing
	// (one index serves the query; the other filter is checked row by row).
	const worst = () => ({ agentId: 'agent-0', status: 'timeout', limit: 100 });
	const all = [];
	const byKind = {};
	for (const [name, query] of Object.entries(kinds)) {
		for (let i = 0; i < 20; i++) queryToolCalls(db, query(i)); // warm-up
		const samples = [];
		for (let i = 0; i < QUERY_SAMPLES; i++) {
			const q = query(i);
			const started = performance.now();
			queryToolCalls(db, q);
			samples.push(performance.now() - started);
		}
		byKind[name] = summarize(samples);
		all.push(...samples);
	}
	const worstSamples = [];
	for (let i = 0; i < Math.max(10, QUERY_SAMPLES / 50); i++) {
		const started = performance.now();
		queryToolCalls(db, worst());
		worstSamples.push(performance.now() - started);
	}
	return { all: summarize(all), byKind, worst: summarize(worstSamples) };
}

function diskBytes(db, path) {
	db.$client.pragma('wal_checkpoint(TRUNCATE)');
	const file = statSync(path).size;
	const wal = (() => {
		try {
			return statSync(`${path}-wal`).size;
		} catch {
			return 0;
		}
	})();
	return file + wal;
}

function main() {
	const dir = mkdtempSync(join(tmpdir(), 'agentspace-bench-calllog-'));
	const path = join(dir, 'agentspace.db');
	const db = openDb({ path });
	try {
		const endMs = Date.now();
		const emptyBytes = diskBytes(db, path);
		process.stdout.write(
			`call log benchmark: ${CALLS.toLocaleString('en')} calls${QUICK ? ' (quick)' : ''}\n`,
		);
		process.stdout.write('recording on an empty log…\n');
		const recordEmpty = measureRecords(db, RECORD_SAMPLES, endMs - 31 * DAY_MS);
		db.$client.exec('DELETE FROM tool_calls');
		process.stdout.write(`filling to ${CALLS.toLocaleString('en')} calls over 30 days…\n`);
		const filled = timed(() => fill(db, CALLS, endMs, 30));
		const bytes = diskBytes(db, path) - emptyBytes;
		process.stdout.write('recording on the full log…\n');
		const recordFull = measureRecords(db, RECORD_SAMPLES, endMs + 1);
		process.stdout.write('querying…\n');
		const queries = measureQueries(db, endMs);
		// One day's prune: the retention moved on by a day.
		const prune = timed(() =>
			pruneToolCalls(db, { olderThanDays: 29, actor: { type: 'system' }, now: new Date(endMs) }),
		);
		const rows = [
			['calls in the log', CALLS.toLocaleString('en')],
			[
				'fill (bulk, 10k per transaction)',
				`${round(filled.ms / 1000, 1)} s, ${Math.round(CALLS / (filled.ms / 1000)).toLocaleString('en')} calls/s`,
			],
			[
				'record, empty log: p50 / p99 / mean',
				`${recordEmpty.p50Ms} / ${recordEmpty.p99Ms} / ${recordEmpty.meanMs} ms (${Math.round(1000 / recordEmpty.meanMs).toLocaleString('en')} calls/s)`,
			],
			[
				'record, full log:  p50 / p99 / mean',
				`${recordFull.p50Ms} / ${recordFull.p99Ms} / ${recordFull.meanMs} ms (${Math.round(1000 / recordFull.meanMs).toLocaleString('en')} calls/s)`,
			],
			['record cost full / empty (mean)', `${round(recordFull.meanMs / recordEmpty.meanMs, 2)}×`],
			['tools log query: p50 / p99 (all kinds)', `${queries.all.p50Ms} / ${queries.all.p99Ms} ms`],
			...Object.entries(queries.byKind).map(([name, s]) => [
				`  ${name}`,
				`p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms`,
			]),
			[
				'  worst case: --agent --status, no match',
				`p50 ${queries.worst.p50Ms} ms, p99 ${queries.worst.p99Ms} ms`,
			],
			[
				'disk per call (file + WAL, checkpointed)',
				`${Math.round(bytes / CALLS)} bytes (${round(bytes / 1024 ** 3, 2)} GiB in all)`,
			],
			[
				'prune one day',
				`${prune.value.deleted.toLocaleString('en')} calls in ${round(prune.ms / 1000, 2)} s`,
			],
		];
		const width = Math.max(...rows.map(([name]) => name.length));
		process.stdout.write(
			`\n${rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n')}\n`,
		);
	} finally {
		closeDb(db);
		rmSync(dir, { recursive: true, force: true });
	}
}

main();
