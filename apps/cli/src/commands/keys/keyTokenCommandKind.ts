import { parseBearerTokenLifetime } from '@agentspace/events';
import { listKeyTokens, mintKeyToken, revokeKeyToken } from '@agentspace/keys';
import type { BearerTokenCommandKind } from '../../bearerTokenCommands.js';

/** `agentspace keys token …`: the LLM endpoint's tokens, for the shared token commands. */
export const KEY_TOKEN_COMMANDS: BearerTokenCommandKind = {
	label: 'key token',
	command: 'agentspace keys token',
	endpoint: 'the LLM endpoint',
	usage: [
		'It is shown this once and stored nowhere (only its sha256). Use it as the API key',
		'of an SDK pointed at the endpoint, e.g. ANTHROPIC_BASE_URL=http://127.0.0.1:3271/anthropic',
	],
	parseLifetime: parseBearerTokenLifetime,
	mint: mintKeyToken,
	list: (db) => listKeyTokens(db),
	revoke: revokeKeyToken,
};
