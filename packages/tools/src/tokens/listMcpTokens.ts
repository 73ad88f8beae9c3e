import { type AgentSpaceDb, prepared } from '@agentspace/db';

/** One minted token as `mcp token list` shows it (never the token: it is not stored). */
export interface McpTokenInfo {
	readonly tokenId: string;
	readonly name: string | null;
	readonly createdAt: string;
	readonly createdBy: string;
	readonly expiresAt: string;
	readonly revokedAt: string | null;
	readonly revokedBy: string | null;
	/** `active` until it expires or is revoked. */
	readonly status: 'active' | 'expired' | 'revoked';
}

interface Row {
	token_id: string;
	name: string | null;
	created_at: string;
	created_by: string;
	expires_at: string;
	revoked_at: string | null;
	revoked_by: string | null;
}

/** Every minted token, newest first, with its status at `now`. */
export function listMcpTokens(
	db: AgentSpaceDb,
	options: { readonly now?: () => Date } = {},
): readonly McpTokenInfo[] {
	const now = (options.now ?? (() => new Date()))().toISOString();
	const rows = prepared(
		db.$client,
		`SELECT token_id, name, created_at, created_by, expires_at, revoked_at, revoked_by
		FROM mcp_tokens ORDER BY created_at DESC, token_id`,
	).all() as Row[];
	return rows.map((row) => ({
		tokenId: row.token_id,
		name: row.name,
		createdAt: row.created_at,
		createdBy: row.created_by,
		expiresAt: row.expires_at,
		revokedAt: row.revoked_at,
		revokedBy: row.revoked_by,
		status: row.revoked_at !== null ? 'revoked' : row.expires_at <= now ? 'expired' : 'active',
	}));
}
