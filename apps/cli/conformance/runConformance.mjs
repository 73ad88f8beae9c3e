#!/usr/bin/env node
// Runs the official MCP conformance suite (@modelcontextprotocol/conformance,
// its server scenarios) against `agentspace mcp --http`: a real daemon in a
// temporary home with the fixture MCP agent running, sandboxed, so the
// endpoint lists real tools. Prints scenario → result and exits non-zero on
// an unexpected failure or an unexpected pass (a stale expected-failures entry).
//
//   node conformance/runConformance.mjs [--scenario <name>] [--out <dir>] [--keep]
//
// Exit codes: 0 as expected, 1 an unexpected result (or a step failed),
// 2 cannot run here (no Node >= 22 for the suite, bad arguments).
import { spawn, spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMcpFixtureAgentRepo, freePort } from '@agentspace/testing';
import { startAuthProxy } from './authProxy.mjs';
import { findConformanceNode } from './conformanceNode.mjs';
import { readExpectedFailures, scenarioOutcome, verdictOf } from './conformanceResults.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CLI_DIR = resolve(HERE, '..');
const REPO_ROOT = resolve(CLI_DIR, '../..');
const CLI_BIN = join(CLI_DIR, 'bin', 'agentspace.js');
const SUITE = join(
	CLI_DIR,
	'node_modules',
	'@modelcontextprotocol',
	'conformance',
	'dist',
	'index.js',
);
const EXPECTED_FAILURES = join(HERE, 'expected-failures.yml');
const AGENT = 'mcp-fixture';

const say = (text) => process.stderr.write(`conformance: ${text}\n`);

function usage(message) {
	process.stderr.write(
		`error[USAGE]: ${message}\nhint: node conformance/runConformance.mjs [--scenario <name>] [--out <dir>] [--keep]\n`,
	);
	process.exit(2);
}

function parseArgs(argv) {
	const options = { scenario: undefined, out: undefined, keep: false };
	for (let i = 0; i < argv.length; i += 1) {
		const arg = argv[i];
		if (arg === '--keep') options.keep = true;
		else if (arg === '--scenario' || arg === '--out') {
			const value = argv[i + 1];
			if (value === undefined || value.startsWith('--')) usage(`${arg} needs a value`);
			options[arg.slice(2)] = value;
			i += 1;
		} else usage(`unknown argument ${JSON.stringify(arg)}`);
	}
	return options;
}

function newestMtime(dir, keep) {
	let newest = 0;
	if (!existsSync(dir)) return newest;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) {
			if (entry.name !== 'node_modules') newest = Math.max(newest, newestMtime(path, keep));
		} else if (keep(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
	}
	return newest;
}

// The CLI bundles its own sources and the workspace packages' dist: it is
// stale when any of them is newer than its bundle.
function ensureCliBuilt() {
	const bundle = join(CLI_DIR, 'dist', 'bin.js');
	const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
	const sources = Math.max(
		newestMtime(join(CLI_DIR, 'src'), (name) => name.endsWith('.ts') && !name.endsWith('.test.ts')),
		...readdirSync(join(REPO_ROOT, 'packages')).map((pkg) =>
			newestMtime(join(REPO_ROOT, 'packages', pkg, 'dist'), (name) => name.endsWith('.js')),
		),
	);
	if (built > 0 && built >= sources) return;
	say(
		built === 0
			? 'apps/cli/dist is missing: building the CLI'
			: 'apps/cli/dist is stale: building the CLI',
	);
	const result = spawnSync('pnpm', ['build'], { cwd: CLI_DIR, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('the CLI build failed (cd apps/cli && pnpm build)');
}

function cli(home, args) {
	const result = spawnSync(process.execPath, [CLI_BIN, '--home', home, ...args], {
		encoding: 'utf8',
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' },
		timeout: 120_000,
	});
	if (result.status !== 0) {
		throw new Error(
			`agentspace ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}`,
		);
	}
	return result.stdout;
}

const cliJson = (home, args) => JSON.parse(cli(home, [...args, '--json']));

async function waitForTools(home) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const { tools } = cliJson(home, ['tools', 'list']);
		const ours = tools.filter((tool) => tool.target.startsWith(`${AGENT}/`));
		if (ours.length > 0) return ours.length;
		if (Date.now() > deadline) throw new Error(`${AGENT} listed no tools within 60 s`);
		await new Promise((done) => setTimeout(done, 250));
	}
}

function runSuite(node, args, logFile) {
	return new Promise((done, fail) => {
		const child = spawn(node, [SUITE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		const chunks = [];
		child.stdout.on('data', (chunk) => chunks.push(chunk));
		child.stderr.on('data', (chunk) => chunks.push(chunk));
		// A scenario times out by itself (30 s); the whole suite gets ten minutes.
		const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
		child.once('error', fail);
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			const output = Buffer.concat(chunks).toString('utf8');
			writeFileSync(logFile, output);
			done({ code: code ?? signal, output });
		});
	});
}

function printTable(rows) {
	const width = Math.max(...rows.map((row) => row.scenario.length), 'scenario'.length);
	const resultWidth = Math.max(...rows.map((row) => row.label.length), 'result'.length);
	const line = (a, b, c) => `${a.padEnd(width)}  ${b.padEnd(resultWidth)}  ${c}`.trimEnd();
	const out = [
		line('scenario', 'result', 'why'),
		line('-'.repeat(width), '-'.repeat(resultWidth), '---'),
	];
	for (const row of rows) out.push(line(row.scenario, row.label, row.why));
	process.stdout.write(`${out.join('\n')}\n`);
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const found = findConformanceNode({ env: process.env, repoRoot: REPO_ROOT });
	if ('refusal' in found) {
		process.stderr.write(`error[UNSUPPORTED_NODE]: ${found.refusal}\nhint: ${found.hint}\n`);
		process.exit(2);
	}
	if (!existsSync(SUITE)) {
		process.stderr.write(
			'error[NOT_INSTALLED]: @modelcontextprotocol/conformance is not installed\nhint: pnpm install (it is a dev dependency of apps/cli)\n',
		);
		process.exit(2);
	}
	const expected = readExpectedFailures(readFileSync(EXPECTED_FAILURES, 'utf8'));
	ensureCliBuilt();

	const home = mkdtempSync(join(tmpdir(), 'agentspace-conformance-'));
	// One fixed place by default, replaced by each run: results never pile up.
	const out = resolve(options.out ?? join(tmpdir(), 'agentspace-conformance-results'));
	rmSync(out, { recursive: true, force: true });
	mkdirSync(out, { recursive: true });
	const repo = createMcpFixtureAgentRepo();
	let proxy;
	try {
		say(`home ${home}; suite under Node ${found.version} (${found.node})`);
		cli(home, ['agents', 'install', repo.url]);
		cli(home, ['agents', 'enable', AGENT, '--all']);
		cli(home, ['tools', 'allow', `${AGENT}/*`]);
		cli(home, ['agents', 'run', AGENT]);
		say(`${AGENT} running, ${await waitForTools(home)} tools listed`);
		const port = await freePort();
		const serving = cliJson(home, ['mcp', '--http', '--port', String(port)]);
		const { token } = cliJson(home, ['mcp', 'token', '--name', 'conformance', '--expires', '1h']);
		proxy = await startAuthProxy({ targetPort: port, token });
		say(`endpoint ${serving.url}, reached through the token-adding proxy at ${proxy.url}`);

		const args = [
			'server',
			'--url',
			proxy.url,
			'--expected-failures',
			EXPECTED_FAILURES,
			'-o',
			out,
		];
		if (options.scenario !== undefined) args.push('--scenario', options.scenario);
		const suite = await runSuite(found.node, args, join(out, 'suite.log'));
		if (typeof suite.code !== 'number') throw new Error(`the suite was killed (${suite.code})`);
		// Its own account only when it disagrees (it is long): the table says the rest.
		if (suite.code !== 0) process.stderr.write(suite.output);

		const outcomes = readdirSync(out, { withFileTypes: true })
			.filter((entry) => entry.isDirectory() && existsSync(join(out, entry.name, 'checks.json')))
			.map((entry) =>
				scenarioOutcome(
					entry.name,
					JSON.parse(readFileSync(join(out, entry.name, 'checks.json'), 'utf8')),
				),
			);
		const verdict = verdictOf(outcomes, expected, { all: options.scenario === undefined });
		printTable(verdict.rows);
		process.stdout.write(`${verdict.summary}\nresults and the suite's log: ${out}\n`);
		// The suite judges the same baseline; either seeing a surprise fails the run.
		return verdict.ok && suite.code === 0 ? 0 : 1;
	} finally {
		await proxy?.close();
		spawnSync(process.execPath, [CLI_BIN, '--home', home, 'daemon', 'stop', '--timeout', '5'], {
			stdio: 'ignore',
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
		});
		repo.cleanup();
		if (options.keep) say(`kept the home ${home}`);
		else rmSync(home, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(
			`conformance: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		process.exit(1);
	},
);
