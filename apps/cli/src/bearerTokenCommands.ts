import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import type {
	BearerTokenInfo,
	MintBearerTokenOptions,
	MintedBearerToken,
	RevokeBearerTokenOptions,
} from '@agentspace/events';
import type { ActionResult } from './action.js';
import { CLI_SOURCE_APP, cliActor } from './actor.js';
import type { CommandContext } from './context.js';
import { openExistingHomeDb, openHomeDb } from './homeDb.js';

// `mcp token` and `keys token` mint, list and revoke bearer tokens the same
// way (one implementation in @agentspace/events); only the kind's names,
// texts and package functions differ, so the commands share this module.

/** What a bearer token command needs to know about its token kind. */
export interface BearerTokenCommandKind {
	/** The token's name in messages, e.g. `MCP token` (plural: `MCP tokens`). */
	readonly label: string;
	/** The command that mints it, e.g. `agentspace mcp token` (`… revoke <id>` revokes). */
	readonly command: string;
	/** The endpoint that refuses a revoked token, e.g. `the HTTP endpoint`. */
	readonly endpoint: string;
	/** Lines printed after a minted token: how to use it. */
	readonly usage: readonly string[];
	/** Parses `--expires` (e.g. `24h`) into milliseconds. */
	readonly parseLifetime: (text: string) => number;
	readonly mint: (db: AgentSpaceDb, options: MintBearerTokenOptions) => MintedBearerToken;
	readonly list: (db: AgentSpaceDb) => readonly BearerTokenInfo[];
	readonly revoke: (
		db: AgentSpaceDb,
		options: RevokeBearerTokenOptions,
	) => { readonly tokenId: string; readonly audit: AuditRecord };
}

/** Options of a token mint command (`… token [--expires 24h] [--name NAME]`). */
export interface MintBearerTokenCommandOptions {
	readonly expires?: string;
	readonly name?: string;
}

/** Mints a token of `kind` and prints it once (only its sha256 is kept; audited). */
export async function mintBearerTokenCommand(
	ctx: CommandContext,
	kind: BearerTokenCommandKind,
	options: MintBearerTokenCommandOptions,
): Promise<ActionResult> {
	// Parsed before the database opens: a bad --expires changes nothing.
	const lifetimeMs =
		options.expires === undefined ? undefined : kind.parseLifetime(options.expires);
	const db = openHomeDb(ctx.home);
	try {
		const minted = kind.mint(db, {
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
		ctx.output.line(
			`Minted ${kind.label} ${minted.tokenId}${named}, valid until ${minted.expiresAt}:`,
		);
		ctx.output.line(`  ${style.bold(minted.token)}`);
		for (const line of kind.usage) ctx.output.line(line);
		ctx.output.line(style.dim(`Revoke it: ${kind.command} revoke ${minted.tokenId}`));
	} finally {
		db.$client.close();
	}
}

/** Lists every token of `kind` (never the token itself: it is not stored). */
export async function listBearerTokensCommand(
	ctx: CommandContext,
	kind: BearerTokenCommandKind,
): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const tokens = kind.list(db);
		ctx.output.data({ tokens });
		if (tokens.length === 0) {
			ctx.output.line(`No ${kind.label}s. Mint one: ${kind.command} --name <client>`);
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

/** Revokes a token of `kind`: its endpoint refuses it from its next request; audited. */
export async function revokeBearerTokenCommand(
	ctx: CommandContext,
	kind: BearerTokenCommandKind,
	tokenId: string,
): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const revoked = kind.revoke(db, { tokenId, actor: cliActor(), sourceApp: CLI_SOURCE_APP });
		ctx.output.data({ tokenId: revoked.tokenId, revoked: true, auditId: revoked.audit.id });
		ctx.output.line(
			`Revoked ${kind.label} ${revoked.tokenId}: ${kind.endpoint} refuses it from now on.`,
		);
	} finally {
		db.$client.close();
	}
}
