import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();
const rawCaches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement for `sql` on this connection, prepared once and reused.
 * The hot paths (append, projections, replay) use prepared SQL rather than the
 * query builder: building SQL per call costs more than the insert itself.
 */
export function prepared(client: Database.Database, sql: string): Database.Statement {
	let cache = caches.get(client);
	if (cache === undefined) {
		cache = new Map();
		caches.set(client, cache);
	}
	let statement = cache.get(sql);
	if (statement === undefined) {
		statement = client.prepare(sql);
		cache.set(sql, statement);
	}
	return statement;
}

/**
 * Like {@link prepared}, but the statement returns rows as arrays: reading
 * the log (replay, consumers, queries) skips building an object per row.
 */
export function preparedRaw(client: Database.Database, sql: string): Database.Statement {
	let cache = rawCaches.get(client);
	if (cache === undefined) {
		cache = new Map();
		rawCaches.set(client, cache);
	}
	let statement = cache.get(sql);
	if (statement === undefined) {
		statement = client.prepare(sql).raw();
		cache.set(sql, statement);
	}
	return statement;
}
