import { randomBytes } from 'node:crypto';

/** Every minted token starts with this, so a leaked one is recognisable (and scannable). */
export const MCP_TOKEN_PREFIX = 'asmcp_';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_PATTERN = /^(asmcp_[a-z0-9]{12})_[0-9a-f]{64}$/;

/** A new token: `asmcp_<12 id characters>_<64 hex characters of secret>`, and its id (the first 18). */
export function generateMcpToken(): { readonly tokenId: string; readonly token: string } {
	// 36 letters per byte mod 36 would skew; 252 = 7 × 36 keeps the draw uniform.
	let id = '';
	while (id.length < 12) {
		for (const byte of randomBytes(16)) {
			if (byte < 252 && id.length < 12) id += ID_ALPHABET[byte % 36];
		}
	}
	const tokenId = `${MCP_TOKEN_PREFIX}${id}`;
	return { tokenId, token: `${tokenId}_${randomBytes(32).toString('hex')}` };
}

/** The id of a token of the minted shape, or undefined for anything else. */
export function mcpTokenIdOf(token: string): string | undefined {
	return TOKEN_PATTERN.exec(token)?.[1];
}
