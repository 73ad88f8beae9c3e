import type { Permission } from '../permissions/types.js';
import type { LlmEndpoint } from './supervision.js';

/** A run's approved `llm:` providers, each with whether it was approved "remembered". */
export function approvedProviders(
	approved: readonly Permission[],
	remembered: readonly string[],
): { provider: string; remembered: boolean }[] {
	return approved.flatMap((permission) =>
		permission.domain === 'llm'
			? [
					{
						provider: permission.provider,
						remembered: remembered.includes(`llm:${permission.provider}`),
					},
				]
			: [],
	);
}

/**
 * The variables of a run approved for `llm:` providers, with the daemon's
 * LLM endpoint: `AGENTSPACE_LLM_URL`, and what each provider's official SDK
 * reads — its base URL pointing at the endpoint's route for it and the run's
 * session token as its API key, so unmodified SDK code works. Never the real
 * key: the endpoint adds it. None without a provider.
 */
export function llmVariables(
	providers: readonly { provider: string }[],
	endpoint: LlmEndpoint,
	sessionToken: string,
): Record<string, string> {
	if (providers.length === 0) return {};
	const url = `http://127.0.0.1:${endpoint.port}`;
	const env: Record<string, string> = { AGENTSPACE_LLM_URL: url };
	for (const { provider } of providers) {
		if (provider === 'anthropic') {
			env.ANTHROPIC_BASE_URL = `${url}/anthropic`;
			env.ANTHROPIC_API_KEY = sessionToken;
		} else if (provider === 'openai') {
			env.OPENAI_BASE_URL = `${url}/openai/v1`;
			env.OPENAI_API_KEY = sessionToken;
		} else if (provider === 'ollama') {
			env.OLLAMA_HOST = `${url}/ollama`;
		}
	}
	return env;
}
