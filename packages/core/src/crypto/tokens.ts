import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new auth token: 32 random bytes as 64 lowercase hex characters. */
export function generateAuthToken(): string {
	return randomBytes(32).toString('hex');
}

/** True when `value` has the shape of a token from {@link generateAuthToken}. */
export function isAuthTokenShape(value: string): boolean {
	return /^[0-9a-f]{64}$/.test(value);
}

/** SHA-256 of `data` (UTF-8 for strings) as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/**
 * Compares two secrets in time that does not depend on where they differ. Both
 * sides are hashed first so that unequal lengths leak nothing either.
 */
export function constantTimeEqual(a: string, b: string): boolean {
	const left = createHash('sha256').update(a, 'utf8').digest();
	const right = createHash('sha256').update(b, 'utf8').digest();
	return timingSafeEqual(left, right) && a.length === b.length;
}
