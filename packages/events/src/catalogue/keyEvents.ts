import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { AgentId, IsoTime, Sha256 } from './fields.js';

// Provider keys, secrets, per-agent limits and the LLM endpoint's user tokens
// (`agentspace keys`, `agentspace secrets`). No value ever reaches the log:
// a key or a secret lives in the vault (the OS keychain or a 0600 file), and
// the events carry only a fingerprint of it; a token only its sha256.

/** A provider: `anthropic`, `openai`, `ollama` or `openai-compatible:<name>`. */
export const ProviderName = z
	.string()
	.regex(
		/^(anthropic|openai|ollama|openai-compatible:[a-z0-9][a-z0-9-]{0,31})$/,
		'must be anthropic, openai, ollama or openai-compatible:<name>',
	);

/** A secret's name, as `secret:read:<name>` names it. */
export const SecretName = z
	.string()
	.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1-128 letters, digits, ".", "_" or "-"');

/** A value's fingerprint: `sha256:` and the first 12 hex characters of its sha256. */
export const Fingerprint = z
	.string()
	.regex(/^sha256:[0-9a-f]{12}$/, 'must be "sha256:" followed by 12 lowercase hex characters');

/** Where a value is kept. */
export const VaultStorageField = z.enum(['keychain', 'file']);

/** A provider's base URL (http or https). */
export const BaseUrl = z
	.string()
	.max(2048)
	.regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL');

/** A key token's public id: `askey_` and 12 lowercase letters or digits (the token's first 18 characters). */
export const KeyTokenId = z
	.string()
	.regex(/^askey_[a-z0-9]{12}$/, 'must be "askey_" followed by 12 lowercase letters or digits');

/** The longest name a key token may carry. */
export const MAX_KEY_TOKEN_NAME_LENGTH = 100;

const keyStream = ({ provider }: { provider: string }) => `keys:${provider}`;
const secretStream = ({ name }: { name: string }) => `secret:${name}`;
const limitStream = ({ agent_id, provider }: { agent_id: string; provider: string }) =>
	`key-limit:${agent_id}:${provider}`;
const tokenStream = ({ token_id }: { token_id: string }) => `key-token:${token_id}`;

const keyFields = {
	provider: ProviderName,
	/** The URL requests for this provider go to; none: the provider's default. */
	base_url: BaseUrl.optional(),
	fingerprint: Fingerprint,
	storage: VaultStorageField,
};

/** A limit: a positive whole number, or null for none. */
const LimitValue = z.number().int().min(1).max(1_000_000_000).nullable();

/** Provider keys, secrets, key limits and key tokens. */
export const KEY_EVENTS = [
	defineEvent('key_added', keyFields, keyStream),
	defineEvent('key_updated', keyFields, keyStream),
	defineEvent('key_removed', { provider: ProviderName }, keyStream),
	defineEvent(
		'secret_set',
		{
			name: SecretName,
			fingerprint: Fingerprint,
			storage: VaultStorageField,
			/** True when it replaced a value set before. */
			replaced: z.boolean(),
		},
		secretStream,
	),
	defineEvent('secret_removed', { name: SecretName }, secretStream),
	defineEvent(
		'key_limit_set',
		{
			agent_id: AgentId,
			provider: ProviderName,
			/** Requests a minute; null: no limit. */
			rpm: LimitValue,
			/** Input plus output tokens a UTC day; null: no limit. */
			tokens_per_day: LimitValue,
		},
		limitStream,
	),
	defineEvent(
		'key_token_minted',
		{
			token_id: KeyTokenId,
			/** A name to recognise it by; none when not given. */
			name: z.string().min(1).max(MAX_KEY_TOKEN_NAME_LENGTH).optional(),
			/** sha256 hex of the whole token. */
			token_hash: Sha256,
			expires_at: IsoTime,
		},
		tokenStream,
	),
	defineEvent('key_token_revoked', { token_id: KeyTokenId }, tokenStream),
] as const;
