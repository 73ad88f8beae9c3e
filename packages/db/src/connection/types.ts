import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from '../schema/index.js';

/** The drizzle schema every AgentSpace database is opened with. */
export type AgentSpaceSchema = typeof schema;

/** An open AgentSpace database: drizzle over better-sqlite3, migrated, with `$client` the raw handle. */
export type AgentSpaceDb = BetterSQLite3Database<AgentSpaceSchema> & {
	readonly $client: Database.Database;
};
