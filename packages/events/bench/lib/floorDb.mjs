// The floor: what SQLite itself costs for the same rows, with nothing of the
// event store in between. A separate file with the same pragmas and the very
// same `events` table, indexes and triggers (copied from a migrated store, so
// they cannot drift from the migrations), written with one prepared INSERT.
import { configureConnection } from '@agentspace/db';
import Database from 'better-sqlite3';

const INSERT = `INSERT INTO events (id, type, project_key, stream_id, stream_version, timestamp,
	schema_version, actor_type, actor_id, correlation_id, causation_id, data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The CREATE statements of `events` and everything on it, from a migrated store's connection. */
export function eventsSchema(client) {
	return client
		.prepare(
			`SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL
			ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END`,
		)
		.pluck()
		.all();
}

/** Opens the floor database at `path` with exactly the store's pragmas (@agentspace/db configureConnection). */
export function openFloorDb(path, schema) {
	const client = new Database(path);
	configureConnection(client);
	for (const sql of schema) client.exec(sql);
	const insert = client.prepare(INSERT);
	const begin = client.prepare('BEGIN IMMEDIATE');
	const commit = client.prepare('COMMIT');
	return {
		client,
		/** One row in its own BEGIN IMMEDIATE … COMMIT. */
		insertOne(row) {
			begin.run();
			insert.run(row);
			commit.run();
		},
		/** Several rows in one BEGIN IMMEDIATE … COMMIT. */
		insertMany(rows) {
			begin.run();
			for (const row of rows) insert.run(row);
			commit.run();
		},
	};
}

const ENVELOPE = new Set([
	'id',
	'type',
	'project_key',
	'stream_id',
	'timestamp',
	'schema_version',
	'metadata',
]);

/** The column values the store would write for a pending event at `version` (same data JSON). */
export function rowOf(event, version) {
	const payload = {};
	for (const key in event) if (!ENVELOPE.has(key)) payload[key] = event[key];
	return [
		event.id,
		event.type,
		event.project_key,
		event.stream_id,
		version,
		event.timestamp,
		event.schema_version,
		event.metadata.actor.type,
		event.metadata.actor.id,
		event.metadata.correlation_id ?? null,
		event.metadata.causation_id ?? null,
		JSON.stringify(payload),
	];
}
