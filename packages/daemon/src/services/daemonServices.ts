import type { HostedUiFactory } from '../hostedUi.js';
import { type SupervisorService, supervisorService } from './supervisorService.js';
import { uiService } from './uiService.js';

/** Options of {@link daemonServices}. */
export interface DaemonServicesOptions {
	/** The daemon's environment: PATH, LANG, TZ (and approved variables) for the runs it starts itself. */
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly userHome?: string;
	/** How sandboxed runs are started (see superviseAgent). */
	readonly sandboxHostScript?: string;
	/** The web UI it can host (`agentspace ui`); without one, `ui` requests are refused. */
	readonly ui?: HostedUiFactory;
}

/**
 * The services of the daemon `agentspace daemon` runs, in the order they
 * start (and the reverse of the order they close): the supervisor, then the
 * admin UI, which runs and stops agents through it. Its methods are
 * DAEMON_METHODS.
 */
export function daemonServices(options: DaemonServicesOptions) {
	const { ui, ...supervised } = options;
	const supervisor: SupervisorService = supervisorService(supervised);
	return [
		supervisor,
		uiService({ launcher: supervisor.launcher, ...(ui === undefined ? {} : { ui }) }),
	] as const;
}
