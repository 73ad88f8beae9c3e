import type { DaemonLauncher, HostedUi } from '@agentspace/agents';
import type { UiHostOptions } from '@agentspace/ui';

/**
 * The daemon's web UI, loaded on first use: until `agentspace ui` asks for
 * it, none of its code (Hono, the pages) is in the daemon's memory. The
 * daemon's bundle is split (see build.mjs), so this import is a chunk that
 * shares the daemon's own modules.
 */
export function lazyUiHost(
	options: Omit<UiHostOptions, 'launcher'>,
): (launcher: DaemonLauncher) => HostedUi {
	return (launcher) => {
		let loading: Promise<HostedUi> | undefined;
		let host: HostedUi | undefined;
		const load = () => {
			loading ??= import('@agentspace/ui').then(({ createUiHost }) => {
				host = createUiHost({ ...options, launcher });
				return host;
			});
			return loading;
		};
		return {
			open: async (port, actor) => (await load()).open(port, actor),
			url: () => host?.url() ?? null,
			close: async (actor) => (host === undefined ? false : host.close(actor)),
		};
	};
}
