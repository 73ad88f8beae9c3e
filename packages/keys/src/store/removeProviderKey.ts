import { NotFoundError } from '@agentspace/core';
import { type AgentSpaceDb, type AuditRecord, withImmediateTransaction } from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import { type ProviderId, parseProvider, providerSpec } from '../providers.js';
import type { Vault } from '../vault/vaultTypes.js';
import { providerKeyRow } from './providerKeyRow.js';
import { appendKeyChange } from './recordKeyChange.js';

/** Options of {@link removeProviderKey}. */
export interface RemoveProviderKeyOptions {
	readonly provider: string;
	readonly actor: Actor;
	readonly sourceApp?: string;
}

/**
 * Removes a provider's key: `key_removed` and its audit entry, then the value
 * from the vault. The event goes first: a crash in between leaves a value no
 * row names (deleted by the next add or remove of it) rather than a row the
 * endpoint would serve with a missing key. NOT_FOUND when there is none.
 */
export async function removeProviderKey(
	db: AgentSpaceDb,
	vault: Vault,
	options: RemoveProviderKeyOptions,
): Promise<{ readonly provider: ProviderId; readonly audit: AuditRecord }> {
	const provider = parseProvider(options.provider);
	const audit = withImmediateTransaction(db, (tx) => {
		const row = providerKeyRow(tx, provider);
		if (row === undefined) {
			throw new NotFoundError(`${provider} has no key`, {
				hint: 'see the keys AgentSpace holds: agentspace keys list',
			});
		}
		return appendKeyChange(tx, {
			actor: options.actor,
			event: 'key_removed',
			fields: { provider },
			auditType: 'key_removed',
			severity: 'security',
			subject: { type: 'provider', id: provider },
			metadata: { provider, fingerprint: row.fingerprint },
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		});
	});
	if (providerSpec(provider).needsKey) await vault.delete({ kind: 'provider-key', name: provider });
	return { provider, audit };
}
