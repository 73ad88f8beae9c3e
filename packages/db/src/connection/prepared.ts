import type Database from 'better-sqlite3';

type Cache = WeakMap<Database.Database, Map<string, Database.Statement>>;
const objectRows: Cache = new WeakMap();
const arrayRows: Cache = new WeakMap();

function cached(
	caches: Cache,
	client: Database.Database,
	sql: string,
	raw: boolean,
): Database.Statement {
	let cache = caches.get(client);
	if (cache === undefined) {
		cache = new Map();
		caches.set(client, cache);
	}
	let statement = cache.get(sql);
	if (statement === undefined) {
		statement = raw ? client.prepare(sql).raw() : client.prepare(sql);
		cache.set(sql, statement);
	}
	return statement;
}

/**
 * A prepared statement for `sql` on this connection, prepared once and reused.
 * The hot paths (append, projections, replay, the tool call log and registry)
 * use prepared SQL rather than the query builder: building SQL per call costs
 * more than the insert itself.
 */
export function prepared(client: Database.Database, sql: string): Database.Statement {
	return cached(objectRows, client, sql, false);
}

/**
 * Like {@link prepared}, but the statement returns rows as arrays: reading
 * the log (replay, consumers, queries) skips building an object per row.
 * Kept apart from {@link prepared}'s: `.raw()` changes the statement itself.
 */
export function preparedRaw(client: Database.Database, sql: string): Database.Statement {
	return cached(arrayRows, client, sql, true);
}
