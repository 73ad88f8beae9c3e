import { formatAuditHead, readAuditHead } from '@agentspace/db';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';

/**
 * `audit head`: the audit log's current head as `<position>:<hash>`, to keep
 * somewhere else; `audit verify --expect` later tells whether the log still
 * holds it. Reads the last row only (it verifies nothing: that is `verify`).
 */
export async function auditHead(ctx: CommandContext): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	let head: ReturnType<typeof readAuditHead>;
	try {
		head = readAuditHead(db);
	} finally {
		db.$client.close();
	}
	ctx.output.data({ head: formatAuditHead(head), count: head.position, hash: head.hash });
	ctx.output.line(formatAuditHead(head));
}
