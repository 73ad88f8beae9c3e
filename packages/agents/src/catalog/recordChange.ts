import {
	type AgentSpaceDb,
	type AuditRecord,
	appendAuditRecord,
	withImmediateTransaction,
} from '@agentspace/db';
import {
	type Actor,
	appendToStream,
	createEvent,
	type EventPayloadInput,
	type EventType,
	type FleetEvent,
} from '@agentspace/events';
import { AGENT_PROJECT_KEY } from '../agentPaths.js';

/** Who asked for a change: recorded on its events and its audit entry. */
export type ChangeActor = Actor;

/** One agent event to append: its type and payload. */
export interface AgentEventInput<T extends EventType = EventType> {
	readonly type: T;
	readonly fields: EventPayloadInput<T>;
}

/** What a command handler records about one change. */
export interface AgentChange {
	readonly actor: ChangeActor;
	/** The events, in order; each goes to its agent's stream. */
	readonly events: readonly AgentEventInput[];
	/** The audit entry: its type, severity, subject agent and metadata. */
	readonly audit: {
		readonly eventType: string;
		readonly agentId?: string;
		readonly severity?: 'info' | 'warning' | 'security' | 'critical';
		readonly metadata: Record<string, unknown>;
	};
	/** Written in the audit entry's `sourceApp`, e.g. `agentspace-cli`. */
	readonly sourceApp?: string;
}

/** What {@link recordChange} stored. */
export interface RecordedChange {
	readonly events: FleetEvent[];
	readonly audit: AuditRecord;
}

/**
 * The one write path for agents: appends the events (the catalogue projection
 * updates inline) and the audit entry in one `BEGIN IMMEDIATE` transaction.
 * Either all of it is stored or none of it.
 */
export function recordChange(db: AgentSpaceDb, change: AgentChange): RecordedChange {
	return withImmediateTransaction(db, (tx) => appendChange(tx, change));
}

/**
 * {@link recordChange} for a change decided from the catalogue: `plan` runs
 * inside the write transaction (so what it read cannot change before the
 * write) and returns the change, or undefined to write nothing.
 */
export function recordPlannedChange(
	db: AgentSpaceDb,
	plan: (tx: AgentSpaceDb) => AgentChange | undefined,
): RecordedChange | undefined {
	return withImmediateTransaction(db, (tx) => {
		const change = plan(tx);
		return change === undefined ? undefined : appendChange(tx, change);
	});
}

function appendChange(tx: AgentSpaceDb, change: AgentChange): RecordedChange {
	const metadata = { actor: { type: change.actor.type, id: change.actor.id } };
	const stored: FleetEvent[] = [];
	for (const input of change.events) {
		const event = createEvent(input.type, {
			project_key: AGENT_PROJECT_KEY,
			metadata,
			...input.fields,
		} as never);
		stored.push(...appendToStream(tx, [event]));
	}
	const audit = appendAuditRecord(tx, {
		eventType: change.audit.eventType,
		actor: metadata.actor,
		severity: change.audit.severity ?? 'info',
		...(change.audit.agentId === undefined
			? {}
			: { subject: { type: 'agent', id: change.audit.agentId } }),
		...(change.sourceApp === undefined ? {} : { sourceApp: change.sourceApp }),
		correlationId: stored[0]?.id,
		metadata: JSON.parse(JSON.stringify(change.audit.metadata)) as Record<string, never>,
	});
	return { events: stored, audit };
}

/** Records an audit entry alone: a refusal or denial that changes no state. */
export function recordDenial(
	db: AgentSpaceDb,
	actor: ChangeActor,
	audit: { eventType: string; agentId?: string; metadata: Record<string, unknown> },
	sourceApp?: string,
): AuditRecord {
	return withImmediateTransaction(db, (tx) =>
		appendAuditRecord(tx, {
			eventType: audit.eventType,
			actor: { type: actor.type, id: actor.id },
			severity: 'security',
			...(audit.agentId === undefined ? {} : { subject: { type: 'agent', id: audit.agentId } }),
			...(sourceApp === undefined ? {} : { sourceApp }),
			metadata: JSON.parse(JSON.stringify(audit.metadata)) as Record<string, never>,
		}),
	);
}
