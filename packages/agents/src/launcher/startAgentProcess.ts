import { spawn } from 'node:child_process';
import type { Duplex, Readable, Writable } from 'node:stream';
import { AgentSpaceError } from '@agentspace/core';
import type { RotatingLog } from '../logs/rotatingLog.js';
import { killProcessGroup } from '../process/killProcessGroup.js';
import { whenExited } from '../process/whenExited.js';
import { killSandboxed, stopSandboxed } from '../sandbox/stopSandboxed.js';
import { TOOL_CHANNEL_FD } from './toolChannel.js';

/** Default grace between SIGTERM and SIGKILL when a run is stopped. */
export const DEFAULT_STOP_GRACE_MS = 5000;

/** How a run's process ended. */
export interface ProcessExit {
	readonly exitCode: number | null;
	readonly signal: NodeJS.Signals | null;
	/** True when it ended because `stop()` was called (a stop, not a crash). */
	readonly stopped: boolean;
	/** True when the grace period ran out and the group was killed with SIGKILL. */
	readonly killed: boolean;
}

/** A started agent process. */
export interface AgentProcess {
	readonly pid: number;
	/** Resolves once the process has exited and its output is in the log. */
	readonly exited: Promise<ProcessExit>;
	/** SIGTERM (see `terminate`), SIGKILL to the whole group after `graceMs`; resolves with the exit. */
	stop(graceMs?: number): Promise<ProcessExit>;
	/** With `protocolChannel`: the agent's stdout (never logged) and stdin. */
	readonly channel?: ProcessChannel;
	/** With `toolChannel`: our end of the socketpair the agent has as fd {@link TOOL_CHANNEL_FD}. */
	readonly toolChannel?: Duplex;
}

/** The two pipes of a protocol channel (see StartOptions.protocolChannel). */
export interface ProcessChannel {
	/** The agent's stdout, raw bytes: nothing reads it but the channel's owner. */
	readonly fromAgent: Readable;
	/** The agent's stdin. */
	readonly toAgent: Writable;
}

/** What to start. */
export interface StartOptions {
	/** The argv: never a shell string. */
	readonly command: string;
	readonly args: readonly string[];
	readonly cwd: string;
	/** The complete environment (see runEnvironment): nothing else is inherited. */
	readonly env: NodeJS.ProcessEnv;
	/** Where stdout and stderr go; closed when the process has exited. */
	readonly log: RotatingLog;
	/** How long output may keep arriving after the exit (default 1 s). */
	readonly drainMs?: number;
	/**
	 * Who gets the SIGTERM of a stop: the whole group (default), or only the
	 * process started (`leader`). A sandbox host passes the SIGTERM on to the
	 * agent inside; signalling its group too would kill the host's network
	 * bridge for the whole grace period. `sandbox`: the process is bwrap
	 * itself; the SIGTERM goes to the agent inside it and the SIGKILL to the
	 * sandbox's pid 1 first (see stopSandboxed, killSandboxed);
	 * `sandbox-nested` likewise, the agent being in the seccomp helper's pid
	 * namespace inside it (a network-approved run). Otherwise the SIGKILL goes
	 * to the group.
	 */
	readonly terminate?: 'group' | 'leader' | 'sandbox' | 'sandbox-nested';
	/**
	 * Bytes the process reads on its fd 3, which is closed after them (bwrap's
	 * `--seccomp 3`: the program it loads for the sandbox).
	 */
	readonly fd3?: Buffer;
	/** Called once the process has exited, before `exited` resolves (e.g. removes bwrap's mount points). */
	readonly onExit?: () => void;
	/**
	 * Keep stdin and stdout as a protocol channel (an MCP agent): stdin is a
	 * pipe instead of closed, stdout goes to `channel.fromAgent` instead of the
	 * log — it is protocol, and the agent's to fill with anything. stderr is
	 * logged as always.
	 */
	readonly protocolChannel?: boolean;
	/**
	 * Give the process one end of a Unix socketpair as its fd
	 * {@link TOOL_CHANNEL_FD} (a spawn `pipe` is a socketpair), the other
	 * being `AgentProcess.toolChannel`. The caller names it in the
	 * environment (AGENTSPACE_MCP_FD).
	 */
	readonly toolChannel?: boolean;
}

/**
 * Starts an agent as its own process group (so stop reaches everything it
 * started), its output captured into the run's log, and resolves once it is
 * running. A command that cannot start rejects with `COMMAND_FAILED`.
 */
export function startAgentProcess(options: StartOptions): Promise<AgentProcess> {
	return new Promise((resolve, reject) => {
		const channel = options.protocolChannel === true;
		const child = spawn(options.command, options.args, {
			cwd: options.cwd,
			env: options.env,
			stdio: [
				channel ? 'pipe' : 'ignore',
				'pipe',
				'pipe',
				options.fd3 === undefined ? 'ignore' : 'pipe',
				// Only a run approved for tool:call has a descriptor here.
				...(options.toolChannel === true ? (['pipe'] as const) : []),
			],
			detached: true,
		});
		const fd3 = child.stdio[3];
		if (options.fd3 !== undefined && fd3 !== null && fd3 !== undefined && 'end' in fd3) {
			// A process that dies before reading it makes this an EPIPE: its exit says why.
			fd3.on('error', () => {});
			fd3.end(options.fd3);
		}
		const toolChannel =
			options.toolChannel === true ? (child.stdio[TOOL_CHANNEL_FD] as Duplex) : undefined;
		// The agent may close its end or vanish: its exit says why.
		toolChannel?.on('error', () => {});
		// Both are pipes (above); the typings cannot tell with a fourth fd.
		if (channel) {
			// A write to an agent that has gone is an EPIPE: its exit says why,
			// and an unhandled 'error' would end the supervisor.
			(child.stdin as Writable).on('error', () => {});
			(child.stdout as Readable).on('error', () => {});
		} else {
			(child.stdout as Readable)
				.setEncoding('utf8')
				.on('data', (chunk: string) => options.log.write('stdout', chunk));
		}
		(child.stderr as Readable)
			.setEncoding('utf8')
			.on('data', (chunk: string) => options.log.write('stderr', chunk));
		let stopRequested = false;
		let killed = false;
		let killTimer: NodeJS.Timeout | undefined;
		const exited = new Promise<ProcessExit>((settle) => {
			whenExited(child, options.drainMs ?? 1000, (code, how) => {
				if (killTimer !== undefined) clearTimeout(killTimer);
				options.onExit?.();
				// bwrap reports its sandbox's pid 1 killed by our SIGKILL as 137:
				// recorded as what it was, the run killed by SIGKILL.
				const bwrap = options.terminate === 'sandbox' || options.terminate === 'sandbox-nested';
				const sandboxKilled = killed && bwrap && code === 137;
				const exitCode = sandboxKilled ? null : code;
				const signal = sandboxKilled ? 'SIGKILL' : how;
				options.log.note(
					signal === null
						? `exited with code ${exitCode}`
						: `killed by ${signal}${killed ? ' after the grace period' : ''}`,
				);
				options.log.close();
				settle({ exitCode, signal, stopped: stopRequested, killed });
			});
		});
		child.once('error', (error: NodeJS.ErrnoException) => {
			options.onExit?.();
			options.log.note(`could not start ${options.command}: ${error.message}`);
			options.log.close();
			reject(
				new AgentSpaceError(
					error.code === 'ENOENT'
						? `cannot start the agent: command not found: ${options.command}`
						: `cannot start the agent: ${error.message}`,
					{
						code: 'COMMAND_FAILED',
						hint: 'check the manifest’s entrypoint, and that the agent is built',
					},
				),
			);
		});
		child.once('spawn', () => {
			resolve({
				pid: child.pid as number,
				exited,
				...(channel
					? {
							channel: {
								fromAgent: child.stdout as Readable,
								toAgent: child.stdin as Writable,
							},
						}
					: {}),
				...(toolChannel === undefined ? {} : { toolChannel }),
				stop(graceMs = DEFAULT_STOP_GRACE_MS) {
					if (child.exitCode === null && child.signalCode === null && !stopRequested) {
						stopRequested = true;
						if (options.terminate === 'leader') child.kill('SIGTERM');
						else if (options.terminate === 'sandbox') stopSandboxed(child, 'linux', 'direct');
						else if (options.terminate === 'sandbox-nested') {
							stopSandboxed(child, 'linux', 'direct-nested');
						} else killProcessGroup(child.pid, 'SIGTERM');
						killTimer = setTimeout(() => {
							killed = true;
							if (options.terminate === 'sandbox' || options.terminate === 'sandbox-nested') {
								killSandboxed(child);
							} else killProcessGroup(child.pid, 'SIGKILL');
						}, graceMs);
					}
					return exited;
				},
			});
		});
	});
}
