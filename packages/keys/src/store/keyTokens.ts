import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import {
	type BearerTokenCheck,
	type BearerTokenInfo,
	type BearerTokenKind,
	listBearerTokens,
	type MintBearerTokenOptions,
	type MintedBearerToken,
	mintBearerToken,
	type RevokeBearerTokenOptions,
	revokeBearerToken,
	verifyBearerToken,
} from '@agentspace/events';
import { KEYS_PROJECT_KEY } from './recordKeyChange.js';

/** The LLM endpoint's user tokens (`agentspace keys token`), minted as the MCP endpoint's are. */
export const KEY_TOKEN_KIND: BearerTokenKind = {
	prefix: 'askey_',
	table: 'key_tokens',
	events: { minted: 'key_token_minted', revoked: 'key_token_revoked' },
	auditTypes: { minted: 'key_token_minted', revoked: 'key_token_revoked' },
	subjectType: 'key-token',
	projectKey: KEYS_PROJECT_KEY,
	label: 'key token',
	command: 'agentspace keys token',
	exampleName: 'my-script',
	maxActive: 100,
};

/** A key token as `keys token list` shows it (never the token). */
export type KeyTokenInfo = BearerTokenInfo;

/**
 * Mints a token for the LLM endpoint (`askey_…`, default 30 days): the
 * caller shows it once; only its sha256 is kept. Audited `key_token_minted`.
 */
export function mintKeyToken(db: AgentSpaceDb, options: MintBearerTokenOptions): MintedBearerToken {
	return mintBearerToken(db, KEY_TOKEN_KIND, options);
}

/** Revokes a key token (NOT_FOUND unknown, CONFLICT revoked already); audited `key_token_revoked`. */
export function revokeKeyToken(
	db: AgentSpaceDb,
	options: RevokeBearerTokenOptions,
): { readonly tokenId: string; readonly audit: AuditRecord } {
	return revokeBearerToken(db, KEY_TOKEN_KIND, options);
}

/** Every key token, newest first, with its status. */
export function listKeyTokens(
	db: AgentSpaceDb,
	options: { readonly now?: () => Date } = {},
): readonly KeyTokenInfo[] {
	return listBearerTokens(db, KEY_TOKEN_KIND, options);
}

/** Checks a credential presented to the LLM endpoint against the key tokens (as verifyMcpToken). */
export function verifyKeyToken(
	db: AgentSpaceDb,
	presented: string | undefined,
	options: { readonly now?: () => Date } = {},
): BearerTokenCheck {
	return verifyBearerToken(db, KEY_TOKEN_KIND, presented, options);
}
