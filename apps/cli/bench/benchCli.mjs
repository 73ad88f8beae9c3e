// What the CLI's benches that drive a real home share: their command line,
// the home and the built CLI, running it against the home, waiting for a state
// it reports, percentiles, the report's verdicts, and stopping the daemon.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `cli(argv)` runs the built CLI (`bin`) to completion against `home` with
 * `env`, throwing unless it exits 0, and returns its stdout; `cliJson(argv)`
 * adds --json and parses it. Each call waits at most `timeoutMs` unless given.
 */
export function cliRunner({ bin, home, env, timeoutMs }) {
	const cli = (argv, timeout = timeoutMs) => {
		const result = spawnSync(process.execPath, [bin, '--home', home, ...argv], {
			env,
			encoding: 'utf8',
			timeout,
		});
		if (result.error) throw result.error;
		if (result.status !== 0)
			throw new Error(`agentspace ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
		return result.stdout;
	};
	return { cli, cliJson: (argv) => JSON.parse(cli([...argv, '--json'])) };
}

/** `value` rounded to `digits` decimals. */
export const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The `p`th percentile (nearest rank) of `sorted`, ascending. */
export const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];

/** `values` sorted ascending, as numbers. */
export const sortedOf = (values) => Float64Array.from(values).sort();

/** The median of `values` (nearest rank). */
export const median = (values) => percentile(sortedOf(values), 50);

/** Millisecond samples as n, p50, p99 and max (4 decimals). */
export function summarize(samples) {
	const sorted = sortedOf(samples);
	return {
		n: sorted.length,
		p50Ms: round(percentile(sorted, 50), 4),
		p99Ms: round(percentile(sorted, 99), 4),
		maxMs: round(sorted[sorted.length - 1], 4),
	};
}

/** Resolves once `check()` is true, polling every 250 ms; throws after `timeoutMs`, naming `what`. */
export async function waitFor(check, what, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(250);
	}
}

/**
 * The command line every bench reads: `--json` (the report as JSON, nothing
 * else on stdout), `option(name, fallback)` for a numeric `--name N`, and
 * `quick` (AGENTSPACE_BENCH_QUICK=1: a short run).
 */
export function benchArgs(argv = process.argv.slice(2)) {
	const option = (name, fallback) => {
		const index = argv.indexOf(name);
		return index === -1 ? fallback : Number(argv[index + 1]);
	};
	return {
		args: argv,
		json: argv.includes('--json'),
		quick: process.env.AGENTSPACE_BENCH_QUICK === '1',
		option,
	};
}

/** A temporary directory `root` (named `prefix…`) with the bench's home in it, the built CLI and a clean env. */
export function benchHome(prefix) {
	const root = mkdtempSync(join(tmpdir(), prefix));
	return {
		bin: fileURLToPath(new URL('../bin/agentspace.js', import.meta.url)),
		root,
		home: join(root, 'home'),
		env: { PATH: process.env.PATH, HOME: process.env.HOME },
	};
}

/** `log(line)`: a line of the human report, written only without --json. */
export const logger = (json) => (line) => {
	if (!json) process.stdout.write(`${line}\n`);
};

/** PASS or MISS: the benches are informational, a missed target does not fail them. */
export const verdict = (ok) => (ok ? 'PASS' : 'MISS');

/**
 * Stops the daemon a bench started, whatever state the bench broke in: its
 * agents first when `agents`, then the daemon (1 s), then SIGKILL to `pid`.
 */
export function stopBenchDaemon({ bin, home, env, pid, agents = false }) {
	const run = (argv) =>
		spawnSync(process.execPath, [bin, '--home', home, ...argv], { env, timeout: 30_000 });
	if (agents) run(['agents', 'stop', '--all']);
	run(['daemon', 'stop', '--timeout', '1']);
	try {
		process.kill(pid, 'SIGKILL');
	} catch {}
}

/** The `n` a `SELECT count(*) AS n …` gives on the home's database, opened read-only. */
export function countRows(home, sql, ...params) {
	const db = new Database(join(home, 'agentspace.db'), { readonly: true });
	try {
		return db.prepare(sql).get(...params).n;
	} finally {
		db.close();
	}
}

/** `row(label, summary)`: a p50 / p99 line of the human report, the label padded to `width`. */
export const percentileRow = (log, width) => (label, s) =>
	log(
		`  ${label.padEnd(width)} p50 ${String(s.p50Ms).padStart(8)} ms  p99 ${String(s.p99Ms).padStart(8)} ms`,
	);

/**
 * Ends a bench: when it `broke`, `<name> benchmark broke: <stack>` on stderr
 * and exit code 1 (a missed target never fails a bench); else the report as
 * JSON with --json, or `printHuman()`.
 */
export function endBench({ name, broken, report, json }, printHuman) {
	if (broken !== undefined) {
		process.stderr.write(`${name} benchmark broke: ${broken.stack ?? broken}\n`);
		process.exitCode = 1;
	} else if (json) {
		process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	} else {
		printHuman();
	}
}
