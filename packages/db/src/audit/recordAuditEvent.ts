import type { AgentSpaceDb } from '../connection/types.js';
import { withImmediateTransaction } from '../connection/withImmediateTransaction.js';
import { type AppendAuditOptions, appendAuditRecord } from './appendAuditRecord.js';
import type { AuditEventInput, AuditRecord } from './types.js';

/**
 * Records one audit entry in its own write transaction. Use
 * {@link appendAuditRecord} instead when the entry must commit together with
 * other writes. Async so an async backend can sit behind it later.
 */
export async function recordAuditEvent(
	db: AgentSpaceDb,
	input: AuditEventInput,
	options: AppendAuditOptions = {},
): Promise<AuditRecord> {
	return withImmediateTransaction(db, (tx) => appendAuditRecord(tx, input, options));
}
