import type { ChangeActor } from '../catalog/recordChange.js';
import type { RunFailure } from './protocolChannel.js';
import { offerProtocolChannel } from './protocolChannelOffer.js';
import { decideRestart, INITIAL_RESTART_STATE, type RestartState } from './restartPolicy.js';
import {
	checkGitAfterRun,
	recordAgentErrored,
	recordRunEnded,
	recordRunUnhealthy,
} from './runEvents.js';
import { type AgentProcess, DEFAULT_STOP_GRACE_MS } from './startAgentProcess.js';
import { type StartedRun, startRun } from './startRun.js';
import type { SupervisionContext, SupervisionResult, Supervisor } from './supervision.js';
import { offerToolChannel } from './toolChannelOffer.js';

/**
 * Starts the first run (its failure is thrown to the caller, nothing is
 * recorded as errored), then after each end records it and asks the restart
 * policy: stop, wait and start again, or give up (`agent_errored`). A start
 * that fails on a restart (revoked, drifted, uninstalled) gives up too. A run
 * failed through its protocol channel ends as a crash with the reason given.
 */
export async function keepRunning(context: SupervisionContext): Promise<Supervisor> {
	// Shared by the loop and `stop`, which may come at any point of it.
	let current: AgentProcess | undefined;
	let stopping = false;
	let graceMs = DEFAULT_STOP_GRACE_MS;
	let stoppedBy: ChangeActor | undefined;
	let wakeUp: (() => void) | undefined;
	// Why a run was failed through its channel: read when its end is recorded.
	const failures = new Map<string, RunFailure>();
	// Each run's end being recorded, and how to settle it (what `fail` waits for).
	const ends = new Map<string, { readonly promise: Promise<void>; readonly settle: () => void }>();
	const start = async (attempt: number) => {
		const run = await startRun(context, attempt, () => graceMs);
		let settle = () => {};
		const promise = new Promise<void>((resolve) => {
			settle = resolve;
		});
		ends.set(run.runId, { promise, settle });
		offerProtocolChannel(context, run, async (reason, unhealthy) => {
			const end = ends.get(run.runId);
			// Ended and recorded already, or failed already: the first reason stands.
			if (end === undefined || failures.has(run.runId)) return end?.promise;
			failures.set(run.runId, { reason, unhealthy });
			try {
				if (unhealthy) recordRunUnhealthy(context, run.runId, reason);
			} finally {
				// Stopped even if the mark could not be recorded: its end says why.
				void run.process.stop(DEFAULT_STOP_GRACE_MS);
			}
			return end.promise;
		});
		offerToolChannel(context, run);
		return run;
	};

	const first = await start(0);
	current = first.process;
	const done = (async (): Promise<SupervisionResult> => {
		let run: StartedRun = first;
		let runs = 1;
		let state: RestartState = INITIAL_RESTART_STATE;
		for (;;) {
			const exit = await run.process.exited;
			await checkGitAfterRun(context, run.runId);
			const failed = failures.get(run.runId);
			let clean: boolean;
			try {
				clean = recordRunEnded(context, run.runId, exit, stoppedBy, failed);
			} finally {
				ends.get(run.runId)?.settle();
				ends.delete(run.runId);
				failures.delete(run.runId);
			}
			context.onStatus?.({ state: 'ended', runId: run.runId, exit });
			const decision = decideRestart(
				context.policy,
				{
					failed: !clean,
					// A run failed through its channel was stopped by us, not on request.
					stoppedOnRequest: (exit.stopped && failed === undefined) || stopping,
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
