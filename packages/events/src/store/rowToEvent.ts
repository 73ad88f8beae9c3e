import type { FleetEvent } from '../catalogue/catalogue.js';
import type { EventMetadata } from '../catalogue/envelope.js';
import { upcastPayload } from '../upcasting/upcasters.js';

/** The columns of `events` as SQLite returns them. */
export interface RawEventRow {
	readonly sequence: number;
	readonly id: string;
	readonly type: string;
	readonly project_key: string;
	readonly stream_id: string;
	readonly stream_version: number;
	readonly timestamp: string;
	readonly schema_version: number;
	readonly actor_type: string;
	readonly actor_id: string;
	readonly correlation_id: string | null;
	readonly causation_id: string | null;
	readonly data: string;
}

/** The select list matching {@link RawEventRow}. */
export const EVENT_COLUMNS =
	'sequence, id, type, project_key, stream_id, stream_version, timestamp, schema_version, actor_type, actor_id, correlation_id, causation_id, data';

/** Rebuilds the event from its row, upcasting an older payload to the current shape. */
export function rowToEvent(row: RawEventRow): FleetEvent {
	const { version, payload } = upcastPayload(row.type, row.schema_version, JSON.parse(row.data));
	const metadata: EventMetadata = {
		actor: { type: row.actor_type as EventMetadata['actor']['type'], id: row.actor_id },
		...(row.correlation_id === null ? {} : { correlation_id: row.correlation_id }),
		...(row.causation_id === null ? {} : { causation_id: row.causation_id }),
	};
	return {
		id: row.id,
		type: row.type,
		project_key: row.project_key,
		stream_id: row.stream_id,
		stream_version: row.stream_version,
		sequence: row.sequence,
		timestamp: row.timestamp,
		schema_version: version,
		metadata,
		...payload,
	} as FleetEvent;
}
