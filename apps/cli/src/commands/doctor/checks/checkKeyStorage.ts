import { statSync } from 'node:fs';
import { openVault, vaultFilePath } from '@agentspace/keys';
import type { DoctorCheck } from '../types.js';

/**
 * Where provider keys and secrets are kept: the OS keychain (ok), or
 * `<home>/vault.json`, "file, not encrypted at rest" (a warning, with why);
 * a vault file anyone but its owner could read fails (opening the vault
 * tightens it to 0600, but its keys may have been read). Reads no value.
 */
export async function checkKeyStorage(home: string): Promise<DoctorCheck> {
	// Looked at before the vault opens: opening it tightens a loose mode.
	const mode = statSync(vaultFilePath(home), { throwIfNoEntry: false })?.mode;
	const vault = await openVault({ home });
	if (vault.storage === 'keychain') {
		return {
			id: 'keys',
			status: 'ok',
			detail: 'provider keys and secrets in the OS keychain',
			data: { storage: 'keychain' },
		};
	}
	const file = vault.file as string;
	if (mode !== undefined && (mode & 0o077) !== 0) {
		return {
			id: 'keys',
			status: 'fail',
			detail: `${file} was readable by others (mode ${(mode & 0o777).toString(8)}; now 0600)`,
			hint: 'rotate the keys and secrets in it: agentspace keys rotate <provider>, agentspace secrets set <name>',
			data: { storage: 'file', file, mode: (mode & 0o777).toString(8) },
		};
	}
	return {
		id: 'keys',
		status: 'warn',
		detail: `provider keys and secrets in ${file} (file, not encrypted at rest; mode 0600): ${vault.fallbackReason}`,
		hint: 'normal on headless Linux and CI; on a desktop, unlock or install a Secret Service keyring (e.g. gnome-keyring) to keep keys in it',
		data: { storage: 'file', file, reason: vault.fallbackReason },
	};
}
