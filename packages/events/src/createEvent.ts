import { formatIssues, generateId, nowIso, ValidationError } from '@agentspace/core';
import {
	type EventPayloadInput,
	type EventType,
	eventDefinition,
	type PendingEvent,
} from './catalogue/catalogue.js';
import type { EventMetadata } from './catalogue/envelope.js';
import { safeValidatePendingEvent } from './validateEvent.js';

/** Envelope fields a caller may set when creating an event; the rest are filled in. */
export interface CreateEventEnvelope {
	readonly project_key: string;
	/** Defaults to the type's own stream (`pilot:<project>:<callsign>`, `sortie:<id>`…). */
	readonly stream_id?: string;
	/** Defaults to a new `evt_…` id. Reuse an id to make a retried append idempotent. */
	readonly id?: string;
	/** Defaults to now. */
	readonly timestamp?: string;
	/** Defaults to AgentSpace itself as the actor. */
	readonly metadata?: EventMetadata;
}

const RESERVED = ['type', 'schema_version', 'sequence', 'stream_version'];

/** The actor recorded when a caller names none. */
export const SYSTEM_ACTOR = { type: 'system', id: 'agentspace' } as const;

/**
 * Builds a new event of `type` from its envelope and payload fields: validates
 * every field (throwing a `ValidationError` that lists each problem), applies
 * payload defaults, and fills the id, timestamp, schema version and stream.
 */
export function createEvent<T extends EventType>(
	type: T,
	fields: CreateEventEnvelope & EventPayloadInput<T>,
): PendingEvent<T> {
	const definition = eventDefinition(type);
	if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
		throw new ValidationError(`invalid ${String(type)} event: the fields must be an object`, {
			hint: 'call createEvent(type, { project_key, ...payload })',
			issues: [{ path: '(root)', message: 'must be an object' }],
		});
	}
	const { project_key, stream_id, id, timestamp, metadata, ...payload } = fields;
	// The store assigns these, and the type is the first argument: a payload
	// field with one of these names would be silently overwritten.
	const reserved = RESERVED.filter((key) => key in payload);
	if (reserved.length > 0) {
		throw new ValidationError(`invalid ${type} event: ${reserved.join(', ')} cannot be set here`, {
			hint: 'the type is the first argument; schema_version, sequence and stream_version are filled in',
			issues: reserved.map((path) => ({ path, message: 'reserved envelope field' })),
		});
	}
	const candidate: Record<string, unknown> = {
		...payload,
		id: id ?? generateId('evt'),
		type,
		project_key,
		timestamp: timestamp ?? nowIso(),
		schema_version: definition?.schemaVersion ?? 1,
		metadata: metadata ?? { actor: SYSTEM_ACTOR },
	};
	// Naming the stream needs the payload's defaults applied, so parse it first;
	// the full validation below reports every problem if it does not parse.
	const parsedPayload = definition?.payload.safeParse(payload);
	candidate.stream_id =
		stream_id ??
		(parsedPayload?.success === true
			? definition?.streamOf({ ...(parsedPayload.data as object), project_key } as never)
			: undefined);
	const result = safeValidatePendingEvent(candidate);
	if (result.ok) return result.value as PendingEvent<T>;
	// Without a valid payload there is no stream to derive: report the payload, not a missing stream.
	const issues =
		stream_id === undefined && candidate.stream_id === undefined
			? result.errors.filter((issue) => issue.path !== 'stream_id')
			: result.errors;
	throw new ValidationError(`invalid ${type} event:\n${formatIssues(issues)}`, {
		hint: 'fix the listed fields (the event catalogue is in specs/events.md)',
		issues,
	});
}
