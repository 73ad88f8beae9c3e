#!/usr/bin/env node
// `tools list` benchmark with 20 agents × 50 tools, run against the built
// package (`pnpm run build`, then `pnpm bench`, or on its own):
//
//   node bench/toolsList.bench.mjs [--json]
//   AGENTSPACE_BENCH_QUICK=1 node bench/toolsList.bench.mjs
//
// A real home database (WAL) is filled as the daemon fills it: 20 agents
// discovered, enabled and running, each run's tool list recorded through
// recordToolList (50 tools each, pinned at first sight), a few policies set
// through setToolPolicy and two tools drifted (their diff is computed).
// 1. listTools(db, { securityMode }) — what `tools list` reads: p50/p99 of
//    every tool (1,000 rows) and of one agent's 50. Target: ≤ 20 ms (all).
// 2. `agentspace tools list --json` end to end, when the CLI is built
//    (apps/cli/dist): a new process each time, Node's start-up included, and
//    `agentspace --version` timed alike as its baseline (the start-up alone).
//
// Informational, not gating: a missed target prints MISS and still exits 0;
// only a broken benchmark exits 1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homePaths } from '@agentspace/core';
import { closeDb, openDb, withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import { listTools, recordToolList, setToolPolicy, toolDefinitionOf } from '../dist/index.js';

const QUICK = process.env.AGENTSPACE_BENCH_QUICK === '1';
const JSON_OUT = process.argv.includes('--json');
const AGENTS = 20;
const TOOLS_PER_AGENT = 50;
const LIST_SAMPLES = QUICK ? 100 : 500;
const CLI_RUNS = QUICK ? 5 : 15;
const TARGET_MS = 20;
const cliBin = fileURLToPath(new URL('../../../apps/cli/bin/agentspace.js', import.meta.url));
const cliBuilt = existsSync(fileURLToPath(new URL('../../../apps/cli/dist/', import.meta.url)));

const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
const round = (value, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
function summarize(samples) {
	const sorted = Float64Array.from(samples).sort();
	return {
		n: sorted.length,
		p50Ms: round(percentile(sorted, 50), 3),
		p99Ms: round(percentile(sorted, 99), 3),
		maxMs: round(sorted[sorted.length - 1], 3),
	};
}
const log = (line) => {
	if (!JSON_OUT) process.stdout.write(`${line}\n`);
};
const alice = { type: 'human', id: 'alice' };

const root = mkdtempSync(join(tmpdir(), 'agentspace-bench-tools-list-'));
let db;
let broken;
let report;

function emit(type, fields) {
	withImmediateTransaction(db, (tx) =>
		appendToStream(tx, [createEvent(type, { project_key: 'agentspace', ...fields })]),
	);
}

/** A tool as an MCP server would offer it: a title, a sentence or two, a small schema. */
function toolOf(agent, index, revision = 0) {
	const definition = toolDefinitionOf({
		name: `tool_${String(index).padStart(2, '0')}`,
		title: `Tool ${index} of ${agent}`,
		description: `Does thing number ${index} for ${agent}: reads the given path and returns what it found, with line numbers.${revision > 0 ? ` Revision ${revision}.` : ''}`,
		inputSchema: {
			type: 'object',
			properties: {
				path: { type: 'string', description: 'A path inside the workspace' },
				limit: { type: 'integer', minimum: 1, maximum: 1000 },
				pattern: { type: 'string' },
			},
			required: ['path'],
			additionalProperties: false,
		},
		...(index % 5 === 0
			? {
					outputSchema: {
						type: 'object',
						properties: { matches: { type: 'array', items: { type: 'string' } } },
					},
				}
			: {}),
		annotations: { readOnlyHint: index % 2 === 0, openWorldHint: false },
	});
	if ('problem' in definition) throw new Error(`bad bench tool: ${definition.problem}`);
	return definition;
}

function fillRegistry() {
	const hash = (c) => c.repeat(64);
	for (let a = 0; a < AGENTS; a++) {
		const agentId = `agent-${String(a + 1).padStart(2, '0')}`;
		emit('agent_discovered', {
			agent_id: agentId,
			name: agentId,
			version: '1.0.0',
			manifest_path: `/src/${agentId}/agentspace.agent.json`,
			manifest_hash: hash('1'),
			permissions_hash: hash('2'),
			requested_permissions: [],
		});
		emit('agent_enabled', {
			agent_id: agentId,
			approved_permissions: [],
			manifest_hash: hash('1'),
			permissions_hash: hash('2'),
		});
		emit('agent_run_started', {
			agent_id: agentId,
			run_id: `run-${a + 1}`,
			pid: 1000 + a,
			sandboxed: true,
			restart_policy: 'no',
		});
		const tools = Array.from({ length: TOOLS_PER_AGENT }, (_, i) => toolOf(agentId, i));
		recordToolList(db, { agentId, runId: `run-${a + 1}`, tools });
		if (a === 0) {
			// A changed listing: two tools drift (their diff is part of every list).
			const changed = tools.map((tool, i) => (i < 2 ? toolOf(agentId, i, 1) : tool));
			recordToolList(db, { agentId, runId: `run-${a + 1}`, tools: changed });
		}
		if (a % 4 === 1) setToolPolicy(db, { agentId, tool: '*', policy: 'deny', actor: alice });
		if (a % 4 === 2) setToolPolicy(db, { agentId, tool: 'tool_03', policy: 'allow', actor: alice });
	}
}

function timeCli(home, argv) {
	const samples = [];
	let stdout = '';
	for (let i = 0; i < CLI_RUNS; i++) {
		const started = performance.now();
		const result = spawnSync(process.execPath, [cliBin, '--home', home, ...argv], {
			encoding: 'utf8',
			env: { PATH: process.env.PATH, HOME: process.env.HOME },
			timeout: 60_000,
		});
		samples.push(performance.now() - started);
		if (result.status !== 0)
			throw new Error(`agentspace ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
		stdout = result.stdout;
	}
	return { stats: summarize(samples), stdout };
}

try {
	const home = join(root, 'home');
	mkdirSync(home, { recursive: true });
	db = openDb({ path: homePaths(home).dbFile });
	log(`filling the registry: ${AGENTS} agents × ${TOOLS_PER_AGENT} tools…`);
	fillRegistry();

	const all = listTools(db, { securityMode: 'limited-control' });
	if (all.length !== AGENTS * TOOLS_PER_AGENT)
		throw new Error(`listTools gave ${all.length} tools, expected ${AGENTS * TOOLS_PER_AGENT}`);
	if (all.filter((row) => row.state === 'drifted').length !== 2)
		throw new Error('expected 2 drifted tools');

	log(`listTools: ${LIST_SAMPLES} times each…`);
	for (let i = 0; i < 20; i++) listTools(db, { securityMode: 'limited-control' });
	const allSamples = [];
	const oneSamples = [];
	for (let i = 0; i < LIST_SAMPLES; i++) {
		let started = performance.now();
		listTools(db, { securityMode: 'limited-control' });
		allSamples.push(performance.now() - started);
		started = performance.now();
		listTools(db, { securityMode: 'limited-control', agentId: 'agent-07' });
		oneSamples.push(performance.now() - started);
	}
	closeDb(db);
	db = undefined;

	let cli;
	if (cliBuilt) {
		log(`agentspace tools list --json: ${CLI_RUNS} runs, and --version as the start-up baseline…`);
		const listed = timeCli(home, ['tools', 'list', '--json']);
		const count = JSON.parse(listed.stdout).count;
		if (count !== AGENTS * TOOLS_PER_AGENT)
			throw new Error(`tools list --json gave ${count} tools`);
		const version = timeCli(home, ['--version']);
		cli = {
			runs: CLI_RUNS,
			toolsListJson: listed.stats,
			versionBaseline: version.stats,
			addedP50Ms: round(listed.stats.p50Ms - version.stats.p50Ms, 1),
		};
	}
	report = {
		agents: AGENTS,
		toolsPerAgent: TOOLS_PER_AGENT,
		listTools: {
			all: summarize(allSamples),
			oneAgent: summarize(oneSamples),
			targetMs: TARGET_MS,
		},
		cli: cli ?? 'skipped: apps/cli is not built',
	};
} catch (error) {
	broken = error;
} finally {
	if (db !== undefined) closeDb(db);
	rmSync(root, { recursive: true, force: true });
}

if (broken !== undefined) {
	process.stderr.write(`tools list benchmark broke: ${broken.stack ?? broken}\n`);
	process.exitCode = 1;
} else if (JSON_OUT) {
	process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
	const verdict = (ok) => (ok ? 'PASS' : 'MISS');
	const row = (label, s) =>
		`  ${label.padEnd(34)} p50 ${`${s.p50Ms} ms`.padStart(10)}  p99 ${`${s.p99Ms} ms`.padStart(10)}  max ${s.maxMs} ms`;
	const { all, oneAgent } = report.listTools;
	log('');
	log(`tools list: ${AGENTS} agents × ${TOOLS_PER_AGENT} tools (2 drifted, some policies)`);
	log(row('listTools, every tool', all));
	log(row('listTools, one agent (50)', oneAgent));
	log(
		`  → every tool p99 ${all.p99Ms} ms (target ≤ ${TARGET_MS} ms): ${verdict(all.p99Ms <= TARGET_MS)}`,
	);
	if (typeof report.cli === 'string') log(`  CLI ${report.cli}`);
	else {
		log(row('agentspace tools list --json', report.cli.toolsListJson));
		log(row('agentspace --version (start-up)', report.cli.versionBaseline));
		log(
			`  (end to end, a new process each run; the list adds ${report.cli.addedP50Ms} ms at p50 to the CLI's start-up)`,
		);
	}
}
