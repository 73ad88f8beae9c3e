import type { AuditLogRow } from '../schema/auditLog.js';
import type { AuditRecord } from './types.js';

/** The public shape of a stored row. */
export function toAuditRecord(row: AuditLogRow): AuditRecord {
	return {
		id: row.id,
		timestamp: row.ts,
		eventType: row.eventType,
		actor: { type: row.actorType, id: row.actorId },
		subject: row.subjectType === null ? null : { type: row.subjectType, id: row.subjectId },
		correlationId: row.correlationId,
		causationId: row.causationId,
		severity: row.severity,
		sourceApp: row.sourceApp,
		sourceIp: row.sourceIp,
		metadata: JSON.parse(row.metadata) as Record<string, unknown>,
		prevHash: row.prevHash,
		hash: row.hash,
	};
}
