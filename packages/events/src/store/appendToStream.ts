import {
	AgentSpaceError,
	ConflictError,
	type FieldIssue,
	formatIssues,
	ValidationError,
} from '@agentspace/core';
import { type AgentSpaceDb, inTransaction } from '@agentspace/db';
import type { FleetEvent, PendingEvent } from '../catalogue/catalogue.js';
import { ENVELOPE_FIELDS } from '../catalogue/eventTypes.js';
import { projectionContext } from '../projections/projectionContext.js';
import { applyProjections } from '../projections/projections.js';
import { safeValidatePendingEvent } from '../validateEvent.js';
import { isConcurrencyError } from './ConcurrencyError.js';
import {
	assertExpectedVersion,
	checkExpectedVersion,
	type ExpectedVersion,
} from './expectedVersion.js';
import { prepared, preparedRaw } from './prepared.js';
import { EVENT_COLUMNS, type RawEventRow, rowToEvent } from './rowToEvent.js';

/** Options for appending to a stream. */
export interface AppendOptions {
	/** What the caller believes about the stream; default `any`. */
	readonly expectedVersion?: ExpectedVersion;
}

const INSERT = `INSERT INTO events (id, type, project_key, stream_id, stream_version, timestamp,
	schema_version, actor_type, actor_id, correlation_id, causation_id, data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;
const STREAM_VERSION = `SELECT stream_version FROM events WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1`;
const BY_ID = `SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`;

/**
 * Appends events to one stream inside the caller's write transaction (the unit
 * of work: a command handler appends its events and its audit record in one
 * commit). Validates every event, enforces `expectedVersion`, assigns each
 * its `sequence` and `stream_version`, and runs the inline projections.
 *
 * An event whose id is already stored is not written again: the stored one is
 * returned in its place, so retrying an append that did commit is safe.
 */
export function appendToStream(
	db: AgentSpaceDb,
	events: readonly unknown[],
	options: AppendOptions = {},
): FleetEvent[] {
	if (!inTransaction(db)) {
		throw new AgentSpaceError('appendToStream must run inside a write transaction', {
			hint: 'wrap the call in withImmediateTransaction(db, ...) or use EventStore.append',
		});
	}
	const expected = options.expectedVersion ?? 'any';
	assertExpectedVersion(expected);
	const pending = validateBatch(events);
	const streamId = (pending[0] as PendingEvent).stream_id;
	const client = db.$client;
	const current =
		(prepared(client, STREAM_VERSION).get(streamId) as { stream_version: number } | undefined)
			?.stream_version ?? 0;
	try {
		checkExpectedVersion(streamId, expected, current);
	} catch (error) {
		// A retry of an append that already committed finds the stream moved on;
		// if every event is already there, that is success, not a conflict.
		const stored = isConcurrencyError(error) ? findAllStored(db, pending) : undefined;
		if (stored !== undefined) return stored;
		throw error;
	}
	const context = projectionContext(client);
	const insert = prepared(client, INSERT);
	const appended: FleetEvent[] = [];
	let version = current;
	for (const event of pending) {
		const payload = payloadOf(event);
		const data = JSON.stringify(payload);
		const result = insert.run(
			event.id,
			event.type,
			event.project_key,
			streamId,
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
			appended.push(
				storedRetry(preparedRaw(client, BY_ID).get(event.id) as RawEventRow, event, data),
			);
			continue;
		}
		version += 1;
		const stored = toStoredEvent(event, payload, version, Number(result.lastInsertRowid));
		applyProjections(context, stored);
		appended.push(stored);
	}
	return appended;
}

function validateBatch(events: readonly unknown[]): PendingEvent[] {
	if (!Array.isArray(events) || events.length === 0) {
		throw new ValidationError('nothing to append: pass one or more events', {
			hint: 'create events with createEvent(type, fields)',
			issues: [{ path: '(root)', message: 'must be a non-empty array of events' }],
		});
	}
	const issues: FieldIssue[] = [];
	const valid: PendingEvent[] = [];
	events.forEach((input, index) => {
		const result = safeValidatePendingEvent(input);
		const prefix = events.length === 1 ? '' : `[${index}].`;
		if (result.ok) valid.push(normalise(result.value));
		else
			for (const issue of result.errors) issues.push({ ...issue, path: `${prefix}${issue.path}` });
	});
	const streams = new Set(valid.map((e) => e.stream_id));
	if (streams.size > 1) {
		issues.push({
			path: 'stream_id',
			message: `one append writes one stream; this batch names ${streams.size}: ${[...streams].join(', ')}`,
		});
	}
	if (issues.length > 0) {
		throw new ValidationError(`invalid events, nothing appended:\n${formatIssues(issues)}`, {
			hint: 'fix the listed fields (the event catalogue is in specs/events.md)',
			issues,
		});
	}
	return valid;
}

// Stored times are UTC with milliseconds, so that text order is time order.
// Most events already are (createEvent makes them so): checking is cheaper than re-formatting.
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
function normalise(event: PendingEvent): PendingEvent {
	if (CANONICAL_TIME.test(event.timestamp)) return event;
	return { ...event, timestamp: new Date(event.timestamp).toISOString() };
}

// Same field order as events read back from the log (rowToEvent).
function toStoredEvent(
	event: PendingEvent,
	payload: Record<string, unknown>,
	streamVersion: number,
	sequence: number,
): FleetEvent {
	return {
		id: event.id,
		type: event.type,
		project_key: event.project_key,
		stream_id: event.stream_id,
		stream_version: streamVersion,
		sequence,
		timestamp: event.timestamp,
		schema_version: event.schema_version,
		metadata: event.metadata,
		...payload,
	} as FleetEvent;
}

function payloadOf(event: PendingEvent): Record<string, unknown> {
	const payload: Record<string, unknown> = {};
	for (const key in event) {
		if (!ENVELOPE_FIELDS.has(key)) {
			payload[key] = (event as unknown as Record<string, unknown>)[key];
		}
	}
	return payload;
}

function findAllStored(
	db: AgentSpaceDb,
	pending: readonly PendingEvent[],
): FleetEvent[] | undefined {
	const byId = preparedRaw(db.$client, BY_ID);
	const rows = pending.map((event) => byId.get(event.id) as RawEventRow | undefined);
	if (rows.some((row) => row === undefined)) return undefined;
	return pending.map((event, i) =>
		storedRetry(rows[i] as RawEventRow, event, JSON.stringify(payloadOf(event))),
	);
}

/**
 * The stored event an append of `event` repeats. A retry must be the same
 * event — type, project, stream and payload (its time and metadata may be
 * new) — or the id was reused for something else, which must not vanish.
 */
function storedRetry(row: RawEventRow, event: PendingEvent, data: string): FleetEvent {
	const same =
		row[2] === event.type &&
		row[3] === event.project_key &&
		row[4] === event.stream_id &&
		row[12] === data;
	if (!same) {
		throw new ConflictError(
			`event id ${event.id} is already stored for a different event (${row[2]} in stream ${row[4]}, sequence ${row[0]}); nothing was appended`,
			{
				hint: 'give each new event a new id (createEvent does); reuse an id only to retry the same event',
			},
		);
	}
	return rowToEvent(row);
}
