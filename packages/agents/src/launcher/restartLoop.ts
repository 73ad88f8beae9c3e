import type { ChangeActor } from '../catalog/recordChange.js';
import { decideRestart, INITIAL_RESTART_STATE, type RestartState } from './restartPolicy.js';
import { checkGitAfterRun, recordAgentErrored, recordRunEnded } from './runEvents.js';
import { type AgentProcess, DEFAULT_STOP_GRACE_MS } from './startAgentProcess.js';
import { type StartedRun, startRun } from './startRun.js';
import type { SupervisionContext, SupervisionResult, Supervisor } from './supervision.js';

/**
 * Starts the first run (its failure is thrown to the caller, nothing is
 * recorded as errored), then after each end records it and asks the restart
 * policy: stop, wait and start again, or give up (`agent_errored`). A start
 * that fails on a restart (revoked, drifted, uninstalled) gives up too.
 */
export async function keepRunning(context: SupervisionContext): Promise<Supervisor> {
	// Shared by the loop and `stop`, which may come at any point of it.
	let current: AgentProcess | undefined;
	let stopping = false;
	let graceMs = DEFAULT_STOP_GRACE_MS;
	let stoppedBy: ChangeActor | undefined;
	let wakeUp: (() => void) | undefined;
	const start = (attempt: number) => startRun(context, attempt, () => graceMs);

	const first = await start(0);
	current = first.process;
	const done = (async (): Promise<SupervisionResult> => {
		let run: StartedRun = first;
		let runs = 1;
		let state: RestartState = INITIAL_RESTART_STATE;
		for (;;) {
			const exit = await run.process.exited;
			await checkGitAfterRun(context, run.runId);
			const clean = recordRunEnded(context, run.runId, exit, stoppedBy);
			context.onStatus?.({ state: 'ended', runId: run.runId, exit });
			const decision = decideRestart(
				context.policy,
				{
					failed: !clean,
					stoppedOnRequest: exit.stopped || stopping,
					uptimeMs: Date.now() - run.startedAt,
				},
				state,
				context.backoff,
			);
			if (decision.action === 'stop') return { runs, lastExit: exit, errored: false };
			if (decision.action === 'errored') {
				recordAgentErrored(context, decision.reason, run.runId, state.restarts);
				context.onStatus?.({ state: 'errored', reason: decision.reason });
				return { runs, lastExit: exit, errored: true };
			}
			state = decision.state;
			context.onStatus?.({
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
				run = await start(state.restarts);
			} catch (error) {
				// Not runnable any more (revoked, drifted, uninstalled): no restart.
				const reason = `cannot restart: ${(error as Error).message}`;
				try {
					recordAgentErrored(context, reason, undefined, state.restarts);
				} catch {
					// Uninstalled meanwhile: there is no agent left to mark.
				}
				context.onStatus?.({ state: 'errored', reason });
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
