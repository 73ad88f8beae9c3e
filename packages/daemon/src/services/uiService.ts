import { AgentSpaceError } from '@agentspace/core';
import type { DaemonService, DaemonServiceContext } from '../daemonService.js';
import type { DaemonLauncher, HostedUi, HostedUiFactory } from '../hostedUi.js';
import type { MethodHandlers } from '../methodTable.js';
import { UI_METHODS, type UiStatus } from './uiMethods.js';

/** Options of {@link uiService}. */
export interface UiServiceOptions {
	/** The web UI it hosts (`agentspace ui`); without one, `ui` requests are refused. */
	readonly ui?: HostedUiFactory;
	/** What the UI runs and stops agents with: the supervisor service's launcher. */
	readonly launcher: DaemonLauncher;
}

/**
 * The admin web UI as a daemon service: built at start from its factory
 * (the CLI's loads `@agentspace/ui` only on the first `ui` request), it
 * answers `ui` (listen on 127.0.0.1:port, issue a login link) and `uiClose`,
 * says where it listens in `status`, and stops listening at shutdown.
 */
export function uiService(options: UiServiceOptions): DaemonService<typeof UI_METHODS, UiStatus> {
	let ui: HostedUi | undefined;
	let context: DaemonServiceContext | undefined;
	const log = (line: string) => context?.log(line);
	const handlers: MethodHandlers<typeof UI_METHODS> = {
		ui: async (params) => {
			if (context?.closing() === true) {
				throw new AgentSpaceError('the daemon is shutting down', {
					code: 'CONFLICT',
					hint: 'start it again: agentspace ui',
				});
			}
			if (ui === undefined) {
				throw new AgentSpaceError('this daemon does not host the web UI', {
					code: 'CONFLICT',
					hint: 'restart it with the agentspace CLI: agentspace daemon stop && agentspace ui',
				});
			}
			const opened = await ui.open(params.port, params.actor);
			// The login link is a secret: the log gets the address only.
			log(`web UI on ${opened.url} for ${params.actor.id}`);
			return opened;
		},
		uiClose: async (params) => {
			const closed = (await ui?.close(params.actor)) ?? false;
			if (closed) log(`web UI closed for ${params.actor.id}`);
			return { closed };
		},
	};
	return {
		name: 'ui',
		methods: UI_METHODS,
		handlers,
		async start(started) {
			context = started;
			ui = options.ui?.(options.launcher);
		},
		status: () => ({ uiUrl: ui?.url() ?? null }),
		async close(actor) {
			try {
				await ui?.close(actor);
			} catch (error) {
				// The other services are closed whatever happened to the UI.
				log(`closing the web UI: ${(error as Error).message}`);
			}
			return {};
		},
	};
}
