#!/usr/bin/env node
// MCP agents benchmark: what the daemon costs with 20 idle MCP agents
// connected, next to the same daemon idle with none, in one run.
//
//   node bench/mcpAgents.bench.mjs [--agents N] [--unsandboxed] [--json]
//
// 20 copies of the fixture MCP agent (packages/testing/fixtures/mcp-agent,
// 50 tools each: echo, add, slow, fail and 46 more, one tools/list page) are
// installed, enabled and run by a real daemon (`agentspace daemon start`,
// then `agents run`, sandboxed unless --unsandboxed) exactly as a user would;
// the daemon connects to each (initialize, tools/list, recorded in the
// registry) and pings it every 15 s.
// 1. Daemon memory: the daemon process's own VmRSS (/proc/<pid>/status; not
//    its children) idle with no agents, then once `daemon status` lists all
//    the agents connected and a few seconds have passed. Target ≤ 80 MB.
// 2. `agentspace tools list --json` end to end against that home (20 × 50
//    tools recorded by the daemon), a new process each run, beside
//    `agentspace --version` as the start-up baseline.
//
// Informational, not gating: a missed target prints MISS and still exits 0;
// only a broken benchmark exits 1. Everything runs in temporary directories
// removed at the end; the daemon is stopped (killed if it will not stop).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createMcpFixtureAgentRepo } from '@agentspace/testing';

import {
	benchArgs,
	benchHome,
	cliRunner,
	endBench,
	logger,
	sleep,
	stopBenchDaemon,
	verdict,
	waitFor,
} from './benchCli.mjs';

const RSS_TARGET_MB = 80;
const TOOLS_PER_AGENT = 50; // the fixture's 4 + --many-tools 46
const CLI_RUNS = 10;
const { args, json, option } = benchArgs();
const agentCount = option('--agents', 20);
const unsandboxed = args.includes('--unsandboxed');
const { bin, root, home, env } = benchHome('agentspace-bench-mcp-');

const round = (value, digits = 1) => Number(value.toFixed(digits));
const mb = (bytes) => round(bytes / 1024 / 1024);
const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[Math.floor(values.length / 2)];
const p99 = (values) => sorted(values)[Math.ceil(values.length * 0.99) - 1];
const log = logger(json);

const { cli, cliJson } = cliRunner({ bin, home, env, timeoutMs: 60_000 });

/** The same, without blocking, so a few can run at once. */
function cliAsync(argv, timeout = 60_000) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [bin, '--home', home, ...argv], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout,
			killSignal: 'SIGKILL',
		});
		let err = '';
		child.stdout.resume();
		child.stderr.setEncoding('utf8').on('data', (chunk) => {
			err += chunk;
		});
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0
				? resolve()
				: reject(new Error(`agentspace ${argv.join(' ')} exited ${code}: ${err}`)),
		);
	});
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function pool(items, limit, task) {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			await task(items[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A `kB` field of /proc/<pid>/status, in bytes. */
function statusKb(pid, field) {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
		readFileSync(`/proc/${pid}/status`, 'utf8'),
	);
	return match === null ? 0 : Number(match[1]) * 1024;
}

/** The daemon's RSS as /proc has it and as `daemon status` reports it, with its connected MCP agents. */
function daemonMemory() {
	const status = cliJson(['daemon', 'status']);
	return {
		pid: status.pid,
		mcpAgents: status.mcpAgents ?? [],
		reportedBytes: status.rssBytes,
		vmRssBytes: statusKb(status.pid, 'VmRSS'),
		vmHwmBytes: statusKb(status.pid, 'VmHWM'),
	};
}

function timeCli(argv) {
	const samples = [];
	let stdout = '';
	for (let i = 0; i < CLI_RUNS; i++) {
		const started = performance.now();
		stdout = cli(argv);
		samples.push(performance.now() - started);
	}
	return {
		stdout,
		medianMs: round(median(samples), 1),
		p99Ms: round(p99(samples), 1),
	};
}

const repos = [];
let daemonPid;
let broken;
let report;
try {
	const ids = Array.from({ length: agentCount }, (_, i) => `mcp-${String(i + 1).padStart(2, '0')}`);
	for (const id of ids)
		repos.push(
			createMcpFixtureAgentRepo({
				args: ['--many-tools', String(TOOLS_PER_AGENT - 4), '--page-size', '100'],
				manifest: { id, name: `Bench ${id}` },
			}),
		);
	log(`installing and enabling ${agentCount} fixture MCP agents…`);
	cli(['agents', 'install', repos[0].url]); // creates and migrates the home first
	await pool(ids, 4, async (id, i) => {
		if (i > 0) await cliAsync(['agents', 'install', repos[i].url]);
		await cliAsync(['agents', 'enable', id, '--all']);
	});

	daemonPid = cliJson(['daemon', 'start']).pid;
	await sleep(3000);
	const idle = daemonMemory();
	if (idle.pid !== daemonPid) throw new Error(`daemon pid ${idle.pid}, started as ${daemonPid}`);

	log(`running them (${unsandboxed ? 'unsandboxed' : 'sandboxed'})…`);
	const runMs = [];
	for (const id of ids) {
		const started = performance.now();
		const run = cliJson(['agents', 'run', id, ...(unsandboxed ? ['--unsandboxed'] : [])]);
		runMs.push(performance.now() - started);
		if (!unsandboxed && run.sandboxed !== true) throw new Error(`${id} is not sandboxed`);
	}
	await waitFor(
		() => {
			const connected = daemonMemory().mcpAgents;
			return (
				connected.length === agentCount &&
				connected.every((agent) => agent.tools === TOOLS_PER_AGENT && agent.health === 'healthy')
			);
		},
		`all ${agentCount} agents connected with ${TOOLS_PER_AGENT} tools each`,
		120_000,
	);
	// Idle: connected, listed and recorded; let start-up garbage be collected
	// and a round of pings (every 15 s) go by, then take a few readings.
	await sleep(16_000);
	const readings = [];
	for (let i = 0; i < 5; i++) {
		readings.push(daemonMemory());
		await sleep(1000);
	}
	const loadedRss = median(readings.map((reading) => reading.vmRssBytes));
	const loadedReported = median(readings.map((reading) => reading.reportedBytes));
	const last = readings[readings.length - 1];
	if (last.mcpAgents.length !== agentCount)
		throw new Error(`${last.mcpAgents.length} agents connected, expected ${agentCount}`);

	log(`agentspace tools list --json: ${CLI_RUNS} runs, and --version as the start-up baseline…`);
	const listed = timeCli(['tools', 'list', '--json']);
	const count = JSON.parse(listed.stdout).count;
	if (count !== agentCount * TOOLS_PER_AGENT) throw new Error(`tools list --json gave ${count}`);
	const version = timeCli(['--version']);

	cli(['agents', 'stop', '--all']);
	cli(['daemon', 'stop', '--timeout', '5']);
	daemonPid = undefined;
	report = {
		agents: agentCount,
		sandboxed: !unsandboxed,
		toolsPerAgent: TOOLS_PER_AGENT,
		idle: { rssMb: mb(idle.vmRssBytes), reportedRssMb: mb(idle.reportedBytes) },
		loaded: {
			rssMb: mb(loadedRss),
			reportedRssMb: mb(loadedReported),
			peakRssMb: mb(last.vmHwmBytes),
			ratio: round(loadedRss / idle.vmRssBytes, 2),
			perAgentMb: round((loadedRss - idle.vmRssBytes) / 1024 / 1024 / agentCount, 2),
		},
		agentsRunMedianMs: round(median(runMs)),
		targetMb: RSS_TARGET_MB,
		toolsListCli: {
			runs: CLI_RUNS,
			tools: count,
			medianMs: listed.medianMs,
			p99Ms: listed.p99Ms,
			versionMedianMs: version.medianMs,
		},
	};
} catch (error) {
	broken = error;
} finally {
	if (daemonPid !== undefined) {
		stopBenchDaemon({ bin, home, env, pid: daemonPid, agents: true });
	}
	for (const repo of repos) repo.cleanup();
	rmSync(root, { recursive: true, force: true });
}

endBench({ name: 'MCP agents', broken, report, json }, () => {
	const { idle, loaded, toolsListCli: list } = report;
	const how = report.sandboxed ? 'sandboxed' : 'unsandboxed';
	log('');
	log(
		`daemon memory with ${report.agents} idle MCP agents connected (${how}, ${report.toolsPerAgent} tools each; the daemon process only)`,
	);
	log(
		`  ${'idle daemon, 0 agents'.padEnd(26)} ${`${idle.rssMb} MB`.padStart(9)}  (baseline; daemon status says ${idle.reportedRssMb} MB)`,
	);
	log(
		`  ${`daemon, ${report.agents} MCP agents`.padEnd(26)} ${`${loaded.rssMb} MB`.padStart(9)}  ${loaded.ratio}×, +${loaded.perAgentMb} MB/agent, peak ${loaded.peakRssMb} MB (daemon status says ${loaded.reportedRssMb} MB)`,
	);
	log(`  agents run returns in ${report.agentsRunMedianMs} ms (median)`);
	log(
		`  → daemon ${loaded.rssMb} MB with ${report.agents} MCP agents (target ≤ ${RSS_TARGET_MB} MB): ${verdict(loaded.rssMb <= RSS_TARGET_MB)}`,
	);
	log(
		`tools list --json end to end (${list.tools} tools recorded by the daemon, a new process each run): median ${list.medianMs} ms, p99 ${list.p99Ms} ms; agentspace --version ${list.versionMedianMs} ms`,
	);
});
