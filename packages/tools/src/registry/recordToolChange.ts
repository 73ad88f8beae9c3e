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

/** The project key of agent streams (the agents package's AGENT_PROJECT_KEY; tools does not import agents). */
export const TOOLS_PROJECT_KEY = 'agentspace';

/** One tool event to append: its type and payload. */
export interface ToolEventInput<T extends EventType = EventType> {
	readonly type: T;
	readonly fields: EventPayloadInput<T>;
}

/** One audit entry of a tool change. */
export interface ToolAuditInput {
	readonly eventType: string;
	readonly agentId: string;
	readonly severity?: 'info' | 'warning' | 'security' | 'critical';
	readonly metadata: Record<string, unknown>;
}

/** What a registry command records: events and audit entries, written together. */
export interface ToolChange {
	readonly actor: Actor;
	readonly events: readonly ToolEventInput[];
	readonly audits: readonly ToolAuditInput[];
	readonly sourceApp?: string;
}

/** What {@link recordPlannedToolChange} stored. */
export interface RecordedToolChange {
	readonly events: readonly FleetEvent[];
	readonly audits: readonly AuditRecord[];
}

/**
 * The registry's one write path: `plan` runs inside a `BEGIN IMMEDIATE`
 * transaction (so what it reads cannot change before the write) and returns
 * the change; its events (projections update inline) and audit entries are
 * appended in that same transaction — all of it is stored or none.
 */
export function recordPlannedToolChange<R>(
	db: AgentSpaceDb,
	plan: (tx: AgentSpaceDb) => { readonly change: ToolChange | undefined; readonly result: R },
): { readonly result: R; readonly recorded: RecordedToolChange | undefined } {
	return withImmediateTransaction(db, (tx) => {
		const { change, result } = plan(tx);
		return { result, recorded: change === undefined ? undefined : appendToolChange(tx, change) };
	});
}

function appendToolChange(tx: AgentSpaceDb, change: ToolChange): RecordedToolChange {
	const metadata = { actor: { type: change.actor.type, id: change.actor.id } };
	const pending = change.events.map((input) =>
		createEvent(input.type, {
			project_key: TOOLS_PROJECT_KEY,
			metadata,
			...input.fields,
		} as never),
	);
	const events = pending.length === 0 ? [] : appendToStream(tx, pending);
	const audits = change.audits.map((audit) =>
		appendAuditRecord(tx, {
			eventType: audit.eventType,
			actor: metadata.actor,
			severity: audit.severity ?? 'info',
			subject: { type: 'agent', id: audit.agentId },
			...(change.sourceApp === undefined ? {} : { sourceApp: change.sourceApp }),
			correlationId: events[0]?.id,
			metadata: JSON.parse(JSON.stringify(audit.metadata)) as Record<string, never>,
		}),
	);
	return { events, audits };
}
