import { parseBearerTokenLifetime } from '@agentspace/events';
import { mintKeyToken } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openHomeDb } from '../../homeDb.js';

/** Options of `keys token`. */
export interface KeysTokenOptions {
	readonly expires?: string;
	readonly name?: string;
}

/**
 * `agentspace keys token [--expires 24h] [--name NAME]`: mints a token for
 * the LLM endpoint, printed once (only its sha256 is kept; audited).
 */
export async function keysToken(
	ctx: CommandContext,
	options: KeysTokenOptions,
): Promise<ActionResult> {
	const lifetimeMs =
		options.expires === undefined ? undefined : parseBearerTokenLifetime(options.expires);
	const db = openHomeDb(ctx.home);
	try {
		const minted = mintKeyToken(db, {
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
		ctx.output.line(`Minted key token ${minted.tokenId}${named}, valid until ${minted.expiresAt}:`);
		ctx.output.line(`  ${style.bold(minted.token)}`);
		ctx.output.line(
			'It is shown this once and stored nowhere (only its sha256). Use it as the API key',
		);
		ctx.output.line(
			'of an SDK pointed at the endpoint, e.g. ANTHROPIC_BASE_URL=http://127.0.0.1:3271/anthropic',
		);
		ctx.output.line(style.dim(`Revoke it: agentspace keys token revoke ${minted.tokenId}`));
	} finally {
		db.$client.close();
	}
}
