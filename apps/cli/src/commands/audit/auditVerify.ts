import { AgentSpaceError, homePaths, isAgentSpaceError } from '@agentspace/core';
import {
	type AuditChainVerification,
	type AuditHead,
	findAuditPosition,
	formatAuditHead,
	parseAuditHead,
	verifyAuditChain,
} from '@agentspace/db';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { reportError } from '../../reportError.js';

/** Options of `audit verify`, as commander parses them. */
export interface AuditVerifyOptions {
	/** A head kept from `audit head`: `<position>:<hash>`, or the hash alone. */
	readonly expect?: string;
}

const BARE_HASH = /^[0-9a-f]{64}$/;

/**
 * `audit verify`: walks the hash chain; a broken chain exits with code 8
 * naming the first bad row. With `--expect`, the log must still hold that
 * head at its position (a rewrite of history from an earlier row, hashes
 * recomputed, passes the chain but not this). A damaged database (tables
 * dropped) is reported as tampering too: exit 8, `DB_DAMAGED`.
 */
export async function auditVerify(
	ctx: CommandContext,
	options: AuditVerifyOptions = {},
): Promise<ActionResult> {
	const text = options.expect?.trim().toLowerCase();
	// Checked before the home is opened: a malformed head is a usage error.
	const kept = text === undefined || BARE_HASH.test(text) ? undefined : parseAuditHead(text);
	const dbFile = homePaths(ctx.home).dbFile;
	let result: AuditChainVerification;
	let expected: AuditHead | undefined = kept;
	try {
		const db = openExistingHomeDb(ctx.home);
		try {
			if (text !== undefined && kept === undefined) {
				const position = findAuditPosition(db, text);
				if (position === undefined) {
					const error = headNotFound(text, dbFile);
					if (!ctx.json) throw error;
					// The same failure object as a kept <position>:<hash> gets, without a row to name.
					ctx.output.data({
						ok: false,
						reason: 'head_mismatch',
						message: `no row has the kept head hash ${text}`,
						expected: text,
					});
					return reportError(error, false);
				}
				expected = { position, hash: text };
			}
			result = await verifyAuditChain(db, expected === undefined ? {} : { expect: expected });
		} finally {
			db.$client.close();
		}
	} catch (error) {
		if (isAgentSpaceError(error) && error.code === 'DB_DAMAGED' && ctx.json) {
			ctx.output.data({ ok: false, reason: 'db_damaged', message: error.message });
			return reportError(error, false);
		}
		throw error;
	}
	if (result.ok) {
		ctx.output.data(
			expected === undefined ? result : { ...result, expected: formatAuditHead(expected) },
		);
		const anchored =
			expected === undefined ? '' : `, still holding the kept head at row ${expected.position}`;
		ctx.output.line(
			`${ctx.output.style.green('✓')} audit log intact: ${result.count} ${result.count === 1 ? 'entry' : 'entries'} verified${anchored}, head ${formatAuditHead({ position: result.count, hash: result.headHash })}`,
		);
		return;
	}
	const error =
		result.reason === 'head_mismatch'
			? new AgentSpaceError(
					`audit log verification failed: the kept head ${formatAuditHead(expected as AuditHead)} is not in the log: ${result.message}`,
					{
						code: 'AUDIT_HEAD_MISMATCH',
						hint: `history was rewritten (or cut) outside AgentSpace at or before row ${result.firstBadId}; keep a copy of ${dbFile} for investigation and compare it with a backup taken when that head was kept`,
					},
				)
			: new AgentSpaceError(
					`audit log verification failed at row ${result.firstBadId}: ${result.message}`,
					{
						code: 'AUDIT_CHAIN_BROKEN',
						hint: `the log was changed outside AgentSpace; keep a copy of ${dbFile} for investigation (${result.count} rows before row ${result.firstBadId} check out)`,
					},
				);
	if (ctx.json) {
		// Scripts get the full verification result, people get the error line.
		ctx.output.data(
			expected === undefined ? result : { ...result, expected: formatAuditHead(expected) },
		);
		return reportError(error, false);
	}
	throw error;
}

function headNotFound(hash: string, dbFile: string): AgentSpaceError {
	return new AgentSpaceError(
		`audit log verification failed: no row has the kept head hash ${hash}`,
		{
			code: 'AUDIT_HEAD_MISMATCH',
			hint: `history was rewritten outside AgentSpace, or the hash is from another home; keep a copy of ${dbFile} for investigation (pass <position>:<hash>, as \`agentspace audit head\` prints it, to name the row)`,
		},
	);
}
