import {
	KEYCHAIN_SERVICE,
	type KeychainEntryFactory,
	sha256Hex,
	VaultError,
} from '@agentspace/core';
import { type Vault, type VaultRef, vaultAccountOf } from './vaultTypes.js';

/** The keychain account of a ref in a home: scoped to the home, so test homes never collide. */
export function keychainVaultAccount(home: string, ref: VaultRef): string {
	return `${vaultAccountOf(ref)}:${sha256Hex(home).slice(0, 16)}`;
}

/** The keychain vault: one keychain entry per value, under the service `agentspace`. */
export function keychainVault(home: string, openEntry: KeychainEntryFactory): Vault {
	const entryOf = (ref: VaultRef) => openEntry(KEYCHAIN_SERVICE, keychainVaultAccount(home, ref));
	return {
		storage: 'keychain',
		get: async (ref) => {
			const value = await keychainCall(ref, 'read', async () => (await entryOf(ref)).getPassword());
			return typeof value === 'string' ? value : undefined;
		},
		set: async (ref, value) => {
			await keychainCall(ref, 'write', async () => (await entryOf(ref)).setPassword(value));
		},
		delete: async (ref) => {
			await keychainCall(ref, 'delete', async () => {
				const entry = await entryOf(ref);
				if (entry.deletePassword === undefined) {
					// A keychain that cannot delete at least forgets the value.
					entry.setPassword('');
					return;
				}
				try {
					entry.deletePassword();
				} catch (error) {
					// Some keychains throw for an entry that is not there: gone is what was asked.
					if (typeof entry.getPassword() === 'string') throw error;
				}
			});
		},
	};
}

async function keychainCall<T>(ref: VaultRef, what: string, work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		throw new VaultError(
			`cannot ${what} ${vaultAccountOf(ref)} in the OS keychain: ${(error as Error).message}`,
			{ hint: 'unlock the keychain (or start its service) and try again', cause: error },
		);
	}
}
