import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import {
	AgentSpaceError,
	ensureHomeDirs,
	formatIssues,
	getOrCreateAuthToken,
	homePaths,
} from '@agentspace/core';
import {
	callDaemon,
	type DaemonConnection,
	type DaemonResults,
	daemonPaths,
	isDaemonNotRunning,
} from '@agentspace/daemon';

/** The socket and token of a home's daemon (the token is created on first use). */
export async function daemonConnection(
	home: string,
	timeoutMs?: number,
): Promise<DaemonConnection> {
	const { token } = await getOrCreateAuthToken({ home });
	return {
		socket: daemonPaths(home).socket,
		token,
		...(timeoutMs === undefined ? {} : { timeoutMs }),
	};
}

/**
 * The connection to a home's daemon when its socket exists, else undefined:
 * `daemon status`/`stop` on a home with no daemon (or no home at all) say it
 * is not running and create nothing — not even the auth token.
 */
export async function listeningDaemonConnection(
	home: string,
	timeoutMs?: number,
): Promise<DaemonConnection | undefined> {
	if (!existsSync(daemonPaths(home).socket)) return undefined;
	return daemonConnection(home, timeoutMs);
}

/** The daemon's status, or undefined when it is not running. */
export async function daemonStatusOrUndefined(
	connection: DaemonConnection,
): Promise<DaemonResults['status'] | undefined> {
	if (!existsSync(connection.socket)) return undefined;
	try {
		return await callDaemon(connection, 'status', {});
	} catch (error) {
		if (isDaemonNotRunning(error)) return undefined;
		throw error;
	}
}

// The daemon's own log is small (a line per request); past this it starts afresh.
const MAX_DAEMON_LOG_BYTES = 10 * 1024 * 1024;

/**
 * Node flags the daemon runs with. `--max-semi-space-size` (MB) caps V8's
 * young generation: by default it grows with the allocation bursts of MCP
 * handshakes and tool-list records (20 agents connecting) and is often not
 * given back — 93 MB with 20 idle MCP agents against the 80 MB target (peak
 * ~100 MB). Measured (specs/tools.md, Performance): 1 MB gives 63 MB idle,
 * 75 MB with 20 agents (peak 82 MB); 2 MB 74 MB (peak 84), 4 MB 88 MB; the
 * calls/s of 16 calls in flight through the daemon stayed within noise of
 * the default (2,975 against 3,031) — so the smallest.
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * Starts the home's daemon in the background (`agentspace daemon run`,
 * detached, output to `<home>/logs/daemon.log`) and waits until it answers.
 * Returns its status and whether this call started it.
 */
export async function ensureDaemon(
	home: string,
	env: Readonly<Record<string, string | undefined>>,
): Promise<{ status: DaemonResults['status']; started: boolean; connection: DaemonConnection }> {
	// A fresh home (no `doctor` yet) is made here: the token, logs/ and run/ live in it.
	ensureHomeDirs(homePaths(home));
	const connection = await daemonConnection(home);
	const running = await daemonStatusOrUndefined(connection);
	if (running !== undefined) return { status: running, started: false, connection };
	const { log } = daemonPaths(home);
	if ((statSync(log, { throwIfNoEntry: false })?.size ?? 0) > MAX_DAEMON_LOG_BYTES) {
		renameSync(log, `${log}.1`);
	}
	const logFd = openSync(log, 'a', 0o600);
	const logStart = statSync(log).size;
	const bin = process.argv[1] as string;
	const child = spawn(
		process.execPath,
		[...DAEMON_NODE_FLAGS, bin, '--home', home, 'daemon', 'run'],
		{
			detached: true,
			stdio: ['ignore', logFd, logFd],
			cwd: home,
			env: { ...env, AGENTSPACE_HOME: home },
		},
	);
	closeSync(logFd);
	let exited: number | null | undefined;
	let exitedAt = 0;
	child.once('exit', (code) => {
		exited = code;
		exitedAt = Date.now();
	});
	child.unref();
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		const status = await daemonStatusOrUndefined(connection);
		// Several starters race on a fresh home: only the one whose daemon won the lock started it.
		if (status !== undefined) return { status, started: status.pid === child.pid, connection };
		// Ours ended: another `start` may have won the lock; its daemon answers soon.
		if (exited !== undefined && Date.now() - exitedAt > 3000) break;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const output = readFileSync(log, 'utf8').slice(logStart).trim();
	// The log's last lines travel as the error's issues, so the terminal shows
	// them one per line (each escaped) rather than as one escaped line.
	const issues =
		output === ''
			? []
			: output
					.split('\n')
					.slice(-5)
					.map((line) => ({ path: 'daemon log', message: line }));
	throw new AgentSpaceError(
		`the AgentSpace daemon did not start${exited === undefined ? ' within 15 s' : ` (exit code ${exited})`}${issues.length === 0 ? '' : `:\n${formatIssues(issues)}`}`,
		{ code: 'COMMAND_FAILED', hint: `see ${log}`, issues },
	);
}
