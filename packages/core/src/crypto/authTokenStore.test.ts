import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVaultError } from '../errors.js';
import { createLogger } from '../logger.js';
import { homePaths } from '../paths.js';
import { getOrCreateAuthToken, type KeychainEntryFactory } from './authTokenStore.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('token');
});
afterEach(() => temp.cleanup());

describe('getOrCreateAuthToken, file fallback', () => {
	it('creates a 0600 token file, reports why, and returns the same token next time', async () => {
		const warnings: string[] = [];
		const logger = createLogger('t', { level: 'warn', write: (line) => warnings.push(line) });
		const first = await getOrCreateAuthToken({ home: temp.home, keychain: false, logger });
		expect(first.storage).toBe('file');
		expect(first.created).toBe(true);
		expect(first.fallbackReason).toMatch(/keychain was disabled/);
		expect(first.token).toMatch(/^[0-9a-f]{64}$/);
		const file = homePaths(temp.home).authTokenFile;
		expect(first.file).toBe(file);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(readFileSync(file, 'utf8').trim()).toBe(first.token);
		expect(warnings.join('')).toMatch(/not the OS keychain/);
		// The warning names the file, never the token.
		expect(warnings.join('')).not.toContain(first.token);

		const second = await getOrCreateAuthToken({ home: temp.home, keychain: false });
		expect(second.token).toBe(first.token);
		expect(second.created).toBe(false);
	});

	it('keeps using an existing token file even when the keychain is allowed', async () => {
		const first = await getOrCreateAuthToken({ home: temp.home, keychain: false });
		const again = await getOrCreateAuthToken({ home: temp.home });
		expect(again).toMatchObject({ token: first.token, storage: 'file' });
		expect(again.fallbackReason).toMatch(/earlier fallback/);
	});

	it('tightens a token file whose mode was loosened', async () => {
		const { token } = await getOrCreateAuthToken({ home: temp.home, keychain: false });
		const file = homePaths(temp.home).authTokenFile;
		chmodSync(file, 0o644);
		expect((await getOrCreateAuthToken({ home: temp.home, keychain: false })).token).toBe(token);
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});

	it('refuses a corrupt token file with a VaultError that says what to do', async () => {
		writeFileSync(homePaths(temp.home).authTokenFile, 'not-a-token\n', { mode: 0o600 });
		const error = await getOrCreateAuthToken({ home: temp.home, keychain: false }).catch(
			(e: unknown) => e,
		);
		expect(isVaultError(error)).toBe(true);
		expect((error as { hint: string }).hint).toMatch(/delete it/);
	});
});

describe('getOrCreateAuthToken, keychain behaviour', () => {
	// This machine's keychain refuses writes, so the other behaviours are shown
	// with an in-memory keychain standing in for a desktop one.
	function memoryKeychain(options: { readBack?: (stored: string) => string | null } = {}) {
		const store = new Map<string, string>();
		const factory: KeychainEntryFactory = (service, account) => ({
			getPassword: () => {
				const value = store.get(`${service}/${account}`);
				if (value === undefined) return null;
				return options.readBack ? options.readBack(value) : value;
			},
			setPassword: (value) => {
				store.set(`${service}/${account}`, value);
			},
		});
		return { store, factory };
	}

	it('keeps the token in a working keychain, creating it once, and writes no file', async () => {
		const { store, factory } = memoryKeychain();
		const first = await getOrCreateAuthToken({ home: temp.home, keychainEntry: factory });
		expect(first).toMatchObject({ storage: 'keychain', created: true });
		expect(first.fallbackReason).toBeUndefined();
		expect([...store.values()]).toEqual([first.token]);
		const second = await getOrCreateAuthToken({ home: temp.home, keychainEntry: factory });
		expect(second).toMatchObject({ token: first.token, storage: 'keychain', created: false });
		expect(existsSync(homePaths(temp.home).authTokenFile)).toBe(false);
	});

	it('falls back to the file when the keychain accepts a write but cannot read it back', async () => {
		const { factory } = memoryKeychain({ readBack: () => null });
		const result = await getOrCreateAuthToken({ home: temp.home, keychainEntry: factory });
		expect(result).toMatchObject({ storage: 'file', created: true });
		expect(result.fallbackReason).toMatch(/did not return the token/);
	});

	it('falls back to the file when the keychain throws, naming its error', async () => {
		const failing: KeychainEntryFactory = () => {
			throw new Error('no Secret Service on the bus');
		};
		const result = await getOrCreateAuthToken({ home: temp.home, keychainEntry: failing });
		expect(result.storage).toBe('file');
		expect(result.fallbackReason).toBe(
			'the OS keychain is not reachable: no Secret Service on the bus',
		);
	});
});

describe('getOrCreateAuthToken, OS keychain', () => {
	it('uses the keychain when reachable and otherwise falls back, saying why', async () => {
		// Whichever this machine offers, the token must be stable and its storage honest.
		const first = await getOrCreateAuthToken({ home: temp.home });
		const second = await getOrCreateAuthToken({ home: temp.home });
		expect(second.token).toBe(first.token);
		const file = homePaths(temp.home).authTokenFile;
		if (first.storage === 'keychain') {
			expect(existsSync(file)).toBe(false);
			const { Entry } = await import('@napi-rs/keyring');
			const { KEYCHAIN_SERVICE, keychainAccount } = await import('./authTokenStore.js');
			new Entry(KEYCHAIN_SERVICE, keychainAccount(temp.home)).deletePassword();
		} else {
			expect(first.fallbackReason).toMatch(/^the OS keychain is not reachable: .+/);
			expect(second.storage).toBe('file');
			expect(readFileSync(file, 'utf8').trim()).toBe(first.token);
		}
	});
});
