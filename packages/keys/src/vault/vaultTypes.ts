import type { ProviderId } from '../providers.js';

/** Where the vault keeps values: the OS keychain, or a 0600 file in the home. */
export type VaultStorage = 'keychain' | 'file';

/** One value in the vault: a provider's key, or a named secret. */
export type VaultRef =
	| { readonly kind: 'provider-key'; readonly name: ProviderId }
	| { readonly kind: 'secret'; readonly name: string };

/**
 * The home's key and secret values. Nothing else holds them: the database,
 * the event log and the audit log keep only fingerprints. Values are never
 * logged.
 */
export interface Vault {
	readonly storage: VaultStorage;
	/** Why not the keychain, when `storage` is `file` ("file, not encrypted at rest"). */
	readonly fallbackReason?: string;
	/** The file, when `storage` is `file`. */
	readonly file?: string;
	get(ref: VaultRef): Promise<string | undefined>;
	set(ref: VaultRef, value: string): Promise<void>;
	delete(ref: VaultRef): Promise<void>;
}

/** The account name of a ref in the vault, e.g. `provider-key:anthropic`, `secret:GH_TOKEN`. */
export function vaultAccountOf(ref: VaultRef): string {
	return `${ref.kind}:${ref.name}`;
}
