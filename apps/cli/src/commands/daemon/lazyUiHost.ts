import { AgentSpaceError } from '@agentspace/core';
import type { DaemonLauncher, HostedUi } from '@agentspace/daemon';
import type { UiHostOptions } from '@agentspace/ui';

/** What it needs of `@agentspace/ui`. */
type UiModule = Pick<typeof import('@agentspace/ui'), 'createUiHost'>;

/**
 * The daemon's web UI, loaded on first use: until `agentspace ui` asks for
 * it, none of its code (Hono, the pages) is in the daemon's memory. The
 * daemon's bundle is split (see build.mjs), so this import is a chunk that
 * shares the daemon's own modules.
 */
export function lazyUiHost(
	options: Omit<UiHostOptions, 'launcher'>,
	loadUi: () => Promise<UiModule> = () => import('@agentspace/ui'),
): (launcher: DaemonLauncher) => HostedUi {
	return (launcher) => {
		let loading: Promise<HostedUi> | undefined;
		let host: HostedUi | undefined;
		const load = () => {
			loading ??= loadUi().then(
				({ createUiHost }) => {
					host = createUiHost({ ...options, launcher });
					return host;
				},
				(error: unknown) => {
					// Not kept: the next `agentspace ui` tries again.
					loading = undefined;
					throw new AgentSpaceError(
						`the daemon cannot load the web UI: ${(error as Error).message}`,
						{
							code: 'COMMAND_FAILED',
							hint: 'agentspace was rebuilt or upgraded since the daemon started: agentspace daemon stop && agentspace ui',
						},
					);
				},
			);
			return loading;
		};
		return {
			open: async (port, actor) => (await load()).open(port, actor),
			url: () => host?.url() ?? null,
			// A close during the first open waits for it (and then closes what it opened).
			close: async (actor) => (loading === undefined ? false : (await loading).close(actor)),
		};
	};
}
