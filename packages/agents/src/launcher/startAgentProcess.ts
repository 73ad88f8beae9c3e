import { spawn } from 'node:child_process';
import { AgentSpaceError } from '@agentspace/core';
import type { RotatingLog } from '../logs/rotatingLog.js';
import { killProcessGroup } from '../process/killProcessGroup.js';
import { whenExited } from '../process/whenExited.js';

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
	 * bridge for the whole grace period. The SIGKILL always goes to the group.
	 */
	readonly terminate?: 'group' | 'leader';
}

/**
 * Starts an agent as its own process group (so stop reaches everything it
 * started), its output captured into the run's log, and resolves once it is
 * running. A command that cannot start rejects with `COMMAND_FAILED`.
 */
export function startAgentProcess(options: StartOptions): Promise<AgentProcess> {
	return new Promise((resolve, reject) => {
		const child = spawn(options.command, options.args, {
			cwd: options.cwd,
			env: options.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		child.stdout
			.setEncoding('utf8')
			.on('data', (chunk: string) => options.log.write('stdout', chunk));
		child.stderr
			.setEncoding('utf8')
			.on('data', (chunk: string) => options.log.write('stderr', chunk));
		let stopRequested = false;
		let killed = false;
		let killTimer: NodeJS.Timeout | undefined;
		const exited = new Promise<ProcessExit>((settle) => {
			whenExited(child, options.drainMs ?? 1000, (exitCode, signal) => {
				if (killTimer !== undefined) clearTimeout(killTimer);
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
				stop(graceMs = DEFAULT_STOP_GRACE_MS) {
					if (child.exitCode === null && child.signalCode === null && !stopRequested) {
						stopRequested = true;
						if (options.terminate === 'leader') child.kill('SIGTERM');
						else killProcessGroup(child.pid, 'SIGTERM');
						killTimer = setTimeout(() => {
							killed = true;
							killProcessGroup(child.pid, 'SIGKILL');
						}, graceMs);
					}
					return exited;
				},
			});
		});
	});
}
