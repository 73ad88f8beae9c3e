#!/usr/bin/env node
// Launcher benchmark: what running agents costs, each figure next to a baseline
// measured in the same run (so machine noise hits both alike).
//
//   node bench/launcher.bench.mjs [--runs N] [--agents N] [--json]
//
// 1. First output: wall time from spawning `agentspace agents run <id> --foreground`
//    to the agent's first line echoed on stdout (`│ ready pid=…`), sandboxed and
//    --unsandboxed, against `node agent.mjs` printing the same line directly.
//    Interleaved, median and p90 of N runs; each run is stopped with SIGINT and
//    waited for. Target: sandboxed median ≤ 500 ms.
//    A sandboxed run with a network approval (bwrap started directly too,
//    with the socat bridges to its door into the supervisor's proxy) is timed too.
// 2. Daemon memory: the daemon's own RSS (not its children) with 20 idle
//    sandboxed agents, against the same daemon idle with none. Target ≤ 80 MB.
// 3. Sandbox cost per agent, from the same run: for each of the 20 agents
//    (no network approval: bwrap started directly) and 3 more with one
//    (bwrap, the bridges and the seccomp helper; their proxy in the daemon,
//    whose PSS growth meanwhile is charged to them, shared out), the processes of its sandbox
//    beyond the agent's own and their PSS (/proc/<pid>/smaps_rollup, shared
//    pages divided among their users), against the agent's own PSS. Targets:
//    ≤ 3 processes and ≤ 10 MB without network approval, ≤ 15 MB with one.
//    Zombies in the trees, and left after the stops, are counted (target 0).
//
// Informational, not gating: a missed target prints OVER TARGET and still exits
// 0; only a broken benchmark exits 1. Processes it started that outlive their
// stop are reported as LEFT BEHIND (and killed). Everything runs in temporary
// homes that are removed at the end.
import { spawn, spawnSync } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const LATENCY_TARGET_MS = 500;
const RSS_TARGET_MB = 80;
const SANDBOX_PROCESSES_TARGET = 3;
const SANDBOX_PSS_TARGET_MB = 10;
const SANDBOX_NETWORK_PSS_TARGET_MB = 15;
const NETWORK_AGENTS = 3;
const NETWORK_PERMISSION = 'network:egress:example.com';
const args = process.argv.slice(2);
const option = (name, fallback) => {
	const index = args.indexOf(name);
	return index === -1 ? fallback : Number(args[index + 1]);
};
const runs = option('--runs', 15);
const agentCount = option('--agents', 20);
const json = args.includes('--json');
const bin = fileURLToPath(new URL('../bin/agentspace.js', import.meta.url));
const fixtureAgent = fileURLToPath(
	new URL('../../../packages/testing/fixtures/run-agent/agent.mjs', import.meta.url),
);
// `ready pid=…` at once, then idle (a tick every 10 minutes).
const AGENT_ARGS = ['agent.mjs', '--every', '600000'];

const root = mkdtempSync(join(tmpdir(), 'agentspace-bench-launcher-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const gitEnv = {
	PATH: process.env.PATH,
	HOME: root,
	GIT_CONFIG_NOSYSTEM: '1',
	GIT_CONFIG_GLOBAL: '/dev/null',
	GIT_AUTHOR_NAME: 'AgentSpace Bench',
	GIT_AUTHOR_EMAIL: 'bench@agentspace.invalid',
	GIT_COMMITTER_NAME: 'AgentSpace Bench',
	GIT_COMMITTER_EMAIL: 'bench@agentspace.invalid',
};

// ---------------------------------------------------------------- helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => process.hrtime.bigint();
const msSince = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const sorted = (values) => [...values].sort((a, b) => a - b);
const median = (values) => sorted(values)[Math.floor(values.length / 2)];
const p90 = (values) => sorted(values)[Math.ceil(values.length * 0.9) - 1];
const round = (value, digits = 1) => Number(value.toFixed(digits));
const mb = (bytes) => round(bytes / 1024 / 1024);
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips colour codes, should any appear
const stripAnsi = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Runs the CLI to completion against `home`; throws unless it exits 0. */
function cli(home, argv, timeout = 60_000) {
	const result = spawnSync(process.execPath, [bin, '--home', home, ...argv], {
		env,
		encoding: 'utf8',
		timeout,
	});
	if (result.error) throw result.error;
	if (result.status !== 0)
		throw new Error(`agentspace ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
	return result.stdout;
}
const cliJson = (home, argv) => JSON.parse(cli(home, [...argv, '--json']));

/** The same, without blocking, so a few can run at once. */
function cliAsync(home, argv, timeout = 60_000) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [bin, '--home', home, ...argv], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout,
			killSignal: 'SIGKILL',
		});
		let out = '';
		let err = '';
		child.stdout.setEncoding('utf8').on('data', (chunk) => {
			out += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', (chunk) => {
			err += chunk;
		});
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve(out);
			else reject(new Error(`agentspace ${argv.join(' ')} exited ${code}: ${err}`));
		});
	});
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function pool(items, limit, task) {
	const results = [];
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await task(items[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}

/** A git repository (branch main) holding the fixture agent under `id`. */
function createAgentRepo(id, permissions = []) {
	const path = join(root, 'repos', id);
	mkdirSync(path, { recursive: true });
	const git = (...argv) => execGit(path, argv);
	git('init', '--quiet', '--initial-branch=main');
	copyFileSync(fixtureAgent, join(path, 'agent.mjs'));
	const manifest = {
		id,
		name: `Bench ${id}`,
		version: '1.0.0',
		entrypoint: { command: 'node', args: AGENT_ARGS },
		permissions,
	};
	writeFileSync(join(path, 'agentspace.agent.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
	git('add', '--all');
	git('commit', '--quiet', '-m', id);
	return { path, url: pathToFileURL(path).href };
}
function execGit(cwd, argv) {
	const result = spawnSync('git', argv, { cwd, env: gitEnv, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`git ${argv.join(' ')} failed: ${result.stderr}`);
}

// ---------------------------------------------------------------- /proc

/** pid, state, ppid and start time (to tell a reused pid apart), or undefined once gone. */
function procStat(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const close = text.lastIndexOf(')');
		const fields = text.slice(close + 2).split(' ');
		const comm = text.slice(text.indexOf('(') + 1, close);
		return { pid, comm, state: fields[0], ppid: Number(fields[1]), start: fields[19] };
	} catch {
		return undefined;
	}
}
function allProcs() {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map((name) => procStat(Number(name)))
		.filter((proc) => proc !== undefined);
}
/** `pid` and every process below it. */
function processTree(pid, procs = allProcs()) {
	const top = procs.find((proc) => proc.pid === pid);
	if (top === undefined) return [];
	const tree = [top];
	for (let i = 0; i < tree.length; i++) {
		for (const proc of procs) if (proc.ppid === tree[i].pid) tree.push(proc);
	}
	return tree;
}
const cmdline = (pid) => {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
	} catch {
		return '';
	}
};
/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM) or smaps_rollup (Pss), in bytes. */
function procKb(pid, file, field) {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
			readFileSync(`/proc/${pid}/${file}`, 'utf8'),
		);
		return match === null ? 0 : Number(match[1]) * 1024;
	} catch {
		return 0;
	}
}
const rssOf = (pid) => procKb(pid, 'status', 'VmRSS');
const pssOf = (pid) => procKb(pid, 'smaps_rollup', 'Pss');
/**
 * A Node process, told by its command line's program: not by its name in /proc
 * (`comm`), which Node 24 sets to `MainThread`.
 */
const isNode = (proc) => /(^|\/)node$/.test(cmdline(proc.pid).split(' ')[0] ?? '');
/** The fixture agent itself: `node agent.mjs …` (its host and bwrap name it only further on). */
const isAgent = (proc) => isNode(proc) && cmdline(proc.pid).split(' ')[1] === 'agent.mjs';

/**
 * Every process this benchmark started (or that its CLI runs started), by pid
 * and start time, so the ones still there after their stop can be found.
 */
const tracked = new Map();
const track = (procs) => {
	for (const proc of procs) tracked.set(`${proc.pid}:${proc.start}`, proc);
};

/**
 * What is still running that should not be: tracked processes that are still
 * there, and any process whose command line or directory names the temporary
 * root. Zombies are counted apart (they hold no memory; here pid 1 may not reap).
 */
function leftovers() {
	const procs = allProcs().filter((proc) => proc.pid !== process.pid);
	const ours = new Set();
	for (const proc of procs) {
		if (tracked.has(`${proc.pid}:${proc.start}`)) {
			ours.add(proc);
			continue;
		}
		let cwd = '';
		try {
			cwd = readlinkSync(`/proc/${proc.pid}/cwd`);
		} catch {}
		if (cwd.startsWith(root) || cmdline(proc.pid).includes(root)) ours.add(proc);
	}
	// And whatever those started (socat bridges name no path of ours).
	for (const parent of ours) {
		for (const proc of procs) if (proc.ppid === parent.pid) ours.add(proc);
	}
	const alive = [];
	const zombies = [];
	for (const proc of ours) {
		// The daemon detaches from its starter: its exit is pid 1's to reap, not the sandbox's.
		if (proc.state === 'Z' && daemonPids.has(proc.pid)) continue;
		if (proc.state === 'Z')
			zombies.push(describeZombie(proc, tracked.get(`${proc.pid}:${proc.start}`)));
		else alive.push({ pid: proc.pid, command: cmdline(proc.pid).slice(0, 100) });
	}
	return { alive, zombies };
}
/** `bwrap 123 (started under node 120, now under 1)`. */
function describeZombie(proc, seen) {
	if (seen === undefined || seen.ppid === proc.ppid) return `${proc.comm} ${proc.pid}`;
	const parent = [...tracked.values()].find((other) => other.pid === seen.ppid);
	return `${proc.comm} ${proc.pid} (started under ${parent?.comm ?? '?'} ${seen.ppid}, now under ${proc.ppid})`;
}
async function settleLeftovers(timeoutMs = 3000) {
	const deadline = Date.now() + timeoutMs;
	let found = leftovers();
	while (found.alive.length > 0 && Date.now() < deadline) {
		await sleep(100);
		found = leftovers();
	}
	return found;
}
/** Kills what `leftovers` found (only processes this benchmark started). */
function killLeftovers(found) {
	for (const { pid } of found.alive) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {}
	}
}
/** The sandbox-runtime's temporary sockets and directories named in the tracked command lines. */
function sandboxTempPaths() {
	const paths = new Set();
	for (const proc of tracked.values()) {
		// The library's (claude-…) and the supervisor's run proxies' (agentspace-proxy-…).
		for (const match of (proc.cmdline ?? '').matchAll(
			/\/tmp\/(?:claude-[\w.-]+|agentspace-proxy-[\w]+)/g,
		))
			paths.add(match[0]);
	}
	return [...paths];
}

// ---------------------------------------------------------------- 1. first output

const running = new Set();

/**
 * Spawns `argv` and resolves when stdout matches `pattern`, with the time it
 * took; also notes when stderr first matched `note`.
 */
function launch(argv, { cwd, pattern, note, timeoutMs = 20_000 }) {
	return new Promise((resolve, reject) => {
		const start = now();
		const child = spawn(process.execPath, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		running.add(child);
		let out = '';
		let err = '';
		let firstMs;
		let noteMs;
		const exited = new Promise((done) =>
			child.on('exit', (code, signal) => {
				running.delete(child);
				done({ code, signal });
			}),
		);
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`no first line after ${timeoutMs} ms from ${argv.join(' ')}\n${out}${err}`));
		}, timeoutMs);
		child.stdout.setEncoding('utf8').on('data', (chunk) => {
			out += chunk;
			if (firstMs === undefined && pattern.test(stripAnsi(out))) {
				firstMs = msSince(start);
				clearTimeout(timer);
				resolve({ child, firstMs, noteMs, exited, output: () => out + err });
			}
		});
		child.stderr.setEncoding('utf8').on('data', (chunk) => {
			err += chunk;
			if (noteMs === undefined && note?.test(stripAnsi(err))) noteMs = msSince(start);
		});
		child.on('error', reject);
		exited.then(({ code, signal }) => {
			if (firstMs !== undefined) return;
			clearTimeout(timer);
			reject(
				new Error(`${argv.join(' ')} ended (${signal ?? code}) before its first line\n${err}`),
			);
		});
	});
}

/** Sends `signal` and waits for the exit; returns how long the stop took. */
async function stop(run, signal) {
	const start = now();
	run.child.kill(signal);
	let timer;
	const exit = await Promise.race([
		run.exited,
		new Promise((resolve) => {
			timer = setTimeout(resolve, 20_000);
		}),
	]);
	clearTimeout(timer);
	if (exit === undefined) {
		run.child.kill('SIGKILL');
		throw new Error(`still running 20 s after ${signal}\n${run.output()}`);
	}
	return { ms: msSince(start), exit };
}

async function benchFirstOutput() {
	const home = join(root, 'latency-home');
	const setupStart = now();
	const repo = createAgentRepo('ticker');
	cli(home, ['agents', 'install', repo.url]);
	cli(home, ['agents', 'enable', 'ticker', '--all']);
	const netRepo = createAgentRepo('netticker', [NETWORK_PERMISSION]);
	cli(home, ['agents', 'install', netRepo.url]);
	cli(home, ['agents', 'enable', 'netticker', '--all']);
	const setupMs = msSince(setupStart);
	const runArgv = [bin, '--home', home, 'agents', 'run', 'ticker', '--foreground'];
	const netRunArgv = [bin, '--home', home, 'agents', 'run', 'netticker', '--foreground'];
	const cases = {
		baseline: {
			argv: AGENT_ARGS,
			cwd: repo.path,
			pattern: /^ready pid=/m,
			signal: 'SIGTERM',
		},
		unsandboxed: {
			argv: [...runArgv, '--unsandboxed'],
			pattern: /^│ ready pid=/m,
			note: /^started ticker /m,
			signal: 'SIGINT',
		},
		sandboxed: {
			argv: runArgv,
			pattern: /^│ ready pid=/m,
			note: /^started ticker /m,
			signal: 'SIGINT',
		},
		sandboxedNetwork: {
			argv: netRunArgv,
			pattern: /^│ ready pid=/m,
			note: /^started netticker /m,
			signal: 'SIGINT',
		},
	};
	const samples = Object.fromEntries(
		Object.keys(cases).map((name) => [name, { first: [], started: [], stop: [], failures: [] }]),
	);
	const once = async (name, record) => {
		const spec = cases[name];
		const run = await launch(spec.argv, spec);
		const tree = processTree(run.child.pid);
		for (const proc of tree) proc.cmdline = cmdline(proc.pid);
		track(tree);
		const stopped = await stop(run, spec.signal);
		if (!record) return;
		const sample = samples[name];
		sample.first.push(run.firstMs);
		if (run.noteMs !== undefined) sample.started.push(run.noteMs);
		sample.stop.push(stopped.ms);
		if (name !== 'baseline' && stopped.exit.code !== 0)
			sample.failures.push(`exit ${stopped.exit.signal ?? stopped.exit.code}`);
	};
	for (const name of Object.keys(cases)) await once(name, false); // warm the file cache
	for (let i = 0; i < runs; i++) {
		for (const name of Object.keys(cases)) await once(name, true);
	}
	const baseline = median(samples.baseline.first);
	const summary = (name) => {
		const sample = samples[name];
		return {
			medianMs: round(median(sample.first)),
			p90Ms: round(p90(sample.first)),
			ratio: round(median(sample.first) / baseline, 2),
			...(sample.started.length === 0 ? {} : { startedNoteMs: round(median(sample.started)) }),
			stopMs: round(median(sample.stop)),
			failedStops: sample.failures,
		};
	};
	return {
		runs,
		setupMs: round(setupMs, 0),
		baseline: { medianMs: round(baseline), p90Ms: round(p90(samples.baseline.first)) },
		unsandboxed: summary('unsandboxed'),
		sandboxed: summary('sandboxed'),
		sandboxedNetwork: summary('sandboxedNetwork'),
		targetMs: LATENCY_TARGET_MS,
	};
}

// ---------------------------------------------------------------- 2. daemon memory

async function waitFor(check, what, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

/** The daemon's RSS as it reports it and as /proc has it, plus its peak. */
function daemonMemory(home) {
	const status = cliJson(home, ['daemon', 'status']);
	return {
		pid: status.pid,
		running: status.agents.filter((agent) => agent.state === 'running').length,
		reportedBytes: status.rssBytes,
		vmRssBytes: rssOf(status.pid),
		vmHwmBytes: procKb(status.pid, 'status', 'VmHWM'),
	};
}

let daemonHome;
let daemonPid;
const daemonPids = new Set();

/**
 * Per agent, what its sandbox costs beyond the agent's own process: the
 * other processes of its tree (host, bwrap, shells, bridges…) and their PSS,
 * with the agent's own PSS to compare; medians over the agents, and the
 * zombies found in the trees.
 */
function costPerAgent(trees) {
	const per = trees.map((tree) => {
		const agent = tree.find(isAgent);
		const others = tree.filter((proc) => proc !== agent);
		return {
			processes: others.length,
			pss: others.reduce((total, proc) => total + pssOf(proc.pid), 0),
			agentPss: agent === undefined ? 0 : pssOf(agent.pid),
			zombies: tree.filter((proc) => proc.state === 'Z').length,
			makeup: others.map((proc) => proc.comm).join(', '),
		};
	});
	const pick = (field) => median(per.map((one) => one[field]));
	return {
		agents: per.length,
		processesPerAgent: pick('processes'),
		maxProcessesPerAgent: Math.max(...per.map((one) => one.processes)),
		pssMbPerAgent: mb(pick('pss')),
		agentPssMb: mb(pick('agentPss')),
		ratioToAgent: round(pick('pss') / pick('agentPss'), 2),
		zombiesInTrees: per.reduce((total, one) => total + one.zombies, 0),
		makeup: per[0]?.makeup ?? '',
	};
}

async function benchDaemonMemory() {
	const home = join(root, 'memory-home');
	const ids = Array.from(
		{ length: agentCount },
		(_, i) => `agent-${String(i + 1).padStart(2, '0')}`,
	);
	const netIds = Array.from({ length: NETWORK_AGENTS }, (_, i) => `net-${i + 1}`);
	const setupStart = now();
	const repos = [
		...ids.map((id) => createAgentRepo(id)),
		...netIds.map((id) => createAgentRepo(id, [NETWORK_PERMISSION])),
	];
	const allIds = [...ids, ...netIds];
	// Setting up is not measured; a few at a time keeps it short on small machines.
	cli(home, ['agents', 'install', repos[0].url]); // creates and migrates the home first
	await pool(allIds, 4, async (id, i) => {
		if (i > 0) await cliAsync(home, ['agents', 'install', repos[i].url]);
		await cliAsync(home, ['agents', 'enable', id, '--all']);
	});

	const setupMs = msSince(setupStart);
	daemonHome = home;
	daemonPid = cliJson(home, ['daemon', 'start']).pid;
	daemonPids.add(daemonPid);
	track([procStat(daemonPid)]);
	await sleep(1000);
	const idle = daemonMemory(home);
	if (idle.pid !== daemonPid) throw new Error(`daemon pid ${idle.pid}, started as ${daemonPid}`);

	// `agents run` one after another: each returns once the daemon has started it.
	const runMs = [];
	const started = [];
	for (const id of ids) {
		const start = now();
		started.push(cliJson(home, ['agents', 'run', id]));
		runMs.push(msSince(start));
	}
	const notSandboxed = started.filter((run) => run.sandboxed !== true).map((run) => run.id);
	if (notSandboxed.length > 0) throw new Error(`not sandboxed: ${notSandboxed.join(', ')}`);
	// Idle means started and past its first line.
	const logOf = (run) => join(home, 'logs', run.id, `${run.runId}.log`);
	await waitFor(
		() =>
			started.every(
				(run) => existsSync(logOf(run)) && /ready pid=/.test(readFileSync(logOf(run), 'utf8')),
			),
		`the first line of all ${agentCount} agents`,
	);
	await sleep(3000); // let start-up garbage be collected
	const loaded = daemonMemory(home);
	const procs = allProcs();
	const daemonChildren = procs.filter((proc) => proc.ppid === daemonPid).map((proc) => proc.pid);
	const trees = started.map((run) => processTree(run.pid, procs));
	for (const tree of trees) {
		for (const proc of tree) proc.cmdline = cmdline(proc.pid);
		track(tree);
	}
	const notChildren = started.filter((run) => !daemonChildren.includes(run.pid)).length;
	// Each tree: the sandbox host (node), bwrap, sh, socat, apply-seccomp, the agent (node).
	const sum = (list, bytes) => mb(list.reduce((total, proc) => total + bytes(proc.pid), 0));
	const members = trees.flat();
	const hosts = trees.map((tree) => tree[0]).filter((proc) => proc !== undefined);
	const agents = members.filter((proc) => isNode(proc) && !hosts.includes(proc));
	const sandboxTrees = {
		processes: members.length,
		rssMb: sum(members, rssOf),
		pssMb: sum(members, pssOf),
		hostsRssMb: sum(hosts, rssOf),
		agentsRssMb: sum(agents, rssOf),
		notDaemonChildren: notChildren,
	};
	const sandboxCost = { noNetwork: costPerAgent(trees) };

	// Then a few with a network approval, measured alike. Their filtering proxy
	// lives in the daemon (one door per run): what the daemon grows by is
	// charged to them, shared out.
	const daemonPssBeforeNet = pssOf(daemonPid);
	const netStarted = netIds.map((id) => cliJson(home, ['agents', 'run', id]));
	await waitFor(
		() =>
			netStarted.every(
				(run) => existsSync(logOf(run)) && /ready pid=/.test(readFileSync(logOf(run), 'utf8')),
			),
		`the first line of the ${NETWORK_AGENTS} agents with a network approval`,
	);
	await sleep(2000);
	const netProcs = allProcs();
	const netTrees = netStarted.map((run) => processTree(run.pid, netProcs));
	for (const tree of netTrees) {
		for (const proc of tree) proc.cmdline = cmdline(proc.pid);
		track(tree);
	}
	sandboxCost.network = costPerAgent(netTrees);
	const supervisorShareMb = mb(Math.max(0, pssOf(daemonPid) - daemonPssBeforeNet) / NETWORK_AGENTS);
	sandboxCost.network.supervisorShareMb = supervisorShareMb;
	sandboxCost.network.totalMbPerAgent = round(
		sandboxCost.network.pssMbPerAgent + supervisorShareMb,
		1,
	);

	const stopStart = now();
	cli(home, ['agents', 'stop', '--all', '--timeout', '5']);
	const stopAllMs = msSince(stopStart);
	await sleep(500);
	// What the stops left of the trees: zombies nobody reaps (their parent exited before them).
	const afterStopProcs = allProcs();
	const zombiesAfterStop = [...trees, ...netTrees]
		.flat()
		.filter((member) =>
			afterStopProcs.some(
				(proc) => proc.pid === member.pid && proc.start === member.start && proc.state === 'Z',
			),
		)
		.map((proc) => `${proc.comm} ${proc.pid}`);
	const afterStop = daemonMemory(home);
	const daemonStopStart = now();
	cli(home, ['daemon', 'stop', '--timeout', '1']);
	const daemonStopMs = msSince(daemonStopStart);
	await waitFor(
		() => procStat(daemonPid) === undefined || procStat(daemonPid).state === 'Z',
		'the daemon to exit',
		10_000,
	);
	daemonPid = undefined;

	return {
		agents: agentCount,
		runningAgents: loaded.running,
		setupMs: round(setupMs, 0),
		idle: { rssMb: mb(idle.vmRssBytes), reportedRssMb: mb(idle.reportedBytes) },
		loaded: {
			rssMb: mb(loaded.vmRssBytes),
			reportedRssMb: mb(loaded.reportedBytes),
			peakRssMb: mb(loaded.vmHwmBytes),
			ratio: round(loaded.vmRssBytes / idle.vmRssBytes, 2),
			perAgentMb: round((loaded.vmRssBytes - idle.vmRssBytes) / 1024 / 1024 / agentCount, 2),
		},
		afterStopAllRssMb: mb(afterStop.vmRssBytes),
		sandboxTrees,
		sandboxCost,
		zombiesAfterStop,
		agentsRunMedianMs: round(median(runMs)),
		stopAllMs: round(stopAllMs),
		daemonStopMs: round(daemonStopMs),
		targetMb: RSS_TARGET_MB,
	};
}

// ---------------------------------------------------------------- main

const report = { node: process.versions.node };
let broken;
try {
	const tempBefore = new Set(
		readdirSync(tmpdir()).filter(
			(name) => name.startsWith('claude-') || name.startsWith('agentspace-proxy-'),
		),
	);
	report.firstOutput = await benchFirstOutput();
	report.leftAfterFirstOutput = await settleLeftovers();
	report.daemonMemory = await benchDaemonMemory();
	report.leftAfterDaemon = await settleLeftovers();
	report.sandboxTempSeen = sandboxTempPaths().length;
	report.sandboxTempLeft = sandboxTempPaths().filter(
		(path) => existsSync(path) && !tempBefore.has(path.slice('/tmp/'.length)),
	);
} catch (error) {
	broken = error;
} finally {
	for (const child of running) child.kill('SIGKILL');
	if (daemonPid !== undefined) {
		spawnSync(process.execPath, [bin, '--home', daemonHome, 'daemon', 'stop', '--timeout', '1'], {
			env,
			timeout: 30_000,
		});
		try {
			process.kill(daemonPid, 'SIGKILL');
		} catch {}
	}
	killLeftovers(await settleLeftovers(broken === undefined ? 0 : 2000));
	for (const path of report.sandboxTempLeft ?? []) rmSync(path, { recursive: true, force: true });
	rmSync(root, { recursive: true, force: true });
}

if (broken !== undefined) {
	process.stderr.write(`launcher benchmark broke: ${broken.stack ?? broken}\n`);
	process.exitCode = 1;
} else {
	const { firstOutput: first, daemonMemory: memory } = report;
	const latencyOk = first.sandboxed.medianMs <= LATENCY_TARGET_MS;
	const memoryOk = memory.loaded.rssMb <= RSS_TARGET_MB;
	const { noNetwork, network } = memory.sandboxCost;
	const sandboxOk =
		noNetwork.maxProcessesPerAgent <= SANDBOX_PROCESSES_TARGET &&
		noNetwork.pssMbPerAgent <= SANDBOX_PSS_TARGET_MB;
	const networkOk = network.totalMbPerAgent <= SANDBOX_NETWORK_PSS_TARGET_MB;
	const left = [report.leftAfterFirstOutput, report.leftAfterDaemon];
	const leftAlive = left.flatMap((found) => found.alive);
	const zombies = left.flatMap((found) => found.zombies);
	const zombieCount =
		zombies.length +
		memory.zombiesAfterStop.length +
		noNetwork.zombiesInTrees +
		network.zombiesInTrees;
	const zombiesOk = zombieCount === 0;
	const failedStops = [
		...first.unsandboxed.failedStops,
		...first.sandboxed.failedStops,
		...first.sandboxedNetwork.failedStops,
	];
	if (json) {
		process.stdout.write(
			`${JSON.stringify({
				...report,
				ok: {
					latency: latencyOk,
					memory: memoryOk,
					sandbox: sandboxOk,
					sandboxNetwork: networkOk,
					zombies: zombiesOk,
				},
			})}\n`,
		);
	} else {
		const verdict = (ok) => (ok ? 'OK' : 'OVER TARGET');
		const row = (label, s) =>
			`  ${label.padEnd(26)} ${`${s.medianMs} ms`.padStart(9)}  p90 ${`${s.p90Ms} ms`.padStart(9)}  ${`${s.ratio}×`.padStart(6)}  stop ${s.stopMs} ms  (CLI "started" at ${s.startedNoteMs} ms)`;
		const trees = memory.sandboxTrees;
		const cost = (label, c) =>
			`  ${`${label} (${c.agents})`.padEnd(26)} ${`${c.pssMbPerAgent} MB`.padStart(9)}  ${c.processesPerAgent} processes (${c.makeup}); the agent itself ${c.agentPssMb} MB, ${c.ratioToAgent}×`;
		const lines = [
			`first output of agents run --foreground (median, p90 of ${first.runs}; node ${report.node})`,
			`  ${'node agent.mjs (baseline)'.padEnd(26)} ${`${first.baseline.medianMs} ms`.padStart(9)}  p90 ${`${first.baseline.p90Ms} ms`.padStart(9)}`,
			row('--unsandboxed', first.unsandboxed),
			row('sandboxed', first.sandboxed),
			row('sandboxed, network approved', first.sandboxedNetwork),
			`  → sandboxed median ${first.sandboxed.medianMs} ms, ${first.sandboxed.ratio}× node (target ≤ ${LATENCY_TARGET_MS} ms): ${verdict(latencyOk)}`,
			`daemon memory with ${memory.agents} idle sandboxed agents (the daemon process only)`,
			`  ${'idle daemon, 0 agents'.padEnd(26)} ${`${memory.idle.rssMb} MB`.padStart(9)}  (baseline; daemon status says ${memory.idle.reportedRssMb} MB)`,
			`  ${`daemon, ${memory.runningAgents} agents`.padEnd(26)} ${`${memory.loaded.rssMb} MB`.padStart(9)}  ${memory.loaded.ratio}×, +${memory.loaded.perAgentMb} MB/agent, peak ${memory.loaded.peakRssMb} MB, ${memory.afterStopAllRssMb} MB after stop --all`,
			`  ${'sandbox trees (info)'.padEnd(26)} ${`${trees.rssMb} MB`.padStart(9)}  RSS sum of ${trees.processes} processes: wrappers (bwrap or host) ${trees.hostsRssMb} MB, agents ${trees.agentsRssMb} MB (PSS sum ${trees.pssMb} MB)`,
			`  agents run returns in ${memory.agentsRunMedianMs} ms (median); agents stop --all took ${memory.stopAllMs} ms, daemon stop ${memory.daemonStopMs} ms`,
			`  → daemon ${memory.loaded.rssMb} MB with ${memory.agents} agents (target ≤ ${RSS_TARGET_MB} MB): ${verdict(memoryOk)}`,
			`sandbox cost per idle agent, beyond the agent's own process (medians; PSS)`,
			cost('no network approval', noNetwork),
			cost('network approved', network),
			`  → without network approval ${noNetwork.maxProcessesPerAgent} processes (most), ${noNetwork.pssMbPerAgent} MB per agent (target ≤ ${SANDBOX_PROCESSES_TARGET}, ≤ ${SANDBOX_PSS_TARGET_MB} MB): ${verdict(sandboxOk)}`,
			`  → with a network approval ${network.totalMbPerAgent} MB per agent: ${network.pssMbPerAgent} MB in its tree + ${network.supervisorShareMb} MB its share of the daemon's growth (the proxy) (target ≤ ${SANDBOX_NETWORK_PSS_TARGET_MB} MB): ${verdict(networkOk)}`,
			`  → zombies: ${zombieCount} (in the running trees ${noNetwork.zombiesInTrees + network.zombiesInTrees}, after agents stop --all ${memory.zombiesAfterStop.length}, after the runs ${zombies.length}; target 0): ${verdict(zombiesOk)}`,
		];
		if (trees.notDaemonChildren > 0)
			lines.push(`  NOTE: ${trees.notDaemonChildren} sandbox hosts are not children of the daemon`);
		if (failedStops.length > 0)
			lines.push(
				`  NOTE: ${failedStops.length} foreground runs did not exit 0 on SIGINT: ${failedStops.join(', ')}`,
			);
		if (leftAlive.length > 0) {
			lines.push(`  LEFT BEHIND after their stop (killed now): ${leftAlive.length} processes`);
			for (const proc of leftAlive.slice(0, 5)) lines.push(`    ${proc.pid} ${proc.command}`);
		}
		if (zombies.length + memory.zombiesAfterStop.length > 0)
			lines.push(
				`  zombies (exited, never reaped): ${[...memory.zombiesAfterStop, ...zombies].slice(0, 8).join(', ')}`,
			);
		if (report.sandboxTempLeft.length > 0)
			lines.push(
				`  LEFT BEHIND in ${tmpdir()} (removed now): ${report.sandboxTempLeft.join(', ')}`,
			);
		process.stdout.write(`${lines.join('\n')}\n`);
	}
}
