import { AgentSpaceError, homePaths } from '@agentspace/core';
import { verifyAuditChain } from '@agentspace/db';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import type { ActionResult } from '../../program.js';
import { reportError } from '../../reportError.js';

/** `audit verify`: walks the hash chain; a broken chain exits with code 8 naming the first bad row. */
export async function auditVerify(ctx: CommandContext): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	let result: Awaited<ReturnType<typeof verifyAuditChain>>;
	try {
		result = await verifyAuditChain(db);
	} finally {
		db.$client.close();
	}
	if (result.ok) {
		ctx.output.data(result);
		ctx.output.line(
			`${ctx.output.style.green('✓')} audit log intact: ${result.count} ${result.count === 1 ? 'entry' : 'entries'} verified, head ${result.headHash}`,
		);
		return;
	}
	const error = new AgentSpaceError(
		`audit log verification failed at row ${result.firstBadId}: ${result.message}`,
		{
			code: 'AUDIT_CHAIN_BROKEN',
			hint: `the log was changed outside AgentSpace; keep a copy of ${homePaths(ctx.home).dbFile} for investigation (${result.count} rows before row ${result.firstBadId} check out)`,
		},
	);
	if (ctx.json) {
		// Scripts get the full verification result, people get the error line.
		ctx.output.data(result);
		return reportError(error, false);
	}
	throw error;
}
