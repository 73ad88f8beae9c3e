import { fileURLToPath } from 'node:url';
import { getOrCreateAuthToken } from '@agentspace/core';
import { daemonServices, type RunningDaemon, runDaemon } from '@agentspace/daemon';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openHomeDb } from '../../homeDb.js';
import { lazyUiHost } from './lazyUiHost.js';

/** The bundled sandbox host (dist/sandboxHost.js): one per sandboxed run. */
export function sandboxHostScript(): string {
	return fileURLToPath(new URL('../../sandboxHost.js', import.meta.url));
}

/**
 * `daemon run`: the daemon in this process, in the foreground (what `daemon
 * start` runs in the background). SIGTERM, SIGINT or SIGHUP stop every agent
 * it supervises, recorded as stopped, then it exits 0.
 */
export async function daemonRun(ctx: CommandContext): Promise<ActionResult> {
	const db = openHomeDb(ctx.home);
	try {
		const { token } = await getOrCreateAuthToken({ home: ctx.home });
		const log = (line: string) => ctx.output.line(`${new Date().toISOString()} ${line}`);
		// The handlers go in before the daemon starts: a stop signal while it
		// starts (reconciling, starting again what was lost) is remembered and
		// acted on once it is up, instead of killing the process half-way and
		// leaving the agents it just started again unsupervised.
		let daemon: RunningDaemon | undefined;
		let stopRequested = false;
		const stop = () => {
			if (daemon === undefined) stopRequested = true;
			else void daemon.close();
		};
		const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
		for (const signal of signals) process.on(signal, stop);
		try {
			daemon = await runDaemon({
				db,
				home: ctx.home,
				token,
				// The supervisor, then the admin UI (loaded on the first `agentspace ui`).
				services: daemonServices({
					env: ctx.env,
					sandboxHostScript: sandboxHostScript(),
					// The MCP HTTP endpoint accepts the same token as the socket (and minted ones).
					mcpHttp: { authToken: token },
					ui: lazyUiHost({
						db,
						home: ctx.home,
						authToken: token,
						owner: cliActor(),
						env: ctx.env,
						log,
					}),
				}),
				sourceApp: CLI_SOURCE_APP,
				log,
			});
			if (stopRequested) void daemon.close();
			await daemon.closed;
			log('stopped');
		} finally {
			for (const signal of signals) process.off(signal, stop);
		}
	} finally {
		db.$client.close();
	}
	// Shut down: nothing of ours is left, so a handle someone else left open must not keep the daemon alive.
	setTimeout(() => process.exit(process.exitCode ?? 0), 250).unref();
}
