import { homedir } from 'node:os';
import {
	AgentSpaceError,
	ConflictError,
	generateAuthToken,
	generateId,
	PermissionDeniedError,
} from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { agentPaths } from '../agentPaths.js';
import { type ChangeActor, recordChange } from '../catalog/recordChange.js';
import { beginGitGuard, finishGitGuard } from '../gitGuard/gitGuardRun.js';
import { assertRunnable } from '../lifecycle/assertRunnable.js';
import { runLogPath } from '../logs/readRunLog.js';
import { RotatingLog } from '../logs/rotatingLog.js';
import { isSupervisorAlive } from '../process/isSupervisorAlive.js';
import { processRunId } from '../process/processRunId.js';
import { sandboxedStart } from '../sandbox/sandboxedStart.js';
import { sandboxPolicyFor } from '../sandbox/sandboxPolicy.js';
import { sandboxReadiness } from '../sandbox/sandboxReadiness.js';
import { currentRuns } from './currentRun.js';
import {
	type BackoffSettings,
	DEFAULT_BACKOFF,
	decideRestart,
	INITIAL_RESTART_STATE,
	type RestartPolicy,
	type RestartState,
} from './restartPolicy.js';
import { runEnvironment, runLogSecrets } from './runEnvironment.js';
import {
	type AgentProcess,
	DEFAULT_STOP_GRACE_MS,
	type ProcessExit,
	startAgentProcess,
} from './startAgentProcess.js';

/** Options of {@link superviseAgent}. */
export interface SuperviseOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	readonly id: string;
	readonly actor: ChangeActor;
	readonly sourceApp?: string;
	readonly restart?: RestartPolicy;
	/**
	 * Run without the OS sandbox: only when the user asked for it explicitly;
	 * audited with severity `security` on every start.
	 */
	readonly unsandboxed: boolean;
	/**
	 * The sandbox host's script (see sandboxedCommand): the library's
	 * `dist/sandbox/sandboxHostMain.js` or the CLI's bundle of it. Required
	 * unless `unsandboxed`.
	 */
	readonly sandboxHostScript?: string;
	/** The pid of the process that supervises (this one): recorded on each run for reconciliation. */
	readonly supervisorPid?: number;
	/** The daemon's socket, given to the agent as AGENTSPACE_SOCKET. */
	readonly socketPath?: string;
	/** Where PATH, LANG, TZ and approved variables come from. */
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly userHome?: string;
	readonly backoff?: BackoffSettings;
	/** Each line of output, redacted, as it is logged. */
	readonly onLine?: (stream: string, text: string) => void;
	/** Told about each start, end and restart decision (for the CLI). */
	readonly onStatus?: (status: SupervisorStatus) => void;
}

/** What the supervisor is doing, for display. */
export type SupervisorStatus =
	| {
			readonly state: 'started';
			readonly runId: string;
			readonly pid: number;
			readonly logPath: string;
			readonly sandboxed: boolean;
	  }
	| { readonly state: 'ended'; readonly runId: string; readonly exit: ProcessExit }
	| { readonly state: 'restarting'; readonly delayMs: number; readonly restarts: number }
	| { readonly state: 'errored'; readonly reason: string };

/** How supervision ended. */
export interface SupervisionResult {
	readonly runs: number;
	readonly lastExit: ProcessExit | undefined;
	/** True when the agent crashed too often and is no longer restarted. */
	readonly errored: boolean;
}

/** A running supervision. */
export interface Supervisor {
	/** Stops the current run (SIGTERM, SIGKILL after the grace period) and any restart. */
	stop(graceMs?: number, actor?: ChangeActor): Promise<SupervisionResult>;
	readonly done: Promise<SupervisionResult>;
}

/**
 * Runs an agent and keeps it running by its restart policy. Every start
 * passes `assertRunnable` again (a revoke or a changed manifest stops the
 * restarts), gets a new run id, session token and log file
 * (`<home>/logs/<id>/<run-id>.log`), and is recorded as `agent_run_started`
 * + `agents.run_started`; every end as `agent_run_stopped` (asked to stop, or
 * exit 0) or `agent_run_crashed` + `agents.run_ended`.
 */
export async function superviseAgent(options: SuperviseOptions): Promise<Supervisor> {
	const sandboxed = !options.unsandboxed;
	if (sandboxed) {
		const readiness = sandboxReadiness(options.env);
		if (!readiness.ready) {
			throw new PermissionDeniedError(
				`cannot run "${options.id}" inside the OS sandbox: ${readiness.problem}`,
				{
					hint: `${readiness.hint}; or run it without the sandbox, explicitly: --unsandboxed (audited with severity security)`,
				},
			);
		}
		if (options.sandboxHostScript === undefined) {
			throw new AgentSpaceError('superviseAgent: a sandboxed run needs sandboxHostScript', {
				code: 'INTERNAL',
			});
		}
	}
	// One supervisor per agent: a second would start a second copy.
	const running = currentRuns(options.db).find((run) => run.agentId === options.id);
	if (
		running !== undefined &&
		(running.supervisorPid === null
			? running.pid !== null && processRunId(running.pid) === running.runId
			: isSupervisorAlive(running.supervisorPid))
	) {
		throw new ConflictError(
			`agent "${options.id}" is already running (run ${running.runId}${running.pid === null ? '' : `, pid ${running.pid}`})`,
			{ hint: `stop it first: agentspace agents stop ${options.id}` },
		);
	}
	const policy = options.restart ?? 'no';
	const backoff = options.backoff ?? DEFAULT_BACKOFF;
	const base = {
		actor: options.actor,
		...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
	};
	let current: AgentProcess | undefined;
	let stopping = false;
	let graceMs = DEFAULT_STOP_GRACE_MS;
	let stoppedBy: ChangeActor | undefined;
	let wakeUp: (() => void) | undefined;

	const startOnce = async (
		attempt: number,
	): Promise<{ process: AgentProcess; runId: string; startedAt: number }> => {
		const runnable = assertRunnable(options.db, options.id, { userHome: options.userHome });
		const paths = agentPaths(options.home, options.id);
		const runId = generateId('run');
		const sessionToken = generateAuthToken();
		const env = runEnvironment({
			callerEnv: options.env,
			paths,
			agentId: options.id,
			runId,
			sessionToken,
			approved: runnable.approved,
			...(options.socketPath === undefined ? {} : { socketPath: options.socketPath }),
		});
		// The session token, the secrets and secret-named variables never reach its log.
		const logPath = runLogPath(options.home, options.id, runId);
		const secrets = runLogSecrets(env, runnable.approved);
		const log = new RotatingLog(logPath, {}, secrets, options.onLine);
		const { entrypoint } = runnable.manifest.manifest;
		const command = sandboxed
			? await sandboxedStart({
					hostScript: options.sandboxHostScript as string,
					env,
					policy: sandboxPolicyFor({
						agentHome: options.home,
						userHome: options.userHome ?? homedir(),
						paths,
						installPath: runnable.agent.installPath,
						runId,
						approved: runnable.approved,
						// Kept before the agent starts, for the check when it ends.
						onGitProtection: (protection) =>
							beginGitGuard({
								home: options.home,
								agentId: options.id,
								runId,
								protection,
								note: (text) => log.note(text),
							}),
					}),
					command: entrypoint.command,
					args: entrypoint.args,
				})
			: { command: entrypoint.command, args: entrypoint.args, terminate: 'group' as const };
		const process = await startAgentProcess({
			command: command.command,
			args: command.args,
			cwd: runnable.agent.installPath,
			env,
			log,
			terminate: command.terminate,
			// bwrap started directly: its seccomp program, and its mount points to remove at the end.
			...('fd3' in command && command.fd3 !== undefined ? { fd3: command.fd3 } : {}),
			...('release' in command ? { onExit: command.release } : {}),
		});
		// A started process is always either recorded or stopped: unrecorded, no
		// stop or status could ever find it again.
		try {
			recordChange(options.db, {
				...base,
				events: [
					{
						type: 'agent_run_started',
						fields: {
							agent_id: options.id,
							run_id: runId,
							pid: process.pid,
							sandboxed,
							restart_policy: policy,
							attempt,
							...(options.supervisorPid === undefined
								? {}
								: { supervisor_pid: options.supervisorPid }),
						},
					},
				],
				audit: {
					eventType: 'agents.run_started',
					agentId: options.id,
					// Running an agent's code outside the sandbox is a security decision, every time.
					severity: sandboxed ? 'info' : 'security',
					metadata: {
						runId,
						pid: process.pid,
						sandboxed,
						...(sandboxed ? {} : { unsandboxed: 'requested explicitly' }),
						attempt,
						restartPolicy: policy,
					},
				},
			});
		} catch (error) {
			// The recording's error is the one thrown; a stop that fails too is logged.
			try {
				await process.stop(graceMs);
			} catch (stopError) {
				noteInRunLog(
					logPath,
					options.onLine,
					`the run could not be recorded, and stopping it (pid ${process.pid}) failed: ${(stopError as Error).message}`,
				);
			}
			// It ran, however briefly: what it planted is checked like any run's
			// (on the filesystem; an audit entry it cannot record is logged instead).
			await finishGitGuard({
				db: options.db,
				home: options.home,
				agentId: options.id,
				runId,
				...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
				...(options.onLine === undefined ? {} : { onLine: options.onLine }),
			});
			throw error;
		}
		options.onStatus?.({ state: 'started', runId, pid: process.pid, logPath, sandboxed });
		return { process, runId, startedAt: Date.now() };
	};

	const recordEnd = (runId: string, exit: ProcessExit) => {
		const clean = exit.stopped || (exit.exitCode === 0 && exit.signal === null);
		recordChange(options.db, {
			...base,
			// A stop is the act of whoever asked for it, not of whoever started the run.
			...(exit.stopped && stoppedBy !== undefined ? { actor: stoppedBy } : {}),
			events: [
				{
					type: clean ? 'agent_run_stopped' : 'agent_run_crashed',
					fields: {
						agent_id: options.id,
						run_id: runId,
						exit_code: exit.exitCode,
						signal: exit.signal,
						reason: exit.stopped
							? exit.killed
								? 'stopped: killed after the grace period'
								: 'stopped on request'
							: exit.signal === null
								? `exited with code ${exit.exitCode}`
								: `killed by ${exit.signal}`,
					},
				},
			],
			audit: {
				eventType: 'agents.run_ended',
				agentId: options.id,
				severity: clean ? 'info' : 'warning',
				metadata: {
					runId,
					exitCode: exit.exitCode,
					signal: exit.signal,
					stopped: exit.stopped,
					killed: exit.killed,
				},
			},
		});
		options.onStatus?.({ state: 'ended', runId, exit });
		return clean;
	};

	/** The restart policy gave up: the agent is `errored` until it is run again. */
	const recordErrored = (reason: string, runId: string | undefined, restarts: number) => {
		recordChange(options.db, {
			...base,
			events: [
				{
					type: 'agent_errored',
					fields: {
						agent_id: options.id,
						...(runId === undefined ? {} : { run_id: runId }),
						reason,
						restarts,
					},
				},
			],
			audit: {
				eventType: 'agents.errored',
				agentId: options.id,
				severity: 'warning',
				metadata: { runId: runId ?? null, reason, restarts },
			},
		});
	};

	const first = await startOnce(0);
	current = first.process;
	const done = (async (): Promise<SupervisionResult> => {
		let run = first;
		let runs = 1;
		let state: RestartState = INITIAL_RESTART_STATE;
		for (;;) {
			const exit = await run.process.exited;
			// What the sandbox could not keep out of git directories, neutralised and audited.
			await finishGitGuard({
				db: options.db,
				home: options.home,
				agentId: options.id,
				runId: run.runId,
				...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
				...(options.onLine === undefined ? {} : { onLine: options.onLine }),
			});
			const clean = recordEnd(run.runId, exit);
			const decision = decideRestart(
				policy,
				{
					failed: !clean,
					stoppedOnRequest: exit.stopped || stopping,
					uptimeMs: Date.now() - run.startedAt,
				},
				state,
				backoff,
			);
			if (decision.action === 'stop') return { runs, lastExit: exit, errored: false };
			if (decision.action === 'errored') {
				recordErrored(decision.reason, run.runId, state.restarts);
				options.onStatus?.({ state: 'errored', reason: decision.reason });
				return { runs, lastExit: exit, errored: true };
			}
			state = decision.state;
			options.onStatus?.({
				state: 'restarting',
				delayMs: decision.delayMs,
				restarts: state.restarts,
			});
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, decision.delayMs);
				wakeUp = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			wakeUp = undefined;
			if (stopping) return { runs, lastExit: exit, errored: false };
			try {
				run = await startOnce(state.restarts);
			} catch (error) {
				// Not runnable any more (revoked, drifted, uninstalled): no restart.
				const reason = `cannot restart: ${(error as Error).message}`;
				try {
					recordErrored(reason, undefined, state.restarts);
				} catch {
					// Uninstalled meanwhile: there is no agent left to mark.
				}
				options.onStatus?.({ state: 'errored', reason });
				return { runs, lastExit: exit, errored: true };
			}
			current = run.process;
			runs += 1;
			// A stop that came while this run was starting signalled the previous,
			// already-ended process: this one must be stopped too.
			if (stopping) void current.stop(graceMs);
		}
	})();
	return {
		done,
		stop(grace = DEFAULT_STOP_GRACE_MS, actor) {
			stoppedBy ??= actor;
			stopping = true;
			graceMs = grace;
			wakeUp?.();
			void current?.stop(graceMs);
			return done;
		},
	};
}

/** One line of AgentSpace's own in a run's log, after the run's own log was closed. */
function noteInRunLog(logPath: string, onLine: SuperviseOptions['onLine'], text: string): void {
	try {
		const log = new RotatingLog(logPath, {}, [], onLine);
		log.note(text);
		log.close();
	} catch {
		// The log is a copy for the user: the error thrown is the record.
	}
}
