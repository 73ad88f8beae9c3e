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
}

/**
 * A handler for every method of `T`, each typed per method (params in,
 * result out, progress of its type): a missing handler, or one answering the
 * wrong type, does not compile.
 */
export type MethodHandlers<T extends MethodTable> = {
	readonly [M in keyof T]: (
		params: MethodParams<T, M>,
		call: MethodCall<MethodProgress<T, M>>,
	) => Promise<MethodResult<T, M>>;
};
