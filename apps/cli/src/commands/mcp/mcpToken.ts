import { mintMcpToken, parseMcpTokenLifetime } from '@agentspace/tools/tokens';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openHomeDb } from '../../homeDb.js';
import type { McpTokenOptions } from './mcpHttpOptions.js';

/**
 * `agentspace mcp token [--expires 24h] [--name NAME]`: mints a bearer token
 * for the MCP HTTP endpoint and prints it once — only its sha256 is kept
 * (mcp_token_minted, audited), so it cannot be shown again.
 */
export async function mcpToken(
	ctx: CommandContext,
	options: McpTokenOptions,
): Promise<ActionResult> {
	const lifetimeMs =
		options.expires === undefined ? undefined : parseMcpTokenLifetime(options.expires);
	const db = openHomeDb(ctx.home);
	try {
		const minted = mintMcpToken(db, {
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
			...(options.name === undefined ? {} : { name: options.name }),
			...(lifetimeMs === undefined ? {} : { lifetimeMs }),
		});
		ctx.output.data({
			tokenId: minted.tokenId,
			token: minted.token,
			name: minted.name,
			expiresAt: minted.expiresAt,
			auditId: minted.audit.id,
		});
		const { style } = ctx.output;
		const named = minted.name === null ? '' : ` (${minted.name})`;
		ctx.output.line(`Minted MCP token ${minted.tokenId}${named}, valid until ${minted.expiresAt}:`);
		ctx.output.line(`  ${style.bold(minted.token)}`);
		ctx.output.line(
			'It is shown this once and stored nowhere (only its sha256): put it in the client now, as',
		);
		ctx.output.line(
			'  Authorization: Bearer <token>     (agentspace mcp --http serves the endpoint)',
		);
		ctx.output.line(style.dim(`Revoke it: agentspace mcp token revoke ${minted.tokenId}`));
	} finally {
		db.$client.close();
	}
}
