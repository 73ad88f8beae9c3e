import { listKeyTokens } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';

/** `agentspace keys token list`: every key token (never the token itself). */
export async function keysTokenList(ctx: CommandContext): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const tokens = listKeyTokens(db);
		ctx.output.data({ tokens });
		if (tokens.length === 0) {
			ctx.output.line('No key tokens. Mint one: agentspace keys token --name <client>');
			return;
		}
		ctx.output.table(tokens, [
			{ header: 'ID', value: (t) => t.tokenId },
			{ header: 'NAME', value: (t) => t.name ?? '-' },
			{ header: 'STATUS', value: (t) => t.status },
			{ header: 'EXPIRES', value: (t) => t.expiresAt },
			{ header: 'CREATED', value: (t) => `${t.createdAt} by ${t.createdBy}` },
		]);
	} finally {
		db.$client.close();
	}
}
