import { existsSync } from 'node:fs';
import { AgentSpaceError } from '@agentspace/core';
import { callDaemon, daemonPaths } from '@agentspace/daemon';
import { DEFAULT_UI_PORT } from '@agentspace/ui';
import type { ActionResult } from '../../action.js';
import { cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { parseIntArg } from '../../parseArgs.js';
import {
	daemonConnection,
	daemonStatusOrUndefined,
	ensureDaemon,
} from '../daemon/daemonConnection.js';
import type { UiOptions } from './uiOptions.js';

/**
 * `agentspace ui`: asks the daemon (started when needed) to serve the admin UI
 * on 127.0.0.1 and prints its address and a one-time login link.
 * `--close`: stops serving it.
 */
export async function uiOpen(ctx: CommandContext, options: UiOptions): Promise<ActionResult> {
	if (options.close === true) {
		if (options.port !== undefined) {
			throw new AgentSpaceError('--close and --port do not go together', {
				code: 'USAGE',
				hint: 'agentspace ui --close',
			});
		}
		return closeUi(ctx);
	}
	const port =
		options.port === undefined ? DEFAULT_UI_PORT : parseIntArg('--port', options.port, 1, 65_535);
	const { status, started, connection } = await ensureDaemon(ctx.home, ctx.env);
	if (started)
		ctx.output.note(ctx.output.style.dim(`started the AgentSpace daemon (pid ${status.pid})`));
	const opened = await callDaemon(connection, 'ui', { port, actor: cliActor() });
	ctx.output.data(opened);
	const { style } = ctx.output;
	const minutes = Math.round((Date.parse(opened.loginExpiresAt) - Date.now()) / 60_000);
	ctx.output.line(`AgentSpace admin UI: ${style.bold(opened.url)}`);
	ctx.output.line(`Log in (one-time link, valid ${minutes} minutes, this machine only):`);
	ctx.output.line(`  ${opened.loginUrl}`);
	ctx.output.line(style.dim('Stop serving it: agentspace ui --close'));
}

async function closeUi(ctx: CommandContext): Promise<ActionResult> {
	const running = existsSync(daemonPaths(ctx.home).socket);
	const connection = running ? await daemonConnection(ctx.home) : undefined;
	if (connection === undefined || (await daemonStatusOrUndefined(connection)) === undefined) {
		ctx.output.data({ closed: false });
		ctx.output.line('The UI is not open (the daemon is not running).');
		return;
	}
	const { closed } = await callDaemon(connection, 'uiClose', { actor: cliActor() });
	ctx.output.data({ closed });
	ctx.output.line(closed ? 'Closed the admin UI.' : 'The UI was not open.');
}
