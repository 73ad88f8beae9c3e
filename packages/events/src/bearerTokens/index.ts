// Bearer tokens of AgentSpace's local endpoints, one implementation for
// every kind (MCP endpoint tokens, LLM endpoint key tokens).
export { appendBearerTokenChange } from './appendBearerTokenChange.js';
export { bearerTokenIdOf, generateBearerToken, isBearerTokenId } from './bearerTokenFormat.js';
export type { BearerTokenKind } from './bearerTokenKind.js';
export {
	DEFAULT_BEARER_TOKEN_LIFETIME_MS,
	MAX_BEARER_TOKEN_LIFETIME_MS,
	parseBearerTokenLifetime,
} from './bearerTokenLifetime.js';
export type { BearerTokenInfo } from './listBearerTokens.js';
export { bearerTokenUsable, listBearerTokens } from './listBearerTokens.js';
export type { MintBearerTokenOptions, MintedBearerToken } from './mintBearerToken.js';
export { mintBearerToken } from './mintBearerToken.js';
export type { RevokeBearerTokenOptions } from './revokeBearerToken.js';
export { revokeBearerToken } from './revokeBearerToken.js';
export type { BearerTokenCheck, BearerTokenRefusal } from './verifyBearerToken.js';
export { verifyBearerToken } from './verifyBearerToken.js';
