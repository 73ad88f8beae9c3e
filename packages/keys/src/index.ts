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
