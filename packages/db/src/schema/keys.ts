import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Projection: the provider keys AgentSpace holds (`agentspace keys`), written
 * only by the provider keys projection. The key itself is never stored here:
 * it lives in the vault (the OS keychain or a 0600 file); this row says where,
 * with a fingerprint to recognise it by.
 */
export const providerKeys = sqliteTable('provider_keys', {
	/** `anthropic`, `openai`, `ollama` or `openai-compatible:<name>`. */
	provider: text('provider').primaryKey(),
	/** The URL requests go to; null: the provider's default. */
	baseUrl: text('base_url'),
	/** `sha256:` and 12 hex characters of the key's sha256. */
	fingerprint: text('fingerprint').notNull(),
	/** `keychain` or `file`. */
	storage: text('storage').notNull(),
	addedAt: text('added_at').notNull(),
	updatedAt: text('updated_at').notNull(),
	addedBy: text('added_by').notNull(),
});

/** Projection: the secrets agents may be given (`agentspace secrets`); values live in the vault. */
export const secrets = sqliteTable('secrets', {
	name: text('name').primaryKey(),
	fingerprint: text('fingerprint').notNull(),
	storage: text('storage').notNull(),
	setAt: text('set_at').notNull(),
	setBy: text('set_by').notNull(),
});

/** Projection: per agent and provider limits of the LLM endpoint (`agentspace keys limit`). */
export const keyLimits = sqliteTable(
	'key_limits',
	{
		agentId: text('agent_id').notNull(),
		provider: text('provider').notNull(),
		/** Requests a minute; null: none. */
		rpm: integer('rpm'),
		/** Tokens a UTC day; null: none. */
		tokensPerDay: integer('tokens_per_day'),
		setAt: text('set_at').notNull(),
	},
	(table) => [primaryKey({ columns: [table.agentId, table.provider] })],
);

/** Projection: the LLM endpoint's user tokens (`agentspace keys token`), as `mcp_tokens`. */
export const keyTokens = sqliteTable('key_tokens', {
	/** The token's public id (`askey_` + 12 characters), also its first characters. */
	tokenId: text('token_id').primaryKey(),
	name: text('name'),
	/** sha256 hex of the whole token. */
	tokenHash: text('token_hash').notNull(),
	createdAt: text('created_at').notNull(),
	createdBy: text('created_by').notNull(),
	expiresAt: text('expires_at').notNull(),
	revokedAt: text('revoked_at'),
	revokedBy: text('revoked_by'),
});
