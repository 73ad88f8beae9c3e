import { join } from 'node:path';
import { AgentSpaceError, generateAuthToken, generateId } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { agentPaths } from '../agentPaths.js';
import { type ChangeActor, recordChange } from '../catalog/recordChange.js';
import { assertRunnable } from '../lifecycle/assertRunnable.js';
import { RotatingLog } from '../logs/rotatingLog.js';
import {
	type BackoffSettings,
	DEFAULT_BACKOFF,
	decideRestart,
	INITIAL_RESTART_STATE,
	type RestartPolicy,
	type RestartState,
} from './restartPolicy.js';
import { runEnvironment } from './runEnvironment.js';
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
	 * Run without the OS sandbox. Required for now (the sandbox is the next step
	 * of the launcher); audited with severity `security` on every start.
	 */
	readonly unsandboxed: boolean;
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
	stop(graceMs?: number): Promise<SupervisionResult>;
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
	if (!options.unsandboxed) {
		throw new AgentSpaceError(
			'running agents inside the OS sandbox is not available in this build yet',
			{
				code: 'PERMISSION_DENIED',
				hint: 'pass --unsandboxed to run without it (audited with severity security)',
			},
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
		});
		// Every value injected into the run is kept out of its log.
		const injected = runnable.approved.flatMap((p) =>
			p.domain === 'env' && env[p.variable] !== undefined ? [env[p.variable] as string] : [],
		);
		const logPath = join(paths.logs, `${runId}.log`);
		const log = new RotatingLog(logPath, {}, [sessionToken, ...injected], options.onLine);
		const { entrypoint } = runnable.manifest.manifest;
		const process = await startAgentProcess({
			command: entrypoint.command,
			args: entrypoint.args,
			cwd: runnable.agent.installPath,
			env,
			log,
		});
		recordChange(options.db, {
			...base,
			events: [
				{
					type: 'agent_run_started',
					fields: {
						agent_id: options.id,
						run_id: runId,
						pid: process.pid,
						sandboxed: false,
						restart_policy: policy,
						attempt,
					},
				},
			],
			audit: {
				eventType: 'agents.run_started',
				agentId: options.id,
				severity: 'security',
				metadata: {
					runId,
					pid: process.pid,
					sandboxed: false,
					unsandboxed: 'requested explicitly',
					attempt,
					restartPolicy: policy,
				},
			},
		});
		options.onStatus?.({ state: 'started', runId, pid: process.pid, logPath });
		return { process, runId, startedAt: Date.now() };
	};

	const recordEnd = (runId: string, exit: ProcessExit) => {
		const clean = exit.stopped || (exit.exitCode === 0 && exit.signal === null);
		recordChange(options.db, {
			...base,
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

	const first = await startOnce(0);
	current = first.process;
	const done = (async (): Promise<SupervisionResult> => {
		let run = first;
		let runs = 1;
		let state: RestartState = INITIAL_RESTART_STATE;
		for (;;) {
			const exit = await run.process.exited;
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
				options.onStatus?.({ state: 'errored', reason: (error as Error).message });
				return { runs, lastExit: exit, errored: true };
			}
			current = run.process;
			runs += 1;
		}
	})();
	return {
		done,
		stop(grace = DEFAULT_STOP_GRACE_MS) {
			stopping = true;
			graceMs = grace;
			wakeUp?.();
			void current?.stop(graceMs);
			return done;
		},
	};
}
