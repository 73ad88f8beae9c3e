import { ConflictError, ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, type AuditRecord, withImmediateTransaction } from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import { type ProviderId, parseProvider, providerSpec } from '../providers.js';
import type { Vault, VaultStorage } from '../vault/vaultTypes.js';
import { fingerprintOf } from './fingerprint.js';
import { providerKeyRow } from './providerKeyRow.js';
import { appendKeyChange } from './recordKeyChange.js';
import { checkKeyValue, normaliseBaseUrl } from './storeInput.js';

/** Options of {@link addProviderKey}. */
export interface AddProviderKeyOptions {
	/** `anthropic`, `openai`, `ollama` or `openai-compatible:<name>`. */
	readonly provider: string;
	/** The key; none for ollama (it has a URL, no key). */
	readonly value?: string;
	/** Where requests go; required for openai-compatible and the provider's default otherwise. */
	readonly baseUrl?: string;
	readonly actor: Actor;
	readonly sourceApp?: string;
}

/** What a stored key change gives back: never the value. */
export interface ProviderKeyChanged {
	readonly provider: ProviderId;
	readonly fingerprint: string;
	readonly storage: VaultStorage;
	readonly baseUrl: string | null;
	readonly audit: AuditRecord;
}

/**
 * The fingerprint a provider's row carries: the key's, or for ollama (no key)
 * its base URL's, so a change of URL shows as one.
 */
export function providerFingerprint(
	provider: ProviderId,
	value: string | undefined,
	baseUrl: string | null,
): string {
	return fingerprintOf(
		providerSpec(provider).needsKey
			? (value as string)
			: (baseUrl ?? providerSpec(provider).defaultBaseUrl ?? ''),
	);
}

/** Checks what a key needs: a value unless ollama, a base URL for openai-compatible. */
export function checkProviderInput(
	provider: ProviderId,
	value: string | undefined,
	baseUrl: string | undefined,
): string | null {
	const spec = providerSpec(provider);
	if (spec.needsKey && value !== undefined) checkKeyValue(value);
	if (!spec.needsKey && value !== undefined) {
		throw new ValidationError(`${provider} takes no key, only a URL`, {
			hint: 'agentspace keys add ollama --base-url http://127.0.0.1:11434 (nothing on stdin)',
		});
	}
	if (spec.defaultBaseUrl === undefined && baseUrl === undefined) {
		throw new ValidationError(`${provider} needs a base URL`, {
			hint: `agentspace keys add ${provider} --base-url https://api.example.com/v1`,
		});
	}
	return baseUrl === undefined ? null : normaliseBaseUrl(baseUrl);
}

/**
 * Adds a provider's key: the value to the vault, then `key_added` and its
 * audit entry in one transaction. CONFLICT if the provider has one (rotate
 * it instead); nothing is written on a bad input.
 *
 * The vault is written first: a crash before the event leaves a value no row
 * names (harmless: the next add writes over it), never a row whose value is
 * missing.
 */
export async function addProviderKey(
	db: AgentSpaceDb,
	vault: Vault,
	options: AddProviderKeyOptions,
): Promise<ProviderKeyChanged> {
	const provider = parseProvider(options.provider);
	const spec = providerSpec(provider);
	if (spec.needsKey && options.value === undefined) {
		throw new ValidationError(`no key given for ${provider}`, {
			hint: `agentspace keys add ${provider} reads it from a prompt, or from stdin`,
		});
	}
	const baseUrl = checkProviderInput(provider, options.value, options.baseUrl);
	const conflict = () =>
		new ConflictError(`${provider} has a key already`, {
			hint: `replace it with agentspace keys rotate ${provider}, or remove it first: agentspace keys remove ${provider}`,
		});
	if (providerKeyRow(db, provider) !== undefined) throw conflict();
	const fingerprint = providerFingerprint(provider, options.value, baseUrl);
	if (spec.needsKey) {
		await vault.set({ kind: 'provider-key', name: provider }, options.value as string);
	}
	const audit = withImmediateTransaction(db, (tx) => {
		if (providerKeyRow(tx, provider) !== undefined) throw conflict();
		return appendKeyChange(tx, {
			actor: options.actor,
			event: 'key_added',
			fields: {
				provider,
				fingerprint,
				storage: vault.storage,
				...(baseUrl === null ? {} : { base_url: baseUrl }),
			},
			auditType: 'key_added',
			severity: 'security',
			subject: { type: 'provider', id: provider },
			metadata: { provider, fingerprint, storage: vault.storage, baseUrl },
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		});
	});
	return { provider, fingerprint, storage: vault.storage, baseUrl, audit };
}
