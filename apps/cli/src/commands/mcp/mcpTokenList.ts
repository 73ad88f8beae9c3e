import { listMcpTokens } from '@agentspace/tools/tokens';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';

/** `agentspace mcp token list`: every minted token (never the token itself: it is not stored). */
export async function mcpTokenList(ctx: CommandContext): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const tokens = listMcpTokens(db);
		ctx.output.data({ tokens });
		if (tokens.length === 0) {
			ctx.output.line('No MCP tokens. Mint one: agentspace mcp token --name <client>');
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
