import { constantTimeEqual } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { type BearerTokenRefusal, verifyBearerToken } from '@agentspace/events';
import { MCP_TOKEN_KIND } from './mcpTokenKind.js';

/** Why a bearer token was refused (folded by this kind in the audit log). */
export type McpTokenRefusal = BearerTokenRefusal;

/** What {@link verifyMcpToken} found. */
export type McpTokenCheck =
	| { readonly ok: true; readonly via: 'home' }
	| {
			readonly ok: true;
			readonly via: 'minted';
			readonly tokenId: string;
			readonly name: string | null;
	  }
	| { readonly ok: false; readonly refusal: McpTokenRefusal; readonly tokenId?: string };

/** Options of {@link verifyMcpToken}. */
export interface VerifyMcpTokenOptions {
	/** The home's auth token (the daemon's own), accepted as well. */
	readonly homeToken?: string;
	readonly now?: () => Date;
}

/**
 * Checks a bearer token: the home's token (compared in constant time), or a
 * minted one that is neither expired nor revoked (see verifyBearerToken).
 */
export function verifyMcpToken(
	db: AgentSpaceDb,
	presented: string | undefined,
	options: VerifyMcpTokenOptions = {},
): McpTokenCheck {
	if (presented === undefined || presented === '') return { ok: false, refusal: 'no-token' };
	if (options.homeToken !== undefined && constantTimeEqual(presented, options.homeToken)) {
		return { ok: true, via: 'home' };
	}
	const check = verifyBearerToken(db, MCP_TOKEN_KIND, presented, options);
	return check.ok ? { ok: true, via: 'minted', tokenId: check.tokenId, name: check.name } : check;
}
