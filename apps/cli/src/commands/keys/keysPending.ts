import { callDaemon } from '@agentspace/daemon';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { safe } from '../agents/describeAgent.js';
import { daemonStatusOrUndefined, listeningDaemonConnection } from '../daemon/daemonConnection.js';

/**
 * `agentspace keys pending`: the runs waiting for the user's approval to use
 * a provider for the first time (limited-control), oldest first, each with
 * the command that answers it. Nothing waits when the daemon is not running.
 */
export async function keysPending(ctx: CommandContext): Promise<ActionResult> {
	const connection = await listeningDaemonConnection(ctx.home);
	const running = connection === undefined ? undefined : await daemonStatusOrUndefined(connection);
	if (connection === undefined || running === undefined) {
		ctx.output.data({ pending: [] });
		ctx.output.line('Nothing is waiting for approval (the daemon is not running).');
		return;
	}
	const { pending } = await callDaemon(connection, 'keysPending', {});
	ctx.output.data({ pending });
	if (pending.length === 0) {
		ctx.output.line('Nothing is waiting for approval.');
		return;
	}
	ctx.output.table(pending, [
		{ header: 'AGENT', value: (p) => safe(p.agentId) },
		{ header: 'PROVIDER', value: (p) => p.provider },
		{ header: 'RUN', value: (p) => p.runId },
		{ header: 'WAITING', value: (p) => String(p.waiting) },
		{ header: 'ASKED', value: (p) => p.requestedAt },
		{ header: 'REFUSED AT', value: (p) => p.expiresAt },
	]);
	const first = pending[0];
	if (first !== undefined) {
		ctx.output.line(
			ctx.output.style.dim(
				`answer: agentspace keys approve ${safe(first.agentId)} ${first.provider} (or --deny)`,
			),
		);
	}
}
