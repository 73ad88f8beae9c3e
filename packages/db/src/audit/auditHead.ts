import { AgentSpaceError } from '@agentspace/core';
import type { AgentSpaceDb } from '../connection/types.js';
import { GENESIS_HASH } from './auditHash.js';

/** Where the audit log's chain ends: the last row's position (its id, 0 when empty) and hash. */
export interface AuditHead {
	readonly position: number;
	readonly hash: string;
}

/**
 * The audit log's current head, read without verifying the chain (see
 * verifyAuditChain for that): keep it outside the database, and a later
 * `verifyAuditChain(db, { expect })` tells whether history was rewritten.
 */
export function readAuditHead(db: AgentSpaceDb): AuditHead {
	const row = db.$client.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
		| { id: number; hash: string }
		| undefined;
	return row === undefined
		? { position: 0, hash: GENESIS_HASH }
		: { position: row.id, hash: row.hash };
}

/** `<position>:<hash>`, as `agentspace audit head` prints it and `audit verify --expect` takes it. */
export function formatAuditHead(head: AuditHead): string {
	return `${head.position}:${head.hash}`;
}

const HEAD = /^(0|[1-9]\d{0,15}):([0-9a-f]{64})$/;

/**
 * Parses `<position>:<hash>` (as {@link formatAuditHead} writes it). Throws a
 * usage error naming the expected form.
 */
export function parseAuditHead(text: string): AuditHead {
	const match = HEAD.exec(text.trim().toLowerCase());
	const position = match === null ? Number.NaN : Number(match[1]);
	if (match === null || !Number.isSafeInteger(position)) {
		throw new AgentSpaceError(
			`${JSON.stringify(text.slice(0, 100))} is not an audit head (<position>:<64 hex digits>)`,
			{
				code: 'USAGE',
				hint: 'pass the head exactly as `agentspace audit head` printed it, e.g. 42:3f5c…',
			},
		);
	}
	return { position, hash: match[2] as string };
}

/** The position of the row with this hash, or undefined when the log holds none. */
export function findAuditPosition(db: AgentSpaceDb, hash: string): number | undefined {
	const row = db.$client.prepare('SELECT id FROM audit_log WHERE hash = ?').get(hash) as
		| { id: number }
		| undefined;
	return row?.id;
}
