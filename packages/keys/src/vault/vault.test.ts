import { spawn } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	existsSync,
	readdirSync,
	readFileSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { KeychainEntryFactory } from '@agentspace/core';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileVault } from './fileVault.js';
import { keychainVaultAccount } from './keychainVault.js';
import { openVault, vaultFilePath } from './openVault.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('keys-vault');
});
afterEach(() => temp.cleanup());

/** An in-memory keychain (this machine has no Secret Service): the seam authTokenStore's tests use. */
function memoryKeychain() {
	const store = new Map<string, string>();
	const factory: KeychainEntryFactory = (service, account) => ({
		getPassword: () => store.get(`${service}/${account}`) ?? null,
		setPassword: (value) => {
			store.set(`${service}/${account}`, value);
		},
		deletePassword: () => store.delete(`${service}/${account}`),
	});
	return { store, factory };
}

const KEY = { kind: 'provider-key', name: 'anthropic' } as const;

describe('vault', () => {
	it('keeps values in a 0600 file, replaced whole, when the keychain is off, and says why', async () => {
		const vault = await openVault({ home: temp.home, keychain: false });
		expect(vault.storage).toBe('file');
		expect(vault.fallbackReason).toMatch(/keychain was disabled/);
		expect(await vault.get(KEY)).toBeUndefined();
		await vault.set(KEY, 'sk-ant-one');
		await vault.set({ kind: 'secret', name: 'GH_TOKEN' }, 'ghp-two');
		const file = vaultFilePath(temp.home);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(await vault.get(KEY)).toBe('sk-ant-one');
		await vault.delete(KEY);
		expect(await vault.get(KEY)).toBeUndefined();
		expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
			version: 1,
			entries: { 'secret:GH_TOKEN': 'ghp-two' },
		});
		// A mode someone loosened is tightened on the next read.
		chmodSync(file, 0o644);
		expect(await vault.get({ kind: 'secret', name: 'GH_TOKEN' })).toBe('ghp-two');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		// No temp or lock file is left beside it.
		expect(existsSync(`${file}.lock`)).toBe(false);
	});

	it('refuses a corrupt vault file without quoting it', async () => {
		writeFileSync(vaultFilePath(temp.home), '{"version":1,"entries":{"x":1}} sk-secret', {
			mode: 0o600,
		});
		const vault = await openVault({ home: temp.home, keychain: false });
		const error = await vault.get(KEY).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'VAULT_ERROR' });
		expect(String((error as Error).message)).not.toContain('sk-secret');
	});

	it('never overwrites a corrupt vault file: a change is refused, the file left as it was', async () => {
		const file = vaultFilePath(temp.home);
		writeFileSync(file, '{"version":1,"entries":', { mode: 0o600 });
		const vault = await openVault({ home: temp.home, keychain: false });
		const error = await vault.set(KEY, 'sk-ant-new').catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'VAULT_ERROR' });
		expect((error as Error).message).toContain(file);
		expect((error as { hint?: string }).hint).toMatch(/restore it from a backup/);
		expect(readFileSync(file, 'utf8')).toBe('{"version":1,"entries":');
	});

	it('does not follow a symbolic link at vault.json, nor read one owned by someone else', async () => {
		const file = vaultFilePath(temp.home);
		const elsewhere = join(temp.home, 'elsewhere.json');
		writeFileSync(elsewhere, JSON.stringify({ version: 1, entries: { 'secret:x': 'planted' } }), {
			mode: 0o600,
		});
		symlinkSync(elsewhere, file);
		const error = await openVault({ home: temp.home, keychain: false })
			.then((vault) => vault.set(KEY, 'sk-ant-new'))
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'VAULT_ERROR' });
		expect((error as Error).message).toMatch(/is a symbolic link/);
		expect(readFileSync(elsewhere, 'utf8')).not.toContain('sk-ant-new');

		if (process.getuid?.() === 0) {
			// Only root can give a file away: another user's vault.json is refused.
			const other = join(temp.home, 'other');
			writeFileSync(other, JSON.stringify({ version: 1, entries: {} }), { mode: 0o600 });
			chownSync(other, 4242, 4242);
			const { renameSync, rmSync } = await import('node:fs');
			rmSync(file);
			renameSync(other, file);
			const refused = await (await openVault({ home: temp.home, keychain: false }))
				.get(KEY)
				.catch((e: unknown) => e);
			expect((refused as Error).message).toMatch(/owned by user 4242, not you/);
		}
	});

	it('names its own lock when it cannot take it, and writes nothing', async () => {
		// The home's directory is gone: neither the lock nor the file can be made.
		const file = join(temp.home, 'gone', 'vault.json');
		await expect(fileVault(file, 'test').set(KEY, 'sk-ant-value')).rejects.toThrow(
			/^cannot create the vault lock .*gone\/vault\.json\.lock/,
		);
		expect(existsSync(join(temp.home, 'gone'))).toBe(false);
	});

	it('loses nothing when two processes write it at once', async () => {
		const script = join(temp.home, 'writer.mjs');
		// The package's build (tests run after it, as the CLI's do): plain node runs it,
		// where the sources would need a TypeScript loader a fresh install may not link here.
		const fileVaultModule = new URL('../../dist/vault/fileVault.js', import.meta.url).pathname;
		writeFileSync(
			script,
			`import { fileVault } from ${JSON.stringify(fileVaultModule)};
const [file, who] = process.argv.slice(2);
const vault = fileVault(file, 'test');
for (let i = 0; i < 15; i++) await vault.set({ kind: 'secret', name: who + '-' + i }, 'value-' + who + '-' + i);
`,
		);
		const file = vaultFilePath(temp.home);
		// Two real processes.
		const run = (who: string) =>
			new Promise<number | null>((resolve, reject) => {
				const child = spawn(process.execPath, [script, file, who], {
					stdio: ['ignore', 'ignore', 'inherit'],
				});
				child.on('error', reject);
				child.on('exit', resolve);
			});
		expect(await Promise.all([run('a'), run('b')])).toEqual([0, 0]);
		const entries = JSON.parse(readFileSync(file, 'utf8')).entries as Record<string, string>;
		expect(Object.keys(entries)).toHaveLength(30);
		for (const who of ['a', 'b'])
			for (let i = 0; i < 15; i++) expect(entries[`secret:${who}-${i}`]).toBe(`value-${who}-${i}`);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		// No lock or temp file left beside it.
		expect(readdirSync(temp.home).filter((name) => name.includes('vault'))).toEqual(['vault.json']);
	}, 120_000);

	it('uses a keychain that reads back what it stores: nothing in the home', async () => {
		const keychain = memoryKeychain();
		const vault = await openVault({ home: temp.home, keychainEntry: keychain.factory });
		expect(vault.storage).toBe('keychain');
		expect(vault.fallbackReason).toBeUndefined();
		await vault.set(KEY, 'sk-ant-kc');
		expect(keychain.store.get(`agentspace/${keychainVaultAccount(temp.home, KEY)}`)).toBe(
			'sk-ant-kc',
		);
		expect(await vault.get(KEY)).toBe('sk-ant-kc');
		await vault.delete(KEY);
		expect(await vault.get(KEY)).toBeUndefined();
		expect(existsSync(vaultFilePath(temp.home))).toBe(false);
		// Deleting what is not there (a keychain that throws for it, as some do) is no error.
		const throwing = memoryKeychain();
		const strict = await openVault({
			home: temp.home,
			keychainEntry: (service, account) => ({
				...(throwing.factory(service, account) as object),
				getPassword: () => throwing.store.get(`${service}/${account}`) ?? null,
				setPassword: (value: string) => {
					throwing.store.set(`${service}/${account}`, value);
				},
				deletePassword: () => {
					if (!throwing.store.delete(`${service}/${account}`)) throw new Error('No matching entry');
					return true;
				},
			}),
		});
		await expect(strict.delete(KEY)).resolves.toBeUndefined();
		// Another home's entries are apart.
		const other = createTempHome('keys-vault-other');
		try {
			expect(keychainVaultAccount(other.home, KEY)).not.toBe(keychainVaultAccount(temp.home, KEY));
		} finally {
			other.cleanup();
		}
	});

	it('falls back to the file when the keychain fails or loses what it stores, and says why', async () => {
		const failing: KeychainEntryFactory = () => {
			throw new Error('no Secret Service on the bus');
		};
		const vault = await openVault({ home: temp.home, keychainEntry: failing });
		expect(vault.storage).toBe('file');
		expect(vault.fallbackReason).toMatch(/not reachable: no Secret Service on the bus/);
		const forgetful: KeychainEntryFactory = () => ({
			getPassword: () => null,
			setPassword: () => {},
		});
		const second = await openVault({ home: temp.home, keychainEntry: forgetful });
		expect(second.storage).toBe('file');
		expect(second.fallbackReason).toMatch(/did not return/);
	});

	it('stays on a vault file that holds values even once a keychain answers', async () => {
		const file = await openVault({ home: temp.home, keychain: false });
		await file.set(KEY, 'sk-ant-file');
		const again = await openVault({ home: temp.home, keychainEntry: memoryKeychain().factory });
		expect(again.storage).toBe('file');
		expect(again.fallbackReason).toMatch(/earlier fallback/);
		expect(await again.get(KEY)).toBe('sk-ant-file');
	});

	it('opens the OS keychain on this machine or falls back honestly (no Secret Service here)', async () => {
		const vault = await openVault({ home: temp.home });
		if (vault.storage === 'file') expect(vault.fallbackReason).toMatch(/keychain/);
	});
});
