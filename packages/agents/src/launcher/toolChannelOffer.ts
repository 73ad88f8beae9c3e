import type { StartedRun } from './startRun.js';
import type { SupervisionContext } from './supervision.js';

/**
 * Gives a started run's tool channel (see OnToolChannel) to `onToolChannel`,
 * if the run has one. A handler that throws leaves nobody serving it: the
 * channel is closed, so the agent reads its end, and the run goes on.
 */
export function offerToolChannel(context: SupervisionContext, run: StartedRun): void {
	const stream = run.process.toolChannel;
	if (stream === undefined || context.onToolChannel === undefined) return;
	try {
		context.onToolChannel(
			{ agentId: context.id, runId: run.runId, allowed: run.toolScopes },
			{ stream, closed: run.process.exited.then(() => undefined) },
		);
	} catch {
		// The agent reads the end of its channel: its calls fail, it keeps running.
		stream.destroy();
	}
}
