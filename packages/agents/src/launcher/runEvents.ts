import { type ChangeActor, recordChange } from '../catalog/recordChange.js';
import { finishGitGuard } from '../gitGuard/gitGuardRun.js';
import type { RunFailure } from './protocolChannel.js';
import type { ProcessExit } from './startAgentProcess.js';
import type { SupervisionContext } from './supervision.js';

// What a supervision records about its runs: each start, each end, the end
// of restarting, and what a run left in git directories. Each is one
// recordChange: the event(s) and the audit entry commit together.

/** Who acted and through which app: the supervision's caller, for every record. */
function changeBase(context: SupervisionContext) {
	return {
		actor: context.actor,
		...(context.sourceApp === undefined ? {} : { sourceApp: context.sourceApp }),
	};
}

/** A started process: `agent_run_started` + `agents.run_started`. */
export function recordRunStarted(
	context: SupervisionContext,
	run: { readonly runId: string; readonly pid: number; readonly attempt: number },
): void {
	const { sandboxed, policy } = context;
	recordChange(context.db, {
		...changeBase(context),
		events: [
			{
				type: 'agent_run_started',
				fields: {
					agent_id: context.id,
					run_id: run.runId,
					pid: run.pid,
					sandboxed,
					restart_policy: policy,
					attempt: run.attempt,
					...(context.supervisorPid === undefined ? {} : { supervisor_pid: context.supervisorPid }),
				},
			},
		],
		audit: {
			eventType: 'agents.run_started',
			agentId: context.id,
			// Running an agent's code outside the sandbox is a security decision, every time.
			severity: sandboxed ? 'info' : 'security',
			metadata: {
				runId: run.runId,
				pid: run.pid,
				sandboxed,
				...(sandboxed ? {} : { unsandboxed: 'requested explicitly' }),
				attempt: run.attempt,
				restartPolicy: policy,
			},
		},
	});
}

/**
 * An ended run: `agent_run_stopped` when it was asked to stop or exited 0,
 * else `agent_run_crashed`; + `agents.run_ended`. A run failed through its
 * protocol channel (`failure`) is a crash with the failure's reason, however
 * it exited. Returns whether it ended cleanly (what the restart policy calls
 * not failed).
 */
export function recordRunEnded(
	context: SupervisionContext,
	runId: string,
	exit: ProcessExit,
	stoppedBy: ChangeActor | undefined,
	failure?: RunFailure,
): boolean {
	const clean =
		failure === undefined && (exit.stopped || (exit.exitCode === 0 && exit.signal === null));
	recordChange(context.db, {
		...changeBase(context),
		// A stop is the act of whoever asked for it, not of whoever started the run.
		...(exit.stopped && failure === undefined && stoppedBy !== undefined
			? { actor: stoppedBy }
			: {}),
		events: [
			{
				type: clean ? 'agent_run_stopped' : 'agent_run_crashed',
				fields: {
					agent_id: context.id,
					run_id: runId,
					exit_code: exit.exitCode,
					signal: exit.signal,
					reason:
						failure !== undefined
							? failure.reason
							: exit.stopped
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
			agentId: context.id,
			severity: clean ? 'info' : 'warning',
			metadata: {
				runId,
				exitCode: exit.exitCode,
				signal: exit.signal,
				stopped: exit.stopped,
				killed: exit.killed,
				...(failure === undefined ? {} : { failed: failure.reason }),
			},
		},
	});
	return clean;
}

/**
 * A run its protocol channel found unhealthy (e.g. pings unanswered), about
 * to be stopped: `agent_run_unhealthy` + `agents.run_unhealthy`.
 */
export function recordRunUnhealthy(
	context: SupervisionContext,
	runId: string,
	reason: string,
): void {
	recordChange(context.db, {
		...changeBase(context),
		events: [
			{ type: 'agent_run_unhealthy', fields: { agent_id: context.id, run_id: runId, reason } },
		],
		audit: {
			eventType: 'agents.run_unhealthy',
			agentId: context.id,
			severity: 'warning',
			metadata: { runId, reason },
		},
	});
}

/** The restart policy gave up: the agent is `errored` until it is run again. */
export function recordAgentErrored(
	context: SupervisionContext,
	reason: string,
	runId: string | undefined,
	restarts: number,
): void {
	recordChange(context.db, {
		...changeBase(context),
		events: [
			{
				type: 'agent_errored',
				fields: {
					agent_id: context.id,
					...(runId === undefined ? {} : { run_id: runId }),
					reason,
					restarts,
				},
			},
		],
		audit: {
			eventType: 'agents.errored',
			agentId: context.id,
			severity: 'warning',
			metadata: { runId: runId ?? null, reason, restarts },
		},
	});
}

/**
 * After a run's processes are gone: what the sandbox could not keep out of
 * git directories, neutralised and audited (an audit entry it cannot record
 * goes to the run's log instead).
 */
export async function checkGitAfterRun(context: SupervisionContext, runId: string): Promise<void> {
	await finishGitGuard({
		db: context.db,
		home: context.home,
		agentId: context.id,
		runId,
		...(context.sourceApp === undefined ? {} : { sourceApp: context.sourceApp }),
		...(context.onLine === undefined ? {} : { onLine: context.onLine }),
	});
}
