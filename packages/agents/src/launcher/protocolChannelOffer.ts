import type { Readable } from 'node:stream';
import type { AgentProtocolChannel } from './protocolChannel.js';
import type { StartedRun } from './startRun.js';
import type { SupervisionContext } from './supervision.js';

/** A failure's reason is kept to this many characters (it is recorded and shown). */
export const MAX_FAILURE_REASON_LENGTH = 1024;

/** Ends the run as failed (see AgentProtocolChannel.fail); resolves once the end is recorded. */
export type FailRun = (reason: string, unhealthy: boolean) => Promise<void>;

/** A reason fit to record: bounded, never empty. */
function failureReason(reason: string): string {
	const text = String(reason).trim();
	if (text === '') return 'failed through its protocol channel';
	return text.length > MAX_FAILURE_REASON_LENGTH
		? `${text.slice(0, MAX_FAILURE_REASON_LENGTH - 1)}…`
		: text;
}

/**
 * Gives a started run's protocol channel (an MCP agent's stdin and stdout)
 * to `onProtocolChannel`, if the run has one and someone asked for it. A
 * handler that throws leaves nobody to talk to the agent: the run is failed.
 */
export function offerProtocolChannel(
	context: SupervisionContext,
	run: StartedRun,
	fail: FailRun,
): void {
	const pipes = run.process.channel;
	if (pipes === undefined || context.onProtocolChannel === undefined) return;
	const channel: AgentProtocolChannel = {
		fromAgent: pipes.fromAgent as NodeJS.ReadableStream & Readable,
		toAgent: pipes.toAgent,
		closed: run.process.exited.then(() => undefined),
		fail: (reason, options) => fail(failureReason(reason), options?.unhealthy === true),
	};
	try {
		context.onProtocolChannel({ agentId: context.id, runId: run.runId }, channel);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		// Its recording error, if any, surfaces where the supervision's end is awaited.
		channel.fail(`the protocol channel's handler failed: ${message}`).catch(() => {});
	}
}
