import type Database from 'better-sqlite3';
import { prepared } from '../store/prepared.js';

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

// better-sqlite3 refuses booleans and undefined; events use both.
function bindable(params: SqlValue[]): (string | number | bigint | null)[] {
	return params.map((p) => (p === undefined ? null : typeof p === 'boolean' ? (p ? 1 : 0) : p));
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
