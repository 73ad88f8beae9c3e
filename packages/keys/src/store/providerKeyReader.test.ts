import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVault } from '../vault/openVault.js';
import type { Vault } from '../vault/vaultTypes.js';
import { addProviderKey } from './addProviderKey.js';
import { providerKeyReader } from './providerKeyReader.js';
import { removeProviderKey } from './removeProviderKey.js';
import { rotateProviderKey } from './rotateProviderKey.js';

const me = { type: 'human', id: 'me' } as const;
const KEY = 'sk-ant-api03-abcdefghijklmnop';
const KEY2 = 'sk-ant-api03-qrstuvwxyz012345';
let temp: TempHome;
let db: AgentSpaceDb;
let vault: Vault;
let vaultReads: number;
beforeEach(async () => {
	temp = createTempHome('keys-reader');
	db = openDb({ path: join(temp.home, 'agentspace.db') });
	const real = await openVault({ home: temp.home, keychain: false });
	vaultReads = 0;
	// The real file vault, its reads counted.
	vault = {
		storage: real.storage,
		get: (ref) => {
			vaultReads += 1;
			return real.get(ref);
		},
		set: (ref, value) => real.set(ref, value),
		delete: (ref) => real.delete(ref),
	};
});
afterEach(() => {
	closeDb(db);
	temp.cleanup();
});

describe('providerKeyReader', () => {
	it('reads the vault once per fingerprint: again after a rotate, nothing after a removal', async () => {
		const read = providerKeyReader(db, vault);
		expect(await read('anthropic')).toBeUndefined();
		await addProviderKey(db, vault, { provider: 'anthropic', value: KEY, actor: me });
		expect((await read('anthropic'))?.value).toBe(KEY);
		expect((await read('anthropic'))?.value).toBe(KEY);
		expect(vaultReads).toBe(1);
		await rotateProviderKey(db, vault, {
			provider: 'anthropic',
			value: KEY2,
			baseUrl: 'https://gateway.example/anthropic',
			actor: me,
		});
		const rotated = await read('anthropic');
		expect(rotated).toMatchObject({ value: KEY2, baseUrl: 'https://gateway.example/anthropic' });
		expect(vaultReads).toBe(2);
		// A new base URL alone (same key, same fingerprint) is read from the row, not the vault.
		await rotateProviderKey(db, vault, {
			provider: 'anthropic',
			baseUrl: 'https://b.example',
			actor: me,
		});
		expect(await read('anthropic')).toMatchObject({ value: KEY2, baseUrl: 'https://b.example' });
		expect(vaultReads).toBe(2);
		await removeProviderKey(db, vault, { provider: 'anthropic', actor: me });
		expect(await read('anthropic')).toBeUndefined();
		// Added again with the same value: read from the vault again, not kept from before.
		await addProviderKey(db, vault, { provider: 'anthropic', value: KEY, actor: me });
		expect((await read('anthropic'))?.value).toBe(KEY);
		expect(vaultReads).toBe(3);
	});
});
