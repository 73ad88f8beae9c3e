import { openVault, type Vault } from '@agentspace/keys';

/** How `keys list` and `doctor` name a storage: honest about the file. */
export function storageLabel(storage: 'keychain' | 'file'): string {
	return storage === 'keychain' ? 'keychain' : 'file, not encrypted at rest';
}

/** The home's vault (the OS keychain, or `<home>/vault.json` with the reason). */
export function openHomeVault(home: string): Promise<Vault> {
	return openVault({ home });
}
