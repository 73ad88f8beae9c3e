import type { FleetEvent } from '../catalogue/catalogue.js';
import type { EventMetadata } from '../catalogue/envelope.js';
import { EVENT_SCHEMA_VERSIONS } from '../catalogue/eventTypes.js';
import { upcastPayload } from '../upcasting/upcasters.js';

const CURRENT: Readonly<Record<string, number | undefined>> = EVENT_SCHEMA_VERSIONS;

/**
 * One row of `events` as a raw statement returns it, in the order of
 * {@link EVENT_COLUMNS}: sequence, id, type, project_key, stream_id,
 * stream_version, timestamp, schema_version, actor_type, actor_id,
 * correlation_id, causation_id, data.
 */
export type RawEventRow = readonly [
	sequence: number,
	id: string,
	type: string,
	project_key: string,
	stream_id: string,
	stream_version: number,
	timestamp: string,
	schema_version: number,
	actor_type: string,
	actor_id: string,
	correlation_id: string | null,
	causation_id: string | null,
	data: string,
];

/** The select list matching {@link RawEventRow}; read it with `preparedRaw`. */
export const EVENT_COLUMNS =
	'sequence, id, type, project_key, stream_id, stream_version, timestamp, schema_version, actor_type, actor_id, correlation_id, causation_id, data';

/** Rebuilds the event from its row, upcasting an older payload to the current shape. */
export function rowToEvent(row: RawEventRow): FleetEvent {
	const [sequence, id, type, project_key, stream_id, stream_version, timestamp, schemaVersion] =
		row;
	let payload = JSON.parse(row[12]) as Record<string, unknown>;
	let version = schemaVersion;
	// The common case is checked inline: this runs for every row of every read.
	if (CURRENT[type] !== schemaVersion) {
		({ version, payload } = upcastPayload(type, schemaVersion, payload));
	}
	const metadata: { -readonly [K in keyof EventMetadata]: EventMetadata[K] } = {
		actor: { type: row[8] as EventMetadata['actor']['type'], id: row[9] },
	};
	if (row[10] !== null) metadata.correlation_id = row[10];
	if (row[11] !== null) metadata.causation_id = row[11];
	return {
		id,
		type,
		project_key,
		stream_id,
		stream_version,
		sequence,
		timestamp,
		schema_version: version,
		metadata,
		...payload,
	} as FleetEvent;
}
