import { prepared } from '@agentspace/db';
import type Database from 'better-sqlite3';

/** A value SQLite can bind: booleans become 0/1 and undefined becomes NULL before binding. */
export type SqlValue = string | number | bigint | boolean | null | undefined;

/** What a projection handler writes and reads through: prepared SQL on the append's connection. */
export interface ProjectionContext {
	/** Runs a write; returns how many rows changed. */
	run(sql: string, ...params: SqlValue[]): number;
	/** The first row, or undefined. */
	get<T>(sql: string, ...params: SqlValue[]): T | undefined;
}

const contexts = new WeakMap<Database.Database, ProjectionContext>();

// better-sqlite3 refuses booleans and undefined; events use both. Converted
// in place: the rest array is this call's own, and this is the hot path.
function bindable(params: SqlValue[]): (string | number | bigint | null)[] {
	for (let i = 0; i < params.length; i += 1) {
		const p = params[i];
		if (p === undefined) params[i] = null;
		else if (typeof p === 'boolean') params[i] = p ? 1 : 0;
	}
	return params as (string | number | bigint | null)[];
}

/** The projection context for a connection (one per connection, statements cached). */
export function projectionContext(client: Database.Database): ProjectionContext {
	let context = contexts.get(client);
	if (context === undefined) {
		context = {
			run: (sql, ...params) => prepared(client, sql).run(...bindable(params)).changes,
			get: <T>(sql: string, ...params: SqlValue[]) =>
				prepared(client, sql).get(...bindable(params)) as T | undefined,
		};
		contexts.set(client, context);
	}
	return context;
}
