import { callDaemon } from '@agentspace/daemon';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { safe } from '../agents/describeAgent.js';
import { ensureDaemon } from '../daemon/daemonConnection.js';

/**
 * `agentspace keys serve`: the local LLM endpoint's state and address. The
 * daemon serves it from its start (config `apiEndpoint`), so this starts the
 * daemon when it is not running and reports what it found: serving (the URL,
 * how SDKs are pointed at it), or failed with the reason and what to do.
 */
export async function keysServe(ctx: CommandContext): Promise<ActionResult> {
	const { status, started, connection } = await ensureDaemon(ctx.home, ctx.env);
	const { style } = ctx.output;
	if (started) ctx.output.note(style.dim(`started the AgentSpace daemon (pid ${status.pid})`));
	const endpoint = await callDaemon(connection, 'keysStatus', {});
	ctx.output.data(endpoint);
	if (endpoint.state !== 'serving') {
		ctx.output.line(
			`The LLM endpoint is ${endpoint.state === 'failed' ? style.red('not serving') : 'stopped'} (${endpoint.url}).`,
		);
		if (endpoint.reason !== undefined) ctx.output.line(`  reason: ${safe(endpoint.reason)}`);
		ctx.output.line(
			style.dim(
				'  free the port or choose another (agentspace config set apiEndpoint.port <port>), then: agentspace daemon stop && agentspace daemon start',
			),
		);
		return;
	}
	ctx.output.line(`AgentSpace LLM endpoint: ${style.bold(endpoint.url)} (serving)`);
	ctx.output.line(`  sandboxed runs reach it through ${endpoint.socketPath}`);
	ctx.output.line(
		`  ${endpoint.requests} requests since the daemon started; ${endpoint.pending} first uses waiting (agentspace keys pending)`,
	);
	ctx.output.line('Agents approved for llm:<provider> get its address and their session token;');
	ctx.output.line('any other client needs a key token (agentspace keys token) as its API key:');
	ctx.output.line(`  ANTHROPIC_BASE_URL=${endpoint.url}/anthropic ANTHROPIC_API_KEY=<token>`);
	ctx.output.line(`  OPENAI_BASE_URL=${endpoint.url}/openai/v1 OPENAI_API_KEY=<token>`);
}
