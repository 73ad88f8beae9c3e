import { join } from 'node:path';
import {
	KEYCHAIN_SERVICE,
	type KeychainEntryFactory,
	osKeychainEntry,
	sha256Hex,
} from '@agentspace/core';
import { fileVault, vaultFileHasEntries } from './fileVault.js';
import { keychainVault } from './keychainVault.js';
import type { Vault } from './vaultTypes.js';

/** Options of {@link openVault}. */
export interface OpenVaultOptions {
	/** The AgentSpace home. */
	readonly home: string;
	/** `false` skips the OS keychain: the file is used (and says so). */
	readonly keychain?: boolean;
	/** The keychain to use; the OS keychain by default. A seam for tests. */
	readonly keychainEntry?: KeychainEntryFactory;
}

/** The vault file of a home. */
export function vaultFilePath(home: string): string {
	return join(home, 'vault.json');
}

const CHECK_VALUE = 'agentspace-vault-check';

/**
 * Opens the home's vault: the OS keychain (through @napi-rs/keyring; on Linux
 * the Secret Service) when one answers a write-and-read-back check, otherwise
 * `<home>/vault.json` (0600, not encrypted at rest) with the reason. A vault
 * file that holds values stays the vault even once a keychain is reachable:
 * flipping between them would hide the values stored in the other.
 */
export async function openVault(options: OpenVaultOptions): Promise<Vault> {
	const file = vaultFilePath(options.home);
	if (options.keychain === false) {
		return fileVault(file, 'the OS keychain was disabled (keychain: false)');
	}
	const openEntry = options.keychainEntry ?? osKeychainEntry;
	let unreachable: string | undefined;
	try {
		await checkKeychain(options.home, openEntry);
	} catch (error) {
		unreachable = `the OS keychain is not reachable: ${(error as Error).message}`;
	}
	if (vaultFileHasEntries(file)) {
		return fileVault(
			file,
			unreachable ??
				'the vault file from an earlier fallback holds values; remove them (keys remove, secrets remove) to move to the keychain',
		);
	}
	if (unreachable !== undefined) return fileVault(file, unreachable);
	return keychainVault(options.home, openEntry);
}

/**
 * A keychain counts only after a value written to it reads back: some accept
 * a write and then cannot return it. The check value stays, so later opens
 * cost one read.
 */
async function checkKeychain(home: string, openEntry: KeychainEntryFactory): Promise<void> {
	const account = `vault-check:${sha256Hex(home).slice(0, 16)}`;
	if ((await openEntry(KEYCHAIN_SERVICE, account)).getPassword() === CHECK_VALUE) return;
	(await openEntry(KEYCHAIN_SERVICE, account)).setPassword(CHECK_VALUE);
	if ((await openEntry(KEYCHAIN_SERVICE, account)).getPassword() !== CHECK_VALUE) {
		throw new Error('the keychain did not return the value just stored');
	}
}
