#!/usr/bin/env node
// Tool calls through the daemon: the calls/s of 16 calls in flight sent over
// the daemon's socket (`toolsCall`, as `agentspace tools call` sends them) to
// one fixture MCP agent's `echo`, every call routed and recorded, and the
// daemon's RSS after. packages/tools/bench/routerOverhead.bench.mjs measures
// the router in-process; this adds the socket, the daemon's request handling
// and its heap settings (DAEMON_NODE_FLAGS in daemonConnection.ts).
//
//   node bench/daemonCalls.bench.mjs [--calls N] [--in-flight N] [--json]
//
// Informational: it prints figures and exits 0; only a broken bench exits 1.
// The agent runs unsandboxed (the sandbox is not what is measured); the home
// is temporary and the daemon is stopped at the end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getOrCreateAuthToken } from '@agentspace/core';
import { callDaemon, daemonPaths } from '@agentspace/daemon';
import { createMcpFixtureAgentRepo } from '@agentspace/testing';

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const index = args.indexOf(name);
	return index === -1 ? fallback : Number(args[index + 1]);
};
const calls = option('--calls', 20_000);
const inFlight = option('--in-flight', 16);
const passes = 3;
const json = args.includes('--json');
const bin = fileURLToPath(new URL('../bin/agentspace.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'agentspace-bench-calls-'));
const home = join(root, 'home');
const env = { PATH: process.env.PATH, HOME: process.env.HOME };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function cli(argv) {
	const result = spawnSync(process.execPath, [bin, '--home', home, ...argv], {
		env,
		encoding: 'utf8',
		timeout: 60_000,
	});
	if (result.status !== 0)
		throw new Error(`agentspace ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
	return result.stdout;
}
const cliJson = (argv) => JSON.parse(cli([...argv, '--json']));
const vmRssMb = (pid) =>
	Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const repo = createMcpFixtureAgentRepo({ manifest: { id: 'bench-calls', name: 'Bench calls' } });
let started = false;
try {
	cli(['agents', 'install', repo.url]);
	cli(['agents', 'enable', 'bench-calls', '--all']);
	const { pid } = cliJson(['daemon', 'start']);
	started = true;
	cli(['agents', 'run', 'bench-calls', '--unsandboxed']);
	cli(['tools', 'allow', 'bench-calls/*']);
	for (let i = 0; ; i++) {
		const status = cliJson(['daemon', 'status']);
		if ((status.mcpAgents ?? []).length === 1) break;
		if (i > 200) throw new Error('the agent never connected');
		await sleep(100);
	}
	const { token } = await getOrCreateAuthToken({ home });
	const connection = { socket: daemonPaths(home).socket, token };
	const caller = { type: 'human', id: 'bench' };
	const call = () =>
		callDaemon(connection, 'toolsCall', {
			target: 'bench-calls/echo',
			args: { text: 'x' },
			caller,
		});
	const run = async (count) => {
		let next = 0;
		const worker = async () => {
			while (next++ < count) await call();
		};
		const start = performance.now();
		await Promise.all(Array.from({ length: inFlight }, worker));
		return count / ((performance.now() - start) / 1000);
	};
	await run(1000); // warm-up
	const rates = [];
	for (let i = 0; i < passes; i++) rates.push(await run(calls));
	const median = [...rates].sort((a, b) => a - b)[Math.floor(passes / 2)];
	const report = {
		calls,
		inFlight,
		passes,
		callsPerSecond: Math.round(median),
		daemonRssMb: Number(vmRssMb(pid).toFixed(1)),
	};
	if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
	else
		process.stdout.write(
			`tool calls through the daemon, ${inFlight} in flight: median of ${passes} passes of ${calls}: ${report.callsPerSecond} calls/s (every call recorded); daemon RSS after: ${report.daemonRssMb} MB\n`,
		);
} catch (error) {
	process.stderr.write(`daemon calls bench broken: ${error.stack ?? error}\n`);
	process.exitCode = 1;
} finally {
	if (started) spawnSync(process.execPath, [bin, '--home', home, 'daemon', 'stop'], { env });
	repo.cleanup();
	rmSync(root, { recursive: true, force: true });
}
