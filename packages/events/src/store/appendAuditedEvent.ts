import {
	type AgentSpaceDb,
	type AuditEventInput,
	type AuditRecord,
	appendAuditRecord,
} from '@agentspace/db';
import type { FleetEvent } from '../catalogue/catalogue.js';
import type { Actor } from '../catalogue/envelope.js';
import { createEvent } from '../createEvent.js';
import { appendToStream } from './appendToStream.js';

/** One state change that is also a privileged action: its event and its audit entry. */
export interface AuditedEvent {
	readonly actor: Actor;
	readonly projectKey: string;
	readonly event: FleetEvent['type'];
	/** The event's own fields (checked against the catalogue by createEvent). */
	readonly fields: Record<string, unknown>;
	/** The audit entry; its actor is the event's and its correlation id the event's id. */
	readonly audit: Omit<AuditEventInput, 'actor' | 'correlationId'>;
}

/**
 * Appends an event (its projections update inline) and the audit entry that
 * records it, inside the caller's transaction `tx`, so neither is ever
 * written without the other. The entry's correlation id is the event's id.
 */
export function appendAuditedEvent(
	tx: AgentSpaceDb,
	change: AuditedEvent,
): { readonly event: FleetEvent; readonly audit: AuditRecord } {
	const actor = { type: change.actor.type, id: change.actor.id };
	const [event] = appendToStream(tx, [
		createEvent(change.event, {
			project_key: change.projectKey,
			metadata: { actor },
			...change.fields,
		} as never),
	]);
	const audit = appendAuditRecord(tx, {
		...change.audit,
		actor,
		correlationId: (event as FleetEvent).id,
	});
	return { event: event as FleetEvent, audit };
}
