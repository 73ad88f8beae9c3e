import { nowIso, ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, prepared, preparedRaw, withImmediateTransaction } from '@agentspace/db';
import type { EventType, FleetEvent } from '../catalogue/catalogue.js';
import { EVENT_TYPES, isKnownEventType } from '../catalogue/eventTypes.js';
import { invalidArguments, isIntegerIn } from '../invalid.js';
import { EVENT_COLUMNS, type RawEventRow, rowToEvent } from '../store/rowToEvent.js';

/** A checkpointed consumer: a name, and a handler that writes through the transaction it is given. */
export interface ConsumerOptions {
	/** Identifies the consumer's stored position: 1-128 letters, digits, ".", "_", ":" or "-". */
	readonly name: string;
	/**
	 * Handles one event. Synchronous, and must write only through `db` (the
	 * open transaction): its writes commit together with the new position, so
	 * after a crash the event is handled again or not at all — never twice.
	 */
	readonly handle: (event: FleetEvent, db: AgentSpaceDb) => void;
	/** Only these types reach the handler; the position still moves past the others. */
	readonly types?: readonly EventType[];
	/** Events per transaction (default 500). */
	readonly batchSize?: number;
	/** Stop after this many events (default: until caught up). */
	readonly maxEvents?: number;
}

/** What one run of a consumer did. */
export interface ConsumerRunResult {
	/** Events passed to the handler. */
	readonly handled: number;
	/** The position now stored: the sequence of the last event read. */
	readonly position: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const POSITION = 'SELECT position FROM event_consumers WHERE name = ?';
const SAVE = `INSERT INTO event_consumers (name, position, updated_at) VALUES (?, ?, ?)
ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`;
const NEXT = `SELECT ${EVENT_COLUMNS} FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?`;

function assertName(name: unknown): asserts name is string {
	if (typeof name !== 'string' || !NAME.test(name)) {
		throw new ValidationError(`invalid consumer name ${JSON.stringify(name)}`, {
			hint: 'use 1-128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
			issues: [{ path: 'name', message: 'must be 1-128 letters, digits, ".", "_", ":" or "-"' }],
		});
	}
}

/** The sequence of the last event the consumer handled; 0 when it has not run. */
export function getConsumerPosition(db: AgentSpaceDb, name: string): number {
	assertName(name);
	return (
		(prepared(db.$client, POSITION).get(name) as { position: number } | undefined)?.position ?? 0
	);
}

/** Moves a consumer's position (0 makes it start again from the first event). */
export function resetConsumer(db: AgentSpaceDb, name: string, position = 0): void {
	assertName(name);
	if (!Number.isSafeInteger(position) || position < 0) {
		throw new ValidationError(`invalid consumer position ${position}`, {
			hint: 'use an integer ≥ 0',
			issues: [{ path: 'position', message: 'must be an integer ≥ 0' }],
		});
	}
	withImmediateTransaction(db, () => prepared(db.$client, SAVE).run(name, position, nowIso()));
}

/**
 * Runs a consumer until it has caught up with the log (or handled
 * `maxEvents`): each batch reads the events after the stored position, hands
 * them to the handler and stores the new position, all in one transaction.
 * If the handler throws, that batch rolls back — its writes and the position —
 * and the error propagates; the next run starts again at the same event.
 */
export function runConsumer(db: AgentSpaceDb, options: ConsumerOptions): ConsumerRunResult {
	checkOptions(options);
	const batchSize = options.batchSize ?? 500;
	const limit = options.maxEvents ?? Number.POSITIVE_INFINITY;
	const types = options.types === undefined ? undefined : new Set<string>(options.types);
	let handled = 0;
	let read = 0;
	let position = getConsumerPosition(db, options.name);
	while (read < limit) {
		const batch = withImmediateTransaction(db, (tx) => {
			// Re-read inside the lock: another process running the same consumer may have moved it.
			const from =
				(prepared(tx.$client, POSITION).get(options.name) as { position: number } | undefined)
					?.position ?? 0;
			const rows = preparedRaw(tx.$client, NEXT).all(
				from,
				Math.min(batchSize, limit - read),
			) as RawEventRow[];
			let count = 0;
			for (const row of rows) {
				if (types === undefined || types.has(row[2])) {
					options.handle(rowToEvent(row), tx);
					count += 1;
				}
			}
			const last = rows.length === 0 ? from : (rows[rows.length - 1] as RawEventRow)[0];
			if (rows.length > 0) prepared(tx.$client, SAVE).run(options.name, last, nowIso());
			return { read: rows.length, handled: count, position: last };
		});
		handled += batch.handled;
		read += batch.read;
		position = batch.position;
		if (batch.read === 0) break;
	}
	return { handled, position };
}

const OPTION_KEYS = new Set(['name', 'handle', 'types', 'batchSize', 'maxEvents']);

// Every problem at once; a misspelt type in particular must fail loudly, since
// the position would otherwise move past every event the consumer meant to see.
function checkOptions(options: ConsumerOptions): void {
	if (typeof options !== 'object' || options === null) {
		throw invalidArguments('runConsumer', [{ path: '(root)', message: 'must be an object' }]);
	}
	const issues = Object.keys(options)
		.filter((key) => !OPTION_KEYS.has(key))
		.map((path) => ({ path, message: 'unknown option' }));
	if (typeof options.name !== 'string' || !NAME.test(options.name)) {
		issues.push({ path: 'name', message: 'must be 1-128 letters, digits, ".", "_", ":" or "-"' });
	}
	if (typeof options.handle !== 'function')
		issues.push({ path: 'handle', message: 'must be a function' });
	if (options.types !== undefined) {
		if (!Array.isArray(options.types) || options.types.length === 0) {
			issues.push({ path: 'types', message: 'must be a non-empty array of event types' });
		} else {
			options.types.forEach((type, i) => {
				if (!isKnownEventType(type)) {
					issues.push({
						path: `types[${i}]`,
						message: `unknown event type ${JSON.stringify(type)}; known types: ${EVENT_TYPES.join(', ')}`,
					});
				}
			});
		}
	}
	if (options.batchSize !== undefined && !isIntegerIn(options.batchSize, 1, 10_000)) {
		issues.push({ path: 'batchSize', message: 'must be an integer from 1 to 10000' });
	}
	if (
		options.maxEvents !== undefined &&
		!isIntegerIn(options.maxEvents, 1, Number.MAX_SAFE_INTEGER)
	) {
		issues.push({ path: 'maxEvents', message: 'must be an integer ≥ 1' });
	}
	if (issues.length > 0) throw invalidArguments('runConsumer', issues);
}
