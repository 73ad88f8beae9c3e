import type { Duplex } from 'node:stream';
import type { z } from 'zod';

/**
 * One method of the daemon's socket, declared once: the schema its params
 * are checked by (before any handler runs) and, as a type only, what it
 * answers. Handlers, the server and the client are all typed from it.
 */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R = unknown, G = never> {
	readonly params: P;
	/** Never set: carries the result type `R` for the handler and client types. */
	readonly result?: R;
	/** Never set: carries the type `G` of the progress lines it sends before its answer. */
	readonly progress?: G;
	/**
	 * True for a method that streams (declared with {@link streamingMethod}):
	 * its handler's progress goes to the client as `{"progress": …}` lines
	 * before the answer. Other methods answer with one line, as always.
	 */
	readonly streams?: boolean;
	/**
	 * True for a method whose connection may become a raw byte stream once
	 * answered (declared with {@link upgradeMethod}): its handler gets
	 * `call.upgrade()`.
	 */
	readonly upgrades?: boolean;
}

/** Methods by name: a service's, or the daemon's whole table. */
export type MethodTable = { readonly [method: string]: MethodSpec<z.ZodType, unknown, unknown> };

/**
 * Declares a method answering `R` with params checked by `params`
 * (`method<SupervisedAgent>()(z.strictObject({ … }))`; two calls because
 * TypeScript cannot take `R` explicitly and infer the schema in one).
 */
export function method<R>(): <P extends z.ZodType>(params: P) => MethodSpec<P, R> {
	return (params) => ({ params });
}

/**
 * Declares a method that streams: it answers `R`, and before that sends
 * progress `G` as its handler reports it (one `{"progress": G}` line each,
 * in order). Its handler also gets the call's AbortSignal, aborted when the
 * client closes its connection (e.g. Ctrl-C on the CLI).
 */
export function streamingMethod<R, G>(): <P extends z.ZodType>(params: P) => MethodSpec<P, R, G> {
	return (params) => ({ params, streams: true });
}

/**
 * Declares a method whose connection, once answered, can become a raw byte
 * stream handed to its handler (`mcpConnect`: the MCP protocol flows over it
 * after the answer line). Its handler calls `call.upgrade()` before it
 * answers; an error answer upgrades nothing (the connection ends as usual).
 * An upgraded connection has no request timeout and is never evicted; the
 * daemon holds at most DEFAULT_MAX_UPGRADED of them.
 */
export function upgradeMethod<R>(): <P extends z.ZodType>(
	params: P,
) => MethodSpec<P, R> & { readonly upgrades: true } {
	return (params) => ({ params, upgrades: true });
}

/** What an upgrade method's `call.upgrade()` returns. */
export interface UpgradedConnection {
	/**
	 * The connection as a raw byte stream, once the answer line is written.
	 * Bytes the client sent after its request line come first (none is lost).
	 * It is paused: call `resume()` once its reader listens. Rejects when the
	 * handler answered with an error or the client went away first.
	 */
	readonly stream: Promise<Duplex>;
}

/** The params a handler of `M` receives: what its schema outputs. */
export type MethodParams<T extends MethodTable, M extends keyof T> = z.output<T[M]['params']>;

/** The params a caller of `M` sends: what its schema accepts. */
export type MethodInput<T extends MethodTable, M extends keyof T> = z.input<T[M]['params']>;

/** What `M` answers. */
export type MethodResult<T extends MethodTable, M extends keyof T> =
	T[M] extends MethodSpec<z.ZodType, infer R, unknown> ? R : never;

/** What `M` sends as progress before its answer (`never` for a method that does not stream). */
export type MethodProgress<T extends MethodTable, M extends keyof T> =
	T[M] extends MethodSpec<z.ZodType, unknown, infer G> ? G : never;

/**
 * What a handler gets beside its params: the request's AbortSignal (aborted
 * when the client closes its connection before the answer), and, for a
 * streaming method, where its progress goes (a no-op for the others).
 */
export interface MethodCall<G = never> {
	readonly signal: AbortSignal;
	progress(progress: G): void;
	/**
	 * Present for an upgrade method only (see upgradeMethod): the connection
	 * becomes a byte stream once the handler answers successfully. Throws
	 * (`CONFLICT`) when the daemon holds as many upgraded connections as it may.
	 */
	readonly upgrade?: () => UpgradedConnection;
}

/** What an upgrade method's handler gets: {@link MethodCall} with `upgrade` always there. */
export interface UpgradeCall<G = never> extends MethodCall<G> {
	readonly upgrade: () => UpgradedConnection;
}

/**
 * A handler for every method of `T`, each typed per method (params in,
 * result out, progress of its type): a missing handler, or one answering the
 * wrong type, does not compile.
 */
export type MethodHandlers<T extends MethodTable> = {
	readonly [M in keyof T]: (
		params: MethodParams<T, M>,
		call: T[M] extends { readonly upgrades: true }
			? UpgradeCall<MethodProgress<T, M>>
			: MethodCall<MethodProgress<T, M>>,
	) => Promise<MethodResult<T, M>>;
};
