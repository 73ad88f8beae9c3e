import { canonicalJson, sha256Hex } from '@agentspace/core';
import type { AuditLogRow } from '../schema/auditLog.js';

/** `prevHash` of the first row in the chain. */
export const GENESIS_HASH = '0'.repeat(64);

// Bumping this invalidates every existing chain; it exists so a future change
// of the hashed content can be told apart from tampering.
const HASH_DOMAIN = 'agentspace-audit-v1';

/**
 * The hash of one audit row: SHA-256 over a fixed-order JSON array of every
 * column except `hash` itself. `id` is included so moving a row to another
 * position breaks it; `prevHash` links it to the row before.
 */
export function computeAuditHash(row: Omit<AuditLogRow, 'hash'>): string {
	const content = [
		row.id,
		row.ts,
		row.eventType,
		row.actorType,
		row.actorId,
		row.subjectType,
		row.subjectId,
		row.correlationId,
		row.causationId,
		row.severity,
		row.sourceApp,
		row.sourceIp,
		row.metadata,
		row.prevHash,
	];
	return sha256Hex(`${HASH_DOMAIN}\n${JSON.stringify(content)}`);
}

// Kept here as an export of @agentspace/db too: the audit chain's hashes are defined by it.
export { canonicalJson };
