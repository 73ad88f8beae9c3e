import { AgentSpaceError, ConflictError, ValidationError } from '@agentspace/core';
import {
	type AgentSpaceDb,
	inWriteTransaction,
	prepared,
	preparedRaw,
	withSavepoint,
} from '@agentspace/db';
import type { FleetEvent } from '../catalogue/catalogue.js';
import { projectionContext } from '../projections/projectionContext.js';
import { applyProjections } from '../projections/projections.js';
import {
	assertExpectedVersion,
	checkExpectedVersion,
	type ExpectedVersion,
	isConcurrencyError,
} from './expectedVersion.js';
import { type PreparedEvent, prepareBatch } from './pendingBatch.js';
import { EVENT_COLUMNS, type RawEventRow } from './rowToEvent.js';
import { storedRetry } from './storedRetry.js';

/** Options for appending to a stream. */
export interface AppendOptions {
	/** What the caller believes about the stream; default `any`. */
	readonly expectedVersion?: ExpectedVersion;
}

const INSERT = `INSERT INTO events (id, type, project_key, stream_id, stream_version, timestamp,
	schema_version, actor_type, actor_id, correlation_id, causation_id, data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
const STREAM_HEAD = `SELECT stream_version, project_key FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1`;
const BY_ID = `SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`;

/**
 * Appends events to one stream inside the caller's write transaction (the unit
 * of work: a command handler appends its events and its audit record in one
 * commit). Validates every event, enforces `expectedVersion`, assigns each
 * its `sequence` and `stream_version`, and runs the inline projections.
 *
 * All or nothing, even inside the caller's transaction: the append runs in a
 * savepoint, so an event a projection refuses (a held lock) leaves no row in
 * the log when the caller catches the error and commits its other writes.
 *
 * An event whose id is already stored is not written again: the stored one is
 * returned in its place, so retrying an append that did commit is safe.
 */
export function appendToStream(
	db: AgentSpaceDb,
	events: readonly unknown[],
	options: AppendOptions = {},
): FleetEvent[] {
	return appendEvents(db, events, options, true);
}

/**
 * {@link appendToStream}, with the savepoint optional: `EventStore.append`
 * owns its whole transaction, which already rolls back everything on a throw,
 * and a savepoint costs ~15% of a batch (SQLite journals every page it touches).
 */
export function appendEvents(
	db: AgentSpaceDb,
	events: readonly unknown[],
	options: AppendOptions,
	savepoint: boolean,
): FleetEvent[] {
	if (!inWriteTransaction(db)) {
		throw new AgentSpaceError('appendToStream must run inside a write transaction', {
			hint: 'wrap the call in withImmediateTransaction(db, ...) or use EventStore.append',
		});
	}
	const expected = checkOptions(options);
	const batch = prepareBatch(events);
	const first = (batch[0] as PreparedEvent).event;
	const streamId = first.stream_id;
	const client = db.$client;
	const head = prepared(client, STREAM_HEAD).get(streamId) as
		| { stream_version: number; project_key: string }
		| undefined;
	const current = head?.stream_version ?? 0;
	try {
		checkExpectedVersion(streamId, expected, current);
	} catch (error) {
		// A retry of an append that already committed finds the stream moved on;
		// if every event is already there, that is success, not a conflict.
		const stored = isConcurrencyError(error) ? findAllStored(db, batch) : undefined;
		if (stored !== undefined) return stored;
		throw error;
	}
	// Ids such as sortie ids are global, so are their streams: a second project
	// using one would silently share (and overwrite) the first one's rows.
	const foreign = batch.find(
		({ event }) => head !== undefined && event.project_key !== head.project_key,
	);
	if (foreign !== undefined && head !== undefined) {
		throw new ConflictError(
			`stream ${streamId} belongs to project ${head.project_key}, not ${foreign.event.project_key}; nothing was appended`,
			{
				hint: 'sortie, mission, message… ids are global to the database: use a new id (generate one)',
			},
		);
	}
	return savepoint
		? withSavepoint(db, () => insertAll(db, batch, current))
		: insertAll(db, batch, current);
}

function insertAll(
	db: AgentSpaceDb,
	batch: readonly PreparedEvent[],
	current: number,
): FleetEvent[] {
	const client = db.$client;
	const context = projectionContext(client);
	const insert = prepared(client, INSERT);
	const appended: FleetEvent[] = [];
	let version = current;
	for (const item of batch) {
		const { event, payload, data } = item;
		const result = insert.run(
			event.id,
			event.type,
			event.project_key,
			event.stream_id,
			version + 1,
			event.timestamp,
			event.schema_version,
			event.metadata.actor.type,
			event.metadata.actor.id,
			event.metadata.correlation_id ?? null,
			event.metadata.causation_id ?? null,
			data,
		);
		if (result.changes === 0) {
			appended.push(storedRetry(preparedRaw(client, BY_ID).get(event.id) as RawEventRow, item));
			continue;
		}
		version += 1;
		// Same field order as events read back from the log (rowToEvent).
		const stored = {
			id: event.id,
			type: event.type,
			project_key: event.project_key,
			stream_id: event.stream_id,
			stream_version: version,
			sequence: Number(result.lastInsertRowid),
			timestamp: event.timestamp,
			schema_version: event.schema_version,
			metadata: event.metadata,
			...payload,
		} as FleetEvent;
		applyProjections(context, stored);
		appended.push(stored);
	}
	return appended;
}

// Unknown keys are refused: `{ expected_version: 0 }` must not silently mean "any".
function checkOptions(options: unknown): ExpectedVersion {
	if (options === undefined) return 'any';
	if (typeof options !== 'object' || options === null || Array.isArray(options)) {
		throw new ValidationError('append options must be an object, e.g. { expectedVersion: 3 }', {
			issues: [{ path: '(root)', message: 'must be an object' }],
		});
	}
	const unknown = Object.keys(options).filter((key) => key !== 'expectedVersion');
	if (unknown.length > 0) {
		throw new ValidationError(`unknown append option ${unknown.map((k) => `"${k}"`).join(', ')}`, {
			hint: 'the only option is expectedVersion',
			issues: unknown.map((path) => ({ path, message: 'unknown option' })),
		});
	}
	const expected = (options as AppendOptions).expectedVersion ?? 'any';
	assertExpectedVersion(expected);
	return expected;
}

function findAllStored(
	db: AgentSpaceDb,
	batch: readonly PreparedEvent[],
): FleetEvent[] | undefined {
	const byId = preparedRaw(db.$client, BY_ID);
	const rows = batch.map(({ event }) => byId.get(event.id) as RawEventRow | undefined);
	if (rows.some((row) => row === undefined)) return undefined;
	return batch.map((item, i) => storedRetry(rows[i] as RawEventRow, item));
}
