// @agentspace/keys: provider keys and secrets, and the local LLM endpoint.
// Each part adds its explicit exports here.
export type { ProviderId, ProviderSpec } from './providers.js';
export { parseProvider, providerForPath, providerSpec } from './providers.js';
