import { NotFoundError, ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, withImmediateTransaction } from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import { parseProvider, providerSpec } from '../providers.js';
import type { Vault } from '../vault/vaultTypes.js';
import {
	checkProviderInput,
	type ProviderKeyChanged,
	providerFingerprint,
} from './addProviderKey.js';
import { providerKeyRow } from './providerKeyRow.js';
import { appendKeyChange } from './recordKeyChange.js';

/** Options of {@link rotateProviderKey}. */
export interface RotateProviderKeyOptions {
	readonly provider: string;
	/** The new key; none keeps the key (a new base URL only). */
	readonly value?: string;
	/** A new base URL; none keeps the one set. */
	readonly baseUrl?: string;
	readonly actor: Actor;
	readonly sourceApp?: string;
}

/**
 * Replaces a provider's key and/or base URL: the new value to the vault,
 * then `key_updated` and its audit entry. NOT_FOUND when the provider has no
 * key (add it). The vault is written first: a crash before the event leaves
 * the new key in the vault under the old fingerprint — the key the user
 * meant is the one used, and rotating again records it.
 */
export async function rotateProviderKey(
	db: AgentSpaceDb,
	vault: Vault,
	options: RotateProviderKeyOptions,
): Promise<ProviderKeyChanged> {
	const provider = parseProvider(options.provider);
	const spec = providerSpec(provider);
	const missing = () =>
		new NotFoundError(`${provider} has no key`, {
			hint: `add one: agentspace keys add ${provider}`,
		});
	const row = providerKeyRow(db, provider);
	if (row === undefined) throw missing();
	if (options.value === undefined && options.baseUrl === undefined) {
		throw new ValidationError(`nothing to change for ${provider}`, {
			hint: spec.needsKey
				? `give the new key (prompt or stdin) and/or --base-url: agentspace keys rotate ${provider}`
				: `give the new URL: agentspace keys rotate ${provider} --base-url http://host:11434`,
		});
	}
	const baseUrl = checkProviderInput(
		provider,
		options.value,
		options.baseUrl ?? row.base_url ?? undefined,
	);
	const fingerprint =
		spec.needsKey && options.value === undefined
			? row.fingerprint
			: providerFingerprint(provider, options.value, baseUrl);
	if (spec.needsKey && options.value !== undefined) {
		await vault.set({ kind: 'provider-key', name: provider }, options.value);
	}
	const storage = spec.needsKey && options.value === undefined ? row.storage : vault.storage;
	const audit = withImmediateTransaction(db, (tx) => {
		if (providerKeyRow(tx, provider) === undefined) throw missing();
		return appendKeyChange(tx, {
			actor: options.actor,
			event: 'key_updated',
			fields: {
				provider,
				fingerprint,
				storage,
				...(baseUrl === null ? {} : { base_url: baseUrl }),
			},
			auditType: 'key_updated',
			severity: 'security',
			subject: { type: 'provider', id: provider },
			metadata: {
				provider,
				fingerprint,
				previousFingerprint: row.fingerprint,
				storage,
				baseUrl,
			},
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		});
	});
	return { provider, fingerprint, storage, baseUrl, audit };
}
