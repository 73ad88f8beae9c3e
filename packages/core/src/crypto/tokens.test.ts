import { describe, expect, it } from 'vitest';
import { constantTimeEqual, generateAuthToken, isAuthTokenShape, sha256Hex } from './tokens.js';

describe('tokens', () => {
	it('generates 32 random bytes as 64 hex characters, never the same twice', () => {
		const a = generateAuthToken();
		expect(a).toMatch(/^[0-9a-f]{64}$/);
		expect(isAuthTokenShape(a)).toBe(true);
		expect(generateAuthToken()).not.toBe(a);
	});

	it('hashes with SHA-256 (known vectors)', () => {
		expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
		expect(sha256Hex('abc')).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
		);
	});

	it.each([
		['same', 'same', true],
		['same', 'samf', false],
		['short', 'longer value', false],
		['', '', true],
		['', 'x', false],
	])('constantTimeEqual(%j, %j) is %s', (a, b, equal) => {
		expect(constantTimeEqual(a, b)).toBe(equal);
	});
});
