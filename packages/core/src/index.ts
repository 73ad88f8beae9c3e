export { canonicalJson } from './canonicalJson.js';
export { defaultConfig } from './config/defaultConfig.js';
export type { ConfigLocation } from './config/loadConfig.js';
export { configExists, loadConfig } from './config/loadConfig.js';
export { saveConfig } from './config/saveConfig.js';
export type { ApiEndpointConfig, AppConfig, SecurityMode, ToolsConfig } from './config/schema.js';
export { AppConfigSchema, ToolsConfigSchema } from './config/schema.js';
export { validateConfig } from './config/validateConfig.js';
export type {
	AuthTokenOptions,
	AuthTokenResult,
	AuthTokenStorage,
	KeychainEntry,
	KeychainEntryFactory,
} from './crypto/authTokenStore.js';
export {
	getOrCreateAuthToken,
	KEYCHAIN_SERVICE,
	keychainAccount,
	osKeychainEntry,
} from './crypto/authTokenStore.js';
export { withAuthTokenLock } from './crypto/authTokenStoreLock.js';
export { constantTimeEqual, generateAuthToken, sha256Hex } from './crypto/tokens.js';
export type { ErrorJSON } from './errorFromJSON.js';
export { errorFromJSON } from './errorFromJSON.js';
export type { AgentSpaceErrorOptions, ErrorCode, FieldIssue } from './errors.js';
export {
	AgentSpaceError,
	AuthError,
	ConfigError,
	ConflictError,
	ERROR_CODES,
	hasErrorCode,
	isAgentSpaceError,
	isAuthError,
	isConfigError,
	isConflictError,
	isErrorCode,
	isNotFoundError,
	isPermissionDeniedError,
	isValidationError,
	isVaultError,
	NotFoundError,
	PermissionDeniedError,
	ValidationError,
	VaultError,
} from './errors.js';
export type { WriteFileAtomicOptions } from './fs/writeFileAtomic.js';
export { writeFileAtomic } from './fs/writeFileAtomic.js';
export { generateCallsign, generateId, generateMissionId, generateSortieId } from './ids.js';
export type { LogFields, Logger, LoggerOptions, LogLevel } from './logger.js';
export { createLogger, isLogLevel } from './logger.js';
export type { HomePaths, ResolveHomeOptions } from './paths.js';
export { ensureHomeDirs, expandPath, homePaths, resolveHome } from './paths.js';
export { printableLine } from './printableLine.js';
export type { LockFileAttempt, LockFileHolder } from './process/exclusiveLockFile.js';
export {
	beginLockFileAttempt,
	isLockFileOlderThan,
	readLockFileHolder,
} from './process/exclusiveLockFile.js';
export type { RedactOptions } from './redact.js';
export { isSecretVariable, REDACTED, redactSecrets, redactText } from './redact.js';
export { secretVariable } from './secretVariable.js';
export { nowIso } from './time.js';
export type { ValidationResult } from './validation.js';
export { formatIssues, issuesFromZod, validateWith } from './validation.js';
