import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '@agentspace/agents';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli, runCliAsync, runCliJson } from '../../testCli.js';

// Issue 11 §4 and §6 through the built binary: real daemons, real processes
// racing for one home, a real flood on the socket.
let parent: string;
let home: string;
beforeEach(() => {
	parent = mkdtempSync(join(tmpdir(), 'agentspace-test-daemon-hardening-'));
	home = join(parent, 'home'); // does not exist yet: a fresh machine
});
afterEach(() => {
	for (const pid of daemonsOf(home)) {
		runCli(home, ['daemon', 'stop', '--timeout', '1']);
		if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
	}
	rmSync(parent, { recursive: true, force: true });
});

/** The pids of live `agentspace daemon run` processes of `home`. */
function daemonsOf(dir: string): number[] {
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let args: string[];
		try {
			args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
		} catch {
			continue; // ended meanwhile
		}
		const at = args.indexOf('--home');
		if (args[at + 1] === dir && args.includes('run') && args.includes('daemon')) {
			if (isProcessAlive(Number(entry))) pids.push(Number(entry));
		}
	}
	return pids;
}

const waitFor = async (check: () => boolean, what: string, timeoutMs = 20_000) => {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
};

function openIdle(socket: string): Promise<Socket | undefined> {
	return new Promise((resolve) => {
		const connection = createConnection(socket);
		connection.once('connect', () => resolve(connection));
		// The daemon may close it (to make room) before it is even seen as open.
		connection.once('error', () => resolve(undefined));
	});
}

describe('agentspace daemon, hardened', () => {
	it('status and stop on a home that does not exist say it is not running, and create nothing', () => {
		const status = runCli(home, ['daemon', 'status']);
		expect(status.status).toBe(0);
		expect(status.stderr).toBe('');
		expect(status.stdout).toMatch(/not running/);
		expect(runCliJson(home, ['daemon', 'status']).json).toMatchObject({ running: false });
		const stop = runCliJson(home, ['daemon', 'stop']);
		expect(stop.status).toBe(0);
		expect(stop.json).toMatchObject({ stopped: false, running: false });
		expect(existsSync(home)).toBe(false);
	});

	it('8 concurrent starts on a fresh home: exactly one daemon, every start succeeds, the socket works', async () => {
		const starts = await Promise.all(
			Array.from({ length: 8 }, () => runCliAsync(home, ['daemon', 'start', '--json'])),
		);
		for (const start of starts) expect(start.stderr).toBe('');
		for (const start of starts) expect(start.status).toBe(0);
		const answers = starts.map((s) => JSON.parse(s.stdout) as { started: boolean; pid: number });
		const pid = answers[0]?.pid as number;
		expect(answers.every((a) => a.pid === pid)).toBe(true);
		expect(answers.filter((a) => a.started)).toHaveLength(1);
		// The losers' daemons refused to start and are gone; the winner's socket answers.
		await waitFor(() => daemonsOf(home).length === 1, 'the losing daemons to exit');
		expect(daemonsOf(home)).toEqual([pid]);
		expect(readFileSync(join(home, 'run', 'daemon.pid'), 'utf8')).toBe(`${pid}\n`);
		expect(runCliJson(home, ['daemon', 'status']).json).toMatchObject({ running: true, pid });
		expect(runCli(home, ['daemon', 'stop']).status).toBe(0);
		expect(existsSync(join(home, 'run', 'daemon.sock'))).toBe(false);
	});

	it('3,000 idle connections neither exhaust its descriptors nor keep `daemon status` out', async () => {
		// The daemon gets a limit of 1,024 descriptors: without a cap, 3,000 connections exhaust it.
		const started = spawnSync(
			'sh',
			[
				'-c',
				`ulimit -n 1024 && exec "${process.execPath}" "${CLI_BIN}" --home "${home}" daemon start --json`,
			],
			{ encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } },
		);
		expect(started.stderr).toBe('');
		const { pid } = JSON.parse(started.stdout) as { pid: number };
		const socket = join(home, 'run', 'daemon.sock');
		const open: Socket[] = [];
		for (let i = 0; i < 3000; i += 100) {
			const batch = await Promise.all(Array.from({ length: 100 }, () => openIdle(socket)));
			for (const connection of batch) if (connection !== undefined) open.push(connection);
		}
		try {
			const status = runCliJson<{ running: boolean; pid: number }>(home, ['daemon', 'status']);
			expect(status.stderr).toBe('');
			expect(status.json).toMatchObject({ running: true, pid });
			const sockets = readdirSync(`/proc/${pid}/fd`).filter((fd) => {
				try {
					return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
				} catch {
					return false;
				}
			});
			expect(sockets.length).toBeLessThanOrEqual(520);
			// Idle ones are closed after the request deadline: none is kept for good.
			await waitFor(() => open.every((c) => c.closed), 'the idle connections to be closed');
		} finally {
			for (const connection of open) connection.destroy();
		}
		expect(runCli(home, ['daemon', 'stop']).status).toBe(0);
		const denied = runCliJson<{ entries: { metadata: { kind?: string } }[] }>(home, [
			'audit',
			'list',
			'--type',
			'security.denied',
		]).json.entries;
		// Every closed connection is on record, folded into a handful of entries.
		expect(denied.length).toBeGreaterThan(0);
		expect(denied.length).toBeLessThanOrEqual(10);
	});
});
