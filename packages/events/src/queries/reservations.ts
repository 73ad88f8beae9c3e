import { generateId, nowIso } from '@agentspace/core';
import { type AgentSpaceDb, prepared, withImmediateTransaction } from '@agentspace/db';
import type { EventOfType } from '../catalogue/catalogue.js';
import type { EventMetadata } from '../catalogue/envelope.js';
import { createEvent } from '../createEvent.js';
import { invalidArguments, isIntegerIn, isText } from '../invalid.js';
import { appendToStream } from '../store/appendToStream.js';
import { globsOverlap } from './globsOverlap.js';

/** Another pilot's active reservation that overlaps a request. */
export interface ReservationConflict {
	readonly reservation_id: string;
	readonly holder: string;
	readonly exclusive: boolean;
	readonly expires_at: string;
	/** The requested globs that overlap it. */
	readonly paths: readonly string[];
}

/** What to check for conflicts. */
export interface ConflictQuery {
	readonly project_key: string;
	readonly holder: string;
	readonly paths: readonly string[];
	readonly exclusive: boolean;
	/** Reservations count while they have not expired at this time (default now). */
	readonly at?: string;
}

interface ActiveRow {
	readonly reservation_id: string;
	readonly holder: string;
	readonly paths: string;
	readonly exclusive: number;
	readonly expires_at: string;
}

const ACTIVE = `SELECT reservation_id, holder, paths, exclusive, expires_at FROM reservations
WHERE project_key = ? AND released_at IS NULL AND expires_at > ? AND holder != ?
ORDER BY created_at, reservation_id`;

/**
 * Other pilots' active reservations whose globs overlap the request, where at
 * least one side is exclusive (two shared reservations never conflict).
 * Released and expired reservations do not count.
 */
export function findReservationConflicts(
	db: AgentSpaceDb,
	query: ConflictQuery,
): ReservationConflict[] {
	if (typeof query !== 'object' || query === null) {
		throw invalidArguments('findReservationConflicts', [
			{ path: '(root)', message: 'must be an object' },
		]);
	}
	const issues = [];
	if (!isText(query.project_key))
		issues.push({ path: 'project_key', message: 'must be a non-empty string' });
	if (!isText(query.holder, 64)) issues.push({ path: 'holder', message: 'must be a callsign' });
	if (!Array.isArray(query.paths) || query.paths.some((p) => !isText(p))) {
		issues.push({ path: 'paths', message: 'must be an array of globs' });
	}
	if (query.at !== undefined && Number.isNaN(Date.parse(query.at))) {
		issues.push({ path: 'at', message: 'must be an ISO 8601 time' });
	}
	if (issues.length > 0) throw invalidArguments('findReservationConflicts', issues);
	const at = new Date(query.at ?? nowIso()).toISOString();
	const rows = prepared(db.$client, ACTIVE).all(query.project_key, at, query.holder) as ActiveRow[];
	const conflicts: ReservationConflict[] = [];
	// One budget for the whole check: it runs under the write lock (~0.1 s at most).
	const budget = { steps: 1_000_000 };
	for (const row of rows) {
		if (!query.exclusive && row.exclusive === 0) continue;
		const held = JSON.parse(row.paths) as string[];
		const overlapping = query.paths.filter((p) => held.some((h) => globsOverlap(p, h, budget)));
		if (overlapping.length === 0) continue;
		conflicts.push({
			reservation_id: row.reservation_id,
			holder: row.holder,
			exclusive: row.exclusive === 1,
			expires_at: row.expires_at,
			paths: overlapping,
		});
	}
	return conflicts;
}

/** A reservation request. */
export interface ReserveFilesInput {
	readonly project_key: string;
	readonly holder: string;
	readonly paths: readonly string[];
	readonly ttl_seconds: number;
	readonly exclusive?: boolean;
	readonly reason?: string;
	readonly reservation_id?: string;
	readonly metadata?: EventMetadata;
}

/** A granted reservation and the conflicts it was granted despite. */
export interface ReserveFilesResult {
	readonly reservation: EventOfType<'file_reserved'>;
	readonly conflicts: readonly ReservationConflict[];
}

/**
 * Reserves files, advisory like the peers: the reservation is always granted,
 * and every conflict is reported to the caller and recorded as a
 * `file_conflict` event, in the same transaction as the reservation.
 */
export function reserveFiles(db: AgentSpaceDb, input: ReserveFilesInput): ReserveFilesResult {
	checkReservationInput(input);
	return withImmediateTransaction(db, (tx) => {
		const timestamp = nowIso();
		const exclusive = input.exclusive ?? true;
		const reservation_id = input.reservation_id ?? generateId('res');
		const common = {
			project_key: input.project_key,
			timestamp,
			...(input.metadata === undefined ? {} : { metadata: input.metadata }),
		};
		const reserved = createEvent('file_reserved', {
			...common,
			reservation_id,
			holder: input.holder,
			paths: [...input.paths],
			exclusive,
			ttl_seconds: input.ttl_seconds,
			expires_at: new Date(Date.parse(timestamp) + input.ttl_seconds * 1000).toISOString(),
			...(input.reason === undefined ? {} : { reason: input.reason }),
		});
		const conflicts = findReservationConflicts(tx, { ...input, exclusive, at: timestamp });
		const reports = conflicts.map((c) =>
			createEvent('file_conflict', {
				...common,
				reservation_id,
				holder: input.holder,
				conflicting_reservation_id: c.reservation_id,
				conflicting_holder: c.holder,
				paths: [...c.paths],
			}),
		);
		const [stored] = appendToStream(tx, [reserved, ...reports], { expectedVersion: 'no_stream' });
		return { reservation: stored as EventOfType<'file_reserved'>, conflicts };
	});
}

// The parts of a request used before createEvent validates the rest: a string
// spread as paths, or a TTL too large for a date, must fail here, clearly.
function checkReservationInput(input: ReserveFilesInput): void {
	if (typeof input !== 'object' || input === null) {
		throw invalidArguments('reserveFiles', [{ path: '(root)', message: 'must be an object' }]);
	}
	const issues = [];
	if (!Array.isArray(input.paths))
		issues.push({ path: 'paths', message: 'must be an array of globs' });
	if (!isIntegerIn(input.ttl_seconds, 1, 7 * 24 * 3600)) {
		issues.push({
			path: 'ttl_seconds',
			message: 'must be a whole number of seconds from 1 to 604800 (a week)',
		});
	}
	if (issues.length > 0) throw invalidArguments('reserveFiles', issues);
}
