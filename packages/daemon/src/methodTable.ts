import type { z } from 'zod';

/**
 * One method of the daemon's socket, declared once: the schema its params
 * are checked by (before any handler runs) and, as a type only, what it
 * answers. Handlers, the server and the client are all typed from it.
 */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R = unknown> {
	readonly params: P;
	/** Never set: carries the result type `R` for the handler and client types. */
	readonly result?: R;
}

/** Methods by name: a service's, or the daemon's whole table. */
export type MethodTable = { readonly [method: string]: MethodSpec };

/**
 * Declares a method answering `R` with params checked by `params`
 * (`method<SupervisedAgent>()(z.strictObject({ … }))`; two calls because
 * TypeScript cannot take `R` explicitly and infer the schema in one).
 */
export function method<R>(): <P extends z.ZodType>(params: P) => MethodSpec<P, R> {
	return (params) => ({ params });
}

/** The params a handler of `M` receives: what its schema outputs. */
export type MethodParams<T extends MethodTable, M extends keyof T> = z.output<T[M]['params']>;

/** The params a caller of `M` sends: what its schema accepts. */
export type MethodInput<T extends MethodTable, M extends keyof T> = z.input<T[M]['params']>;

/** What `M` answers. */
export type MethodResult<T extends MethodTable, M extends keyof T> =
	T[M] extends MethodSpec<z.ZodType, infer R> ? R : never;

/**
 * A handler for every method of `T`, each typed per method (params in,
 * result out): a missing handler, or one answering the wrong type, does not
 * compile.
 */
export type MethodHandlers<T extends MethodTable> = {
	readonly [M in keyof T]: (params: MethodParams<T, M>) => Promise<MethodResult<T, M>>;
};
