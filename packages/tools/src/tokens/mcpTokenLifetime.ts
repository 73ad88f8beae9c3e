import {
	DEFAULT_BEARER_TOKEN_LIFETIME_MS,
	MAX_BEARER_TOKEN_LIFETIME_MS,
	parseBearerTokenLifetime,
} from '@agentspace/events';

/** A minted token's lifetime when none is given: 30 days. */
export const DEFAULT_MCP_TOKEN_LIFETIME_MS = DEFAULT_BEARER_TOKEN_LIFETIME_MS;
/** The longest lifetime a token may have: a year (a token never expires only by being re-minted). */
export const MAX_MCP_TOKEN_LIFETIME_MS = MAX_BEARER_TOKEN_LIFETIME_MS;

/** Parses a lifetime such as `90m`, `24h` or `30d` into milliseconds (1 minute to 365 days). */
export const parseMcpTokenLifetime: (text: string) => number = parseBearerTokenLifetime;
