import { mkdirSync } from 'node:fs';
import {
	type ChangeActor,
	DEFAULT_STOP_GRACE_MS,
	type LostRun,
	reconcileRuns,
	type SharedSuperviseOptions,
	type StoppedAgent,
	SupervisorRegistry,
} from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { acquireDaemonLock } from './daemonLock.js';
import { daemonPaths } from './daemonPaths.js';
import { DAEMON_ACTOR } from './daemonProtocol.js';
import type { CheckedDaemonRequest } from './daemonRequestSchema.js';
import { type DaemonSocket, listenDaemonSocket } from './daemonServer.js';
import type { HostedUi, HostedUiFactory } from './hostedUi.js';

/** Options of {@link runDaemon}. */
export interface DaemonOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	/** The home's auth token: every request must carry it. */
	readonly token: string;
	/** The daemon's environment: PATH, LANG, TZ (and approved variables) for the runs it restarts itself. */
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly userHome?: string;
	/** How sandboxed runs are started (see superviseAgent). */
	readonly sandboxHostScript?: string;
	readonly sourceApp?: string;
	/** The web UI it can host (`agentspace ui`); without one, `ui` requests are refused. */
	readonly ui?: HostedUiFactory;
	/** Told what the daemon does (its log). */
	readonly log?: (line: string) => void;
	/** How long a connection may take to send its request (default 5 s; see listenDaemonSocket). */
	readonly requestTimeoutMs?: number;
	/** Open connections at most (default 512; see listenDaemonSocket). */
	readonly maxConnections?: number;
	/** The window the socket's refusals are folded in (default 10 s). */
	readonly refusalWindowMs?: number;
}

/** A running daemon. */
export interface RunningDaemon {
	readonly socket: string;
	/** Runs found lost at start-up (recorded as crashed). */
	readonly lost: readonly LostRun[];
	/** Resolves once the daemon has shut down (a `shutdown` request or `close()`). */
	readonly closed: Promise<void>;
	/** Stops every agent (recorded as stopped, by `actor`), closes the socket, releases the lock. */
	close(graceMs?: number, actor?: ChangeActor): Promise<StoppedAgent[]>;
}

/**
 * Runs the home's supervisor daemon in this process: takes the lock (a second
 * daemon refuses with `CONFLICT`), reconciles the catalogue (lost runs become
 * `agent_run_crashed`), listens on `<home>/run/daemon.sock`, and starts again
 * the lost agents whose restart policy is `always`.
 */
export async function runDaemon(options: DaemonOptions): Promise<RunningDaemon> {
	const paths = daemonPaths(options.home);
	mkdirSync(paths.runDir, { recursive: true, mode: 0o700 });
	const lock = acquireDaemonLock(paths.pidFile);
	const log = options.log ?? (() => {});
	const startedAt = new Date().toISOString();
	let server: DaemonSocket | undefined;
	try {
		const lost = await reconcileRuns(options.db, {
			actor: DAEMON_ACTOR,
			home: options.home,
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		});
		for (const run of lost) {
			log(
				`run ${run.runId} of ${run.agentId} was lost${run.orphanStopped ? ' (its orphaned processes were stopped)' : ''}`,
			);
		}
		const shared: SharedSuperviseOptions = {
			db: options.db,
			home: options.home,
			supervisorPid: process.pid,
			socketPath: paths.socket,
			...(options.userHome === undefined ? {} : { userHome: options.userHome }),
			...(options.sandboxHostScript === undefined
				? {}
				: { sandboxHostScript: options.sandboxHostScript }),
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		};
		const registry = new SupervisorRegistry(shared);
		const ui: HostedUi | undefined = options.ui?.({
			run: (id, restart, actor, sourceApp) =>
				registry.run({ id, restart, unsandboxed: false, env: options.env, actor, sourceApp }),
			stop: (id, graceMs, actor) => registry.stop(id, graceMs, actor),
			stopAll: (graceMs, actor) => registry.stopAll(graceMs, actor),
			supervised: () => registry.supervised(),
			list: () => registry.list(),
		});
		let resolveClosed: () => void = () => {};
		const closed = new Promise<void>((resolve) => {
			resolveClosed = resolve;
		});
		let closing: Promise<StoppedAgent[]> | undefined;
		const close = (
			graceMs = DEFAULT_STOP_GRACE_MS,
			actor: ChangeActor = DAEMON_ACTOR,
		): Promise<StoppedAgent[]> => {
			closing ??= (async () => {
				log('shutting down: stopping every agent');
				try {
					await ui?.close(actor);
				} catch (error) {
					// The agents are stopped whatever happened to the UI.
					log(`closing the web UI: ${(error as Error).message}`);
				}
				const stopped = await registry.stopAll(graceMs, actor);
				// Not awaited here: the `shutdown` request's own connection is still open.
				// Closing removes the socket file (only if it is still ours).
				const serverClosed = server?.close(2000);
				lock.release();
				void (serverClosed ?? Promise.resolve()).then(resolveClosed);
				return stopped;
			})();
			return closing;
		};
		const handle = async (request: CheckedDaemonRequest): Promise<unknown> => {
			switch (request.method) {
				case 'status':
					return {
						pid: process.pid,
						startedAt,
						socket: paths.socket,
						rssBytes: process.memoryUsage.rss(),
						agents: registry.list(),
						uiUrl: ui?.url() ?? null,
					};
				case 'run': {
					const { params } = request;
					log(`run ${params.id} (restart ${params.restart}) for ${params.actor.id}`);
					return registry.run({
						id: params.id,
						restart: params.restart,
						unsandboxed: params.unsandboxed,
						env: params.env,
						actor: params.actor,
					});
				}
				case 'stop':
					log(`stop ${request.params.id} for ${request.params.actor.id}`);
					return registry.stop(request.params.id, request.params.graceMs, request.params.actor);
				case 'stopAll':
					return registry.stopAll(request.params.graceMs, request.params.actor);
				case 'ui': {
					if (closing !== undefined) {
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
					const opened = await ui.open(request.params.port, request.params.actor);
					// The login link is a secret: the log gets the address only.
					log(`web UI on ${opened.url} for ${request.params.actor.id}`);
					return opened;
				}
				case 'uiClose': {
					const closed = (await ui?.close(request.params.actor)) ?? false;
					if (closed) log(`web UI closed for ${request.params.actor.id}`);
					return { closed };
				}
				case 'shutdown': {
					const stopped = await close(request.params.graceMs, request.params.actor);
					return { stopped };
				}
			}
		};
		server = await listenDaemonSocket({
			socket: paths.socket,
			token: options.token,
			db: options.db,
			handle,
			log,
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
			...(options.requestTimeoutMs === undefined
				? {}
				: { requestTimeoutMs: options.requestTimeoutMs }),
			...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
			...(options.refusalWindowMs === undefined
				? {}
				: { refusalWindowMs: options.refusalWindowMs }),
		});
		log(`listening on ${paths.socket} (pid ${process.pid})`);
		for (const run of lost) {
			if (run.restartPolicy !== 'always') continue;
			try {
				await registry.run({
					id: run.agentId,
					restart: 'always',
					unsandboxed: !run.sandboxed,
					env: options.env,
					actor: DAEMON_ACTOR,
				});
				log(`started ${run.agentId} again (restart policy always)`);
			} catch (error) {
				log(`could not start ${run.agentId} again: ${(error as Error).message}`);
			}
		}
		return { socket: paths.socket, lost, closed, close };
	} catch (error) {
		void server?.close(0);
		lock.release();
		throw error;
	}
}
