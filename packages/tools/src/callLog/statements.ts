import type { AgentSpaceDb } from '@agentspace/db';

/** What the call log uses of a prepared statement (better-sqlite3's, positional parameters). */
interface Statement {
	run(...params: unknown[]): { readonly changes: number };
	all(...params: unknown[]): unknown[];
	get(...params: unknown[]): unknown;
	pluck(toggle?: boolean): Statement;
	raw(toggle?: boolean): Statement;
}
const caches = new WeakMap<object, Map<string, Statement>>();

/**
 * A prepared statement for `sql` on this connection, prepared once: the call
 * log is written on every tool call, and building SQL per call (the query
 * builder) costs more than the insert itself.
 */
export function prepared(db: AgentSpaceDb, sql: string): Statement {
	const client = db.$client;
	let cache = caches.get(client);
	if (cache === undefined) {
		cache = new Map();
		caches.set(client, cache);
	}
	let statement = cache.get(sql);
	if (statement === undefined) {
		statement = client.prepare(sql) as unknown as Statement;
		cache.set(sql, statement);
	}
	return statement;
}
