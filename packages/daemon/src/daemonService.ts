import type { ChangeActor } from '@agentspace/agents';
import type { AgentSpaceDb } from '@agentspace/db';
import type { DaemonPaths } from './daemonPaths.js';
import type { MethodHandlers, MethodTable } from './methodTable.js';

/** What the daemon hands each service when it starts: the home, and who it acts as. */
export interface DaemonServiceContext {
	readonly db: AgentSpaceDb;
	readonly home: string;
	readonly paths: DaemonPaths;
	/** Who the daemon acts as when no one asked (DAEMON_ACTOR): reconciliation, restarts. */
	readonly actor: ChangeActor;
	/** The audit entries' `sourceApp`, when the daemon was given one. */
	readonly sourceApp?: string;
	/** The daemon's log. */
	readonly log: (line: string) => void;
	/** True once the daemon is shutting down (a `shutdown` request or `close()`). */
	readonly closing: () => boolean;
}

/**
 * One service the daemon hosts — the supervisor, the admin UI, later the
 * tool router, the MCP endpoint, the key proxy. The daemon knows services
 * only through this: their methods join its socket's table (each checked by
 * its schema before its handler runs), `start` runs once the lock is held,
 * `listening` once the socket answers, `status` adds to the `status` answer,
 * and `close` runs at shutdown, in reverse order, its result merged into the
 * `shutdown` answer.
 */
export interface DaemonService<
	T extends MethodTable = MethodTable,
	S extends object = object,
	C extends object = object,
> {
	/** Names the service in the daemon's log and in its errors. */
	readonly name: string;
	/** The methods it answers on the socket (a name two services declare is refused at start). */
	readonly methods: T;
	/** A handler per method, typed by the table. */
	readonly handlers: MethodHandlers<T>;
	/** Before the socket listens, with the lock held (e.g. reconciling lost runs). */
	start?(context: DaemonServiceContext): Promise<void>;
	/** Once the socket listens (e.g. starting again what was lost). */
	listening?(context: DaemonServiceContext): Promise<void>;
	/** Its part of the `status` answer. */
	status?(): S;
	/** Stops it at shutdown, as `actor`; what it returns joins the `shutdown` answer. */
	close(actor: ChangeActor, graceMs: number): Promise<C>;
}

/** A service of any table: what runDaemon composes (each was checked against its own table where it was defined). */
// biome-ignore lint/suspicious/noExplicitAny: the table varies per service; handlers were checked against it.
export type AnyDaemonService = DaemonService<any, object, object>;
