import { assertSupervisable } from './assertSupervisable.js';
import { keepRunning } from './restartLoop.js';
import { DEFAULT_BACKOFF } from './restartPolicy.js';
import type { SuperviseOptions, Supervisor } from './supervision.js';

export type {
	LlmEndpoint,
	RunCredentials,
	SuperviseOptions,
	SupervisionResult,
	Supervisor,
	SupervisorStatus,
} from './supervision.js';

/**
 * Runs an agent and keeps it running by its restart policy. Every start
 * passes `assertRunnable` again (a revoke or a changed manifest stops the
 * restarts), gets a new run id, session token and log file
 * (`<home>/logs/<id>/<run-id>.log`), and is recorded as `agent_run_started`
 * + `agents.run_started`; every end as `agent_run_stopped` (asked to stop, or
 * exit 0) or `agent_run_crashed` + `agents.run_ended`.
 *
 * The parts, each in its file: the checks before anything starts
 * (`assertSupervisable`), one run's start (`startRun`), what is recorded
 * about runs (`runEvents`) and the restart loop with its stop (`keepRunning`).
 */
export async function superviseAgent(options: SuperviseOptions): Promise<Supervisor> {
	assertSupervisable(options);
	return keepRunning({
		...options,
		sandboxed: !options.unsandboxed,
		policy: options.restart ?? 'no',
		backoff: options.backoff ?? DEFAULT_BACKOFF,
	});
}
