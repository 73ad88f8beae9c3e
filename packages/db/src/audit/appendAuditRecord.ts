import {
	AgentSpaceError,
	formatIssues,
	nowIso,
	type RedactOptions,
	redactSecrets,
	redactText,
	ValidationError,
	validateWith,
} from '@agentspace/core';
import { prepared } from '../connection/prepared.js';
import type { AgentSpaceDb } from '../connection/types.js';
import { inWriteTransaction } from '../connection/withImmediateTransaction.js';
import type { AuditLogRow } from '../schema/auditLog.js';
import { canonicalJson, computeAuditHash, GENESIS_HASH } from './auditHash.js';
import { readAuditSequence } from './auditSequence.js';
import { toAuditRecord } from './toAuditRecord.js';
import { type AuditEventInput, AuditEventInputSchema, type AuditRecord } from './types.js';

const LAST_ENTRY = 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1';
const INSERT_ENTRY = `INSERT INTO audit_log (id, ts, event_type, actor_type, actor_id, subject_type,
	subject_id, correlation_id, causation_id, severity, source_app, source_ip, metadata, prev_hash, hash)
	VALUES (@id, @ts, @eventType, @actorType, @actorId, @subjectType, @subjectId, @correlationId,
	@causationId, @severity, @sourceApp, @sourceIp, @metadata, @prevHash, @hash)`;

/** Options for appending an audit entry. */
export interface AppendAuditOptions {
	/** Exact secret values to redact from metadata in addition to the built-in patterns. */
	readonly secrets?: RedactOptions['secrets'];
}

/**
 * Appends one audit entry inside the caller's transaction (the unit of work):
 * a command handler appends its events and its audit record in one commit.
 * Throws if no transaction is open, since the chain's tail must not move
 * between reading it and appending to it.
 */
export function appendAuditRecord(
	db: AgentSpaceDb,
	input: AuditEventInput,
	options: AppendAuditOptions = {},
): AuditRecord {
	if (!inWriteTransaction(db)) {
		throw new AgentSpaceError('appendAuditRecord must run inside a write transaction', {
			hint: 'wrap the call in withImmediateTransaction(db, ...) or use recordAuditEvent',
		});
	}
	const parsed = validateWith(AuditEventInputSchema, input);
	if (!parsed.ok) {
		throw new ValidationError(`invalid audit event:\n${formatIssues(parsed.errors)}`, {
			hint: 'fix the listed fields; nothing was written',
			issues: parsed.errors,
		});
	}
	const event = parsed.value;
	// Prepared SQL, not the query builder: every request through the LLM endpoint
	// appends an entry, and building the two queries cost more than the insert.
	const last = prepared(db.$client, LAST_ENTRY).get() as { id: number; hash: string } | undefined;
	// AUTOINCREMENT remembers the highest id ever used: taking the next id from it
	// (not from the last row) keeps a deleted tail visible as a gap.
	const id = Math.max(last?.id ?? 0, readAuditSequence(db)) + 1;
	const secrets = { secrets: options.secrets ?? [] };
	// Free-text fields are redacted like metadata: an id can carry a token too.
	const text = (value: string | undefined) =>
		value === undefined ? null : redactText(value, secrets);
	const row: Omit<AuditLogRow, 'hash'> = {
		id,
		// Normalised to UTC with milliseconds, so stored times compare correctly as text.
		ts: event.timestamp === undefined ? nowIso() : new Date(event.timestamp).toISOString(),
		eventType: event.eventType,
		actorType: event.actor.type,
		actorId: text(event.actor.id),
		subjectType: event.subject?.type ?? null,
		subjectId: text(event.subject?.id),
		correlationId: text(event.correlationId),
		causationId: text(event.causationId),
		severity: event.severity,
		sourceApp: text(event.sourceApp),
		sourceIp: text(event.sourceIp),
		metadata: canonicalJson(redactSecrets(event.metadata, secrets)),
		prevHash: last?.hash ?? GENESIS_HASH,
	};
	const stored: AuditLogRow = { ...row, hash: computeAuditHash(row) };
	prepared(db.$client, INSERT_ENTRY).run(stored);
	return toAuditRecord(stored);
}
