import { sha256Hex } from '@agentspace/core';
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

/** JSON with object keys sorted at every depth, so equal metadata always hashes equally. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value).sort())
		out[key] = sortKeys((value as Record<string, unknown>)[key]);
	return out;
}
