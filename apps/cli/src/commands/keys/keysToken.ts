import { parseBearerTokenLifetime } from '@agentspace/events';
import { listKeyTokens, mintKeyToken, revokeKeyToken } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb, openHomeDb } from '../../homeDb.js';

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

/** `agentspace keys token revoke <id>`: the endpoint refuses it from its next request; audited. */
export async function keysTokenRevoke(ctx: CommandContext, tokenId: string): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const revoked = revokeKeyToken(db, { tokenId, actor: cliActor(), sourceApp: CLI_SOURCE_APP });
		ctx.output.data({ tokenId: revoked.tokenId, revoked: true, auditId: revoked.audit.id });
		ctx.output.line(
			`Revoked key token ${revoked.tokenId}: the LLM endpoint refuses it from now on.`,
		);
	} finally {
		db.$client.close();
	}
}
