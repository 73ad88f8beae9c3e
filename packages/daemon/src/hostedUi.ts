import type {
	ChangeActor,
	RestartPolicy,
	RunSupervisor,
	StoppedAgent,
	SupervisedAgent,
} from '@agentspace/agents';

/**
 * What the daemon lends a web UI it hosts: the same supervisor the CLI's
 * `agents run` / `agents stop` reach through the socket, so a run started in
 * the browser is supervised, restarted and stopped exactly like one from the
 * terminal. It is the `RunSupervisor` the UI's stop passes to `stopAgent`,
 * as the CLI passes the daemon over its socket.
 */
export interface DaemonLauncher extends RunSupervisor {
	/**
	 * Starts a sandboxed run (the daemon's own environment supplies approved
	 * `env:read:` variables); its audit entries carry `sourceApp`.
	 */
	run(
		id: string,
		restart: RestartPolicy,
		actor: ChangeActor,
		sourceApp: string,
	): Promise<SupervisedAgent>;
	/** Stops a run: SIGTERM, SIGKILL after `graceMs`. */
	stop(id: string, graceMs: number, actor: ChangeActor): Promise<StoppedAgent>;
	/** The agents the daemon supervises now. */
	list(): readonly SupervisedAgent[];
}

/** Where a hosted UI listens, and a one-time link that logs a browser in. */
export interface UiOpened {
	readonly url: string;
	/** Holds a one-time login secret: show it to the user, never log it. */
	readonly loginUrl: string;
	readonly port: number;
	/** When the login link stops working (ISO time). */
	readonly loginExpiresAt: string;
	/** False when the UI was already listening on that port (a new login link was issued). */
	readonly started: boolean;
}

/** A web UI the daemon can host (`ui` / `uiClose` requests). */
export interface HostedUi {
	/** Listens on 127.0.0.1:`port` (moving there if it listened elsewhere) and issues a login link. */
	open(port: number, actor: ChangeActor): Promise<UiOpened>;
	/** Where it listens now, or null. */
	url(): string | null;
	/** Stops listening; false when it was not listening. */
	close(actor: ChangeActor): Promise<boolean>;
}

/** Builds the hosted UI once the daemon's supervisor exists. */
export type HostedUiFactory = (launcher: DaemonLauncher) => HostedUi;
