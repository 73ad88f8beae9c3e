import { ConflictError, canonicalJson } from '@agentspace/core';
import type { FleetEvent } from '../catalogue/catalogue.js';
import type { PreparedEvent } from './pendingBatch.js';
import { type RawEventRow, rowToEvent } from './rowToEvent.js';

/**
 * The stored event that an append of `prepared` repeats. A retry must be the
 * same event — type, project, stream and payload (compared as canonical JSON;
 * its time and metadata may be new) — or the id was reused for something
 * else, and that must be refused rather than silently dropped.
 */
export function storedRetry(row: RawEventRow, prepared: PreparedEvent): FleetEvent {
	const { event, data } = prepared;
	const same =
		row[2] === event.type &&
		row[3] === event.project_key &&
		row[4] === event.stream_id &&
		(row[12] === data || canonicalJson(JSON.parse(row[12])) === canonicalJson(JSON.parse(data)));
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
