import type { AgentSpaceDb, AuditRecord, AuditSeverity } from '@agentspace/db';
import { type Actor, appendAuditedEvent, type FleetEvent } from '@agentspace/events';

/** The project key of the keys' events (as the tools' and MCP tokens' events). */
export const KEYS_PROJECT_KEY = 'agentspace';

/** One change of the key store: its event and its audit entry. */
export interface KeyChange {
	readonly actor: Actor;
	readonly event: FleetEvent['type'];
	readonly fields: Record<string, unknown>;
	readonly auditType: string;
	readonly severity: AuditSeverity;
	readonly subject: { readonly type: string; readonly id: string };
	/** Never a value: fingerprints, names, storage. No key named like `token` (the audit would redact it). */
	readonly metadata: Record<string, string | number | boolean | null>;
	readonly sourceApp?: string;
}

/** Appends a key store event (its projection updates inline) and its audit entry, inside `tx`. */
export function appendKeyChange(tx: AgentSpaceDb, change: KeyChange): AuditRecord {
	return appendAuditedEvent(tx, {
		actor: change.actor,
		projectKey: KEYS_PROJECT_KEY,
		event: change.event,
		fields: change.fields,
		audit: {
			eventType: change.auditType,
			severity: change.severity,
			subject: change.subject,
			...(change.sourceApp === undefined ? {} : { sourceApp: change.sourceApp }),
			metadata: change.metadata,
		},
	}).audit;
}
