// @agentspace/keys: provider keys and secrets, and the local LLM endpoint.
// Each part adds its explicit exports here.
export type { ProviderId, ProviderSpec } from './providers.js';
export { parseProvider, providerForPath, providerSpec } from './providers.js';
export type {
	LlmProxy,
	LlmProxyOptions,
	ProxyKeyRecord,
} from './proxy/createLlmProxy.js';
export { createLlmProxy } from './proxy/createLlmProxy.js';
export type { KeyLimitSetting, LimitExceeded } from './proxy/limitTracker.js';
export { LimitTracker } from './proxy/limitTracker.js';
export type {
	LlmAuth,
	LlmCaller,
	LlmGrant,
	LlmRefusal,
	LlmRunCaller,
} from './proxy/llmCaller.js';
// The store (K1): the vault, provider keys, secrets, limits, key tokens, usage.
export type {
	AddProviderKeyOptions,
	ProviderKeyChanged,
} from './store/addProviderKey.js';
export { addProviderKey } from './store/addProviderKey.js';
export { fingerprintOf } from './store/fingerprint.js';
export type {
	KeyLimit,
	KeyLimitInfo,
	SetKeyLimitOptions,
} from './store/keyLimits.js';
export { keyLimitFor, listKeyLimits, MAX_KEY_LIMIT, setKeyLimit } from './store/keyLimits.js';
export type { KeyTokenInfo } from './store/keyTokens.js';
export {
	KEY_TOKEN_KIND,
	listKeyTokens,
	mintKeyToken,
	revokeKeyToken,
	verifyKeyToken,
} from './store/keyTokens.js';
export type { KeyUsage, KeyUsageRow } from './store/keyUsage.js';
export { keyUsage } from './store/keyUsage.js';
export type { ProviderKeyInfo, ProviderKeyRecord } from './store/listProviderKeys.js';
export { listProviderKeys, readProviderKey } from './store/listProviderKeys.js';
export type { ProviderKeyReader } from './store/providerKeyReader.js';
export { providerKeyReader } from './store/providerKeyReader.js';
export type { RemoveProviderKeyOptions } from './store/removeProviderKey.js';
export { removeProviderKey } from './store/removeProviderKey.js';
export type { RotateProviderKeyOptions } from './store/rotateProviderKey.js';
export { rotateProviderKey } from './store/rotateProviderKey.js';
export type { SecretInfo } from './store/secrets.js';
export {
	assertSecretSettable,
	listSecrets,
	readSecrets,
	removeSecret,
	setSecret,
} from './store/secrets.js';
export { fileVault } from './vault/fileVault.js';
export { keychainVault, keychainVaultAccount } from './vault/keychainVault.js';
export type { OpenVaultOptions } from './vault/openVault.js';
export { openVault, vaultFilePath } from './vault/openVault.js';
export type { Vault, VaultRef, VaultStorage } from './vault/vaultTypes.js';
