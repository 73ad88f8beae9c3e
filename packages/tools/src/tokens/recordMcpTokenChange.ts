import { type AgentSpaceDb, type AuditRecord, appendAuditRecord } from '@agentspace/db';
import { type Actor, appendToStream, createEvent, type FleetEvent } from '@agentspace/events';
import { TOOLS_PROJECT_KEY } from '../registry/recordToolChange.js';

/** One token change: its event and its audit entry, written in the caller's transaction. */
export interface McpTokenChange {
	readonly actor: Actor;
	readonly tokenId: string;
	readonly event: 'mcp_token_minted' | 'mcp_token_revoked';
	readonly fields: Record<string, unknown>;
	readonly auditType: 'mcp.token_minted' | 'mcp.token_revoked';
	readonly metadata: Record<string, string>;
	readonly sourceApp?: string;
}

/** Appends a token event (the projection updates inline) and its audit entry, inside `tx`. */
export function appendMcpTokenChange(
	tx: AgentSpaceDb,
	change: McpTokenChange,
): { readonly event: FleetEvent; readonly audit: AuditRecord } {
	const actor = { type: change.actor.type, id: change.actor.id };
	const [event] = appendToStream(tx, [
		createEvent(change.event, {
			project_key: TOOLS_PROJECT_KEY,
			metadata: { actor },
			...change.fields,
		} as never),
	]);
	const audit = appendAuditRecord(tx, {
		eventType: change.auditType,
		actor,
		// Who can reach every allowed tool is a security matter either way.
		severity: 'security',
		// The id names the token; the audit's redaction would hide it under a `token…` key.
		subject: { type: 'mcp-token', id: change.tokenId },
		...(change.sourceApp === undefined ? {} : { sourceApp: change.sourceApp }),
		correlationId: (event as FleetEvent).id,
		metadata: change.metadata,
	});
	return { event: event as FleetEvent, audit };
}
