import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import type { FleetEvent } from '../catalogue/catalogue.js';
import type { Actor } from '../catalogue/envelope.js';
import { appendAuditedEvent } from '../store/appendAuditedEvent.js';
import type { BearerTokenKind } from './bearerTokenKind.js';

/** One token change: its event and its audit entry, written in the caller's transaction. */
export interface BearerTokenChange {
	readonly actor: Actor;
	readonly tokenId: string;
	readonly change: 'minted' | 'revoked';
	readonly fields: Record<string, unknown>;
	readonly metadata: Record<string, string>;
	readonly sourceApp?: string;
}

/** Appends a token event (the projection updates inline) and its audit entry, inside `tx`. */
export function appendBearerTokenChange(
	tx: AgentSpaceDb,
	kind: BearerTokenKind,
	change: BearerTokenChange,
): { readonly event: FleetEvent; readonly audit: AuditRecord } {
	return appendAuditedEvent(tx, {
		actor: change.actor,
		projectKey: kind.projectKey,
		event: kind.events[change.change],
		fields: change.fields,
		audit: {
			eventType: kind.auditTypes[change.change],
			// Who can reach an endpoint is a security matter either way.
			severity: 'security',
			// The id names the token; the audit's redaction would hide it under a `token…` key.
			subject: { type: kind.subjectType, id: change.tokenId },
			...(change.sourceApp === undefined ? {} : { sourceApp: change.sourceApp }),
			metadata: change.metadata,
		},
	});
}
