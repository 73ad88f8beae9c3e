import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { homePaths } from '@agentspace/core';

/** Where the daemon of one AgentSpace home keeps its socket, pid file and log. */
export interface DaemonPaths {
	/** `<home>/run`: mode 0700. */
	readonly runDir: string;
	/** The Unix socket the CLI talks to (mode 0600). */
	readonly socket: string;
	/** Holds the daemon's pid while it runs: a second daemon refuses to start. */
	readonly pidFile: string;
	/** The daemon's own output (`daemon start` sends it there). */
	readonly log: string;
	/** The LLM endpoint's Unix socket (mode 0600): see {@link llmSocketPath}. */
	readonly llmSocket: string;
}

/** The daemon paths of home `home` (nothing is created). */
export function daemonPaths(home: string): DaemonPaths {
	const paths = homePaths(home);
	return {
		runDir: paths.runDir,
		socket: join(paths.runDir, 'daemon.sock'),
		pidFile: join(paths.runDir, 'daemon.pid'),
		log: join(paths.logsDir, 'daemon.log'),
		llmSocket: llmSocketPath(home),
	};
}

// A Unix socket's path holds at most 107 bytes, and socat (the sandbox's
// bridge to the socket) reads it inside an address (`UNIX-CONNECT:<path>`),
// where `:` and `,` have meanings: only paths this short and plain are used.
const PLAIN_SOCKET_PATH = /^[A-Za-z0-9_./-]{1,100}$/;

/**
 * The LLM endpoint's Unix socket, which sandboxed runs reach the endpoint
 * through: `<home>/run/llm.sock` when that path is short and plain enough
 * for a socket and socat's address (see PLAIN_SOCKET_PATH), else
 * `<tmp>/agentspace-<uid>/llm-<first 16 hex of sha256(home)>.sock` (the
 * directory 0700 and the user's own, checked when the daemon listens).
 */
export function llmSocketPath(home: string): string {
	const inHome = join(homePaths(home).runDir, 'llm.sock');
	if (PLAIN_SOCKET_PATH.test(inHome)) return inHome;
	const base = /^[A-Za-z0-9_./-]{1,48}$/.test(tmpdir()) ? tmpdir() : '/tmp';
	const id = createHash('sha256').update(resolve(home), 'utf8').digest('hex').slice(0, 16);
	return join(base, `agentspace-${process.getuid?.() ?? 'user'}`, `llm-${id}.sock`);
}
