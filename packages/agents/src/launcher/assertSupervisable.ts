import { AgentSpaceError, ConflictError, PermissionDeniedError } from '@agentspace/core';
import { isSupervisorAlive } from '../process/isSupervisorAlive.js';
import { processRunId } from '../process/processRunId.js';
import { sandboxReadiness } from '../sandbox/sandboxReadiness.js';
import { currentRuns } from './currentRun.js';
import type { SuperviseOptions } from './supervision.js';

/**
 * The checks before a supervision starts anything: a sandboxed run needs a
 * usable sandbox (`PERMISSION_DENIED`, naming what is missing and the
 * explicit way around it) and the sandbox host's script (`INTERNAL`: the
 * caller's mistake), and an agent has one supervisor at a time (`CONFLICT`).
 * Whether the agent itself may run is `assertRunnable`'s, asked at every start.
 */
export function assertSupervisable(options: SuperviseOptions): void {
	if (!options.unsandboxed) {
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
}
