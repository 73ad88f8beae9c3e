import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { IsoTime, Sha256 } from './fields.js';

// Bearer tokens of the MCP HTTP endpoint (`agentspace mcp token`). The token
// itself never reaches the log: only its sha256, which the endpoint compares
// in constant time with the hash of what a client sends.

/** A token's public id: `asmcp_` and 12 lowercase letters or digits (the token's first 18 characters). */
export const McpTokenId = z
	.string()
	.regex(/^asmcp_[a-z0-9]{12}$/, 'must be "asmcp_" followed by 12 lowercase letters or digits');

/** The longest name a token may carry. */
export const MAX_MCP_TOKEN_NAME_LENGTH = 100;

const tokenStream = ({ token_id }: { token_id: string }) => `mcp-token:${token_id}`;

/** MCP endpoint tokens: minted with an expiry, revoked. */
export const MCP_TOKEN_EVENTS = [
	defineEvent(
		'mcp_token_minted',
		{
			token_id: McpTokenId,
			/** A name to recognise it by (where it is used); none when not given. */
			name: z.string().min(1).max(MAX_MCP_TOKEN_NAME_LENGTH).optional(),
			/** sha256 hex of the whole token. */
			token_hash: Sha256,
			expires_at: IsoTime,
		},
		tokenStream,
	),
	defineEvent('mcp_token_revoked', { token_id: McpTokenId }, tokenStream),
] as const;
