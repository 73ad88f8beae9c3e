import { randomBytes } from 'node:crypto';
import type { BearerTokenKind } from './bearerTokenKind.js';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new token: `<prefix><12 id characters>_<64 hex characters of secret>`, and its id (prefix and the 12). */
export function generateBearerToken(kind: BearerTokenKind): {
	readonly tokenId: string;
	readonly token: string;
} {
	// 36 letters per byte mod 36 would skew; 252 = 7 × 36 keeps the draw uniform.
	let id = '';
	while (id.length < 12) {
		for (const byte of randomBytes(16)) {
			if (byte < 252 && id.length < 12) id += ID_ALPHABET[byte % 36];
		}
	}
	const tokenId = `${kind.prefix}${id}`;
	return { tokenId, token: `${tokenId}_${randomBytes(32).toString('hex')}` };
}

/** True for a token id of the kind (prefix and 12 lowercase letters or digits). */
export function isBearerTokenId(kind: BearerTokenKind, text: string): boolean {
	return (
		text.length === kind.prefix.length + 12 &&
		text.startsWith(kind.prefix) &&
		/^[a-z0-9]{12}$/.test(text.slice(kind.prefix.length))
	);
}

/** The id of a token of the minted shape, or undefined for anything else. */
export function bearerTokenIdOf(kind: BearerTokenKind, token: string): string | undefined {
	const id = token.slice(0, kind.prefix.length + 12);
	const secret = token.slice(kind.prefix.length + 12);
	return isBearerTokenId(kind, id) && /^_[0-9a-f]{64}$/.test(secret) ? id : undefined;
}
