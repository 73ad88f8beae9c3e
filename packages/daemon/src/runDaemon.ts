import { mkdirSync } from 'node:fs';
import { type ChangeActor, DEFAULT_STOP_GRACE_MS } from '@agentspace/agents';
import { AgentSpaceError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { acquireDaemonLock } from './daemonLock.js';
import { daemonPaths } from './daemonPaths.js';
import { DAEMON_ACTOR } from './daemonProtocol.js';
import { type DaemonSocket, listenDaemonSocket } from './daemonServer.js';
import type { AnyDaemonService, DaemonServiceContext } from './daemonService.js';
import { hostMethods } from './hostMethods.js';
import type { MethodCall, MethodHandlers, MethodParams, MethodTable } from './methodTable.js';

type HostMethods = ReturnType<typeof hostMethods>;
/** A handler once its params are checked: the table's types end at the socket. */
type Handler = (params: unknown, call: MethodCall<unknown>) => Promise<unknown>;

/** Options of {@link runDaemon}. */
export interface DaemonOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	/** The home's auth token: every request must carry it. */
	readonly token: string;
	/**
	 * What it hosts, in start order (closed in reverse): `daemonServices()`
	 * for the supervisor and the admin UI, plus any other DaemonService.
	 */
	readonly services: readonly AnyDaemonService[];
	readonly sourceApp?: string;
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
	/** Resolves once the daemon has shut down (a `shutdown` request or `close()`). */
	readonly closed: Promise<void>;
	/**
	 * Closes every service (the supervisor stops every agent, recorded as
	 * stopped by `actor`), then the socket, and releases the lock; resolves
	 * with what the services said (the `shutdown` answer).
	 */
	close(graceMs?: number, actor?: ChangeActor): Promise<Record<string, unknown>>;
}

/**
 * Runs the home's daemon in this process: takes the lock (a second daemon
 * refuses with `CONFLICT`), starts its services in order, listens on
 * `<home>/run/daemon.sock` — answering the host's own `status` and
 * `shutdown` and every service's methods, each request checked by its
 * method's schema — and tells the services it listens. It knows the services
 * only as DaemonServices.
 */
export async function runDaemon(options: DaemonOptions): Promise<RunningDaemon> {
	const paths = daemonPaths(options.home);
	const { methods, handlers } = methodsOf(options.services);
	mkdirSync(paths.runDir, { recursive: true, mode: 0o700 });
	const lock = acquireDaemonLock(paths.pidFile);
	const log = options.log ?? (() => {});
	const startedAt = new Date().toISOString();
	let server: DaemonSocket | undefined;
	let closing: Promise<Record<string, unknown>> | undefined;
	const context: DaemonServiceContext = {
		db: options.db,
		home: options.home,
		paths,
		actor: DAEMON_ACTOR,
		log,
		closing: () => closing !== undefined,
		...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
	};
	try {
		for (const service of options.services) await service.start?.(context);
		let resolveClosed: () => void = () => {};
		const closed = new Promise<void>((resolve) => {
			resolveClosed = resolve;
		});
		const close = (graceMs = DEFAULT_STOP_GRACE_MS, actor: ChangeActor = DAEMON_ACTOR) => {
			closing ??= (async () => {
				log('shutting down');
				let answer: Record<string, unknown> = {};
				let failure: unknown;
				try {
					for (const service of [...options.services].reverse()) {
						try {
							answer = { ...answer, ...(await service.close(actor, graceMs)) };
						} catch (error) {
							// The other services are closed, the socket too, and the lock released, whatever this one did.
							log(`closing ${service.name}: ${(error as Error).message}`);
							failure ??= error;
						}
					}
				} finally {
					// Not awaited here: the `shutdown` request's own connection is still open.
					// Closing removes the socket file (only if it is still ours).
					const serverClosed = server?.close(2000);
					lock.release();
					void (serverClosed ?? Promise.resolve()).then(resolveClosed);
				}
				if (failure !== undefined) throw failure;
				return answer;
			})();
			return closing;
		};
		const host: MethodHandlers<HostMethods> = {
			status: async () => {
				let status = {
					pid: process.pid,
					startedAt,
					socket: paths.socket,
					rssBytes: process.memoryUsage.rss(),
				};
				for (const service of options.services) status = { ...status, ...service.status?.() };
				return status;
			},
			shutdown: (params) => close(params.graceMs, params.actor),
		};
		// The server checks `method` against `all`, and `params` against its schema, before a handler runs.
		const all = { ...hostMethods(), ...methods };
		const table: Record<string, Handler> = {
			...handlers,
			status: (params, call) =>
				host.status(params as MethodParams<HostMethods, 'status'>, call as MethodCall<never>),
			shutdown: (params, call) =>
				host.shutdown(params as MethodParams<HostMethods, 'shutdown'>, call as MethodCall<never>),
		};
		const handle = (method: string, params: unknown, call: MethodCall<unknown>) =>
			(table[method] as Handler)(params, call);
		server = await listenDaemonSocket({
			socket: paths.socket,
			token: options.token,
			db: options.db,
			methods: all,
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
		for (const service of options.services) await service.listening?.(context);
		return { socket: paths.socket, closed, close };
	} catch (error) {
		void server?.close(0);
		lock.release();
		throw error;
	}
}

/** Every service's methods and handlers in one table; a method two of them (or the host) declare is a programming error. */
function methodsOf(services: readonly AnyDaemonService[]): {
	methods: MethodTable;
	handlers: Record<string, Handler>;
} {
	const methods: Record<string, MethodTable[string]> = {};
	const handlers: Record<string, Handler> = {};
	const owners = new Map<string, string>(Object.keys(hostMethods()).map((m) => [m, 'the daemon']));
	for (const service of services) {
		for (const [name, spec] of Object.entries(service.methods as MethodTable)) {
			const owner = owners.get(name);
			if (owner !== undefined) {
				throw new AgentSpaceError(
					`the daemon cannot host ${service.name}: ${owner} answers method "${name}" already`,
					{ code: 'CONFLICT', hint: 'each method has one service: rename one of the two' },
				);
			}
			owners.set(name, service.name);
			methods[name] = spec;
			handlers[name] = service.handlers[name] as Handler;
		}
	}
	return { methods, handlers };
}
