import { spawnSync } from 'node:child_process';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	statSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createTempHome, runNodeAsync, type TempHome } from '@agentspace/testing';
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

describe('getOrCreateAuthToken, concurrent first commands', () => {
	// A keychain that answers asynchronously, as a real one does over D-Bus or
	// XPC: each call yields, so concurrent callers interleave between reading,
	// storing and reading back. Last write wins, as in a real keychain.
	function asyncKeychain() {
		const store = new Map<string, string>();
		let writes = 0;
		const factory: KeychainEntryFactory = async (service, account) => {
			await nextTurn();
			return {
				getPassword: () => store.get(`${service}/${account}`) ?? null,
				setPassword: (value) => {
					writes += 1;
					store.set(`${service}/${account}`, value);
				},
			};
		};
		return { store, factory, writes: () => writes };
	}

	it('8 concurrent calls in one process agree on one keychain token and write no file', async () => {
		const keychain = asyncKeychain();
		const results = await Promise.all(
			Array.from({ length: 8 }, () =>
				getOrCreateAuthToken({ home: temp.home, keychainEntry: keychain.factory }),
			),
		);
		// Without the lock each generated and stored its own token; all but the
		// last writer read back another's, fell back to the file, and that file
		// then outranked the keychain token the first (the daemon) kept.
		expect(new Set(results.map((result) => result.token)).size).toBe(1);
		expect(results.every((result) => result.storage === 'keychain')).toBe(true);
		expect(results.filter((result) => result.created)).toHaveLength(1);
		expect(keychain.writes()).toBe(1);
		expect([...keychain.store.values()]).toEqual([results[0]?.token]);
		expect(existsSync(homePaths(temp.home).authTokenFile)).toBe(false);
		expect(readdirSync(temp.home)).toEqual([]);
		// The next command reads the same token.
		const later = await getOrCreateAuthToken({ home: temp.home, keychainEntry: keychain.factory });
		expect(later).toMatchObject({ token: results[0]?.token, storage: 'keychain', created: false });
	});

	// The same across real processes, through the built module (as the CLI and
	// the daemon run it), with a keychain shared between them: a directory in
	// which each entry is a file, replaced by rename (last write wins).
	function childScript(home: string, keychainDir: string | undefined, go: string): string {
		return `
			const core = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
			const fs = await import('node:fs');
			const path = await import('node:path');
			const { setTimeout: delay } = await import('node:timers/promises');
			const dir = ${JSON.stringify(keychainDir ?? null)};
			const keychainEntry = async (service, account) => {
				await delay(1);
				const entry = path.join(dir, encodeURIComponent(service + '/' + account));
				return {
					getPassword: () => { try { return fs.readFileSync(entry, 'utf8'); } catch { return null; } },
					setPassword: (value) => {
						const temp = entry + '.' + process.pid + '.tmp';
						fs.writeFileSync(temp, value);
						fs.renameSync(temp, entry);
					},
				};
			};
			console.log('ready');
			// Start together: every child waits for the parent's go.
			while (!fs.existsSync(${JSON.stringify(go)})) await delay(2);
			const result = await core.getOrCreateAuthToken({
				home: ${JSON.stringify(home)},
				...(dir === null ? { keychain: false } : { keychainEntry }),
			});
			console.log(JSON.stringify({ token: result.token, storage: result.storage, created: result.created }));
		`;
	}

	async function raceChildren(keychainDir: string | undefined) {
		const go = join(temp.home, '..', `${temp.home.split('/').pop()}.go`);
		const runs = Array.from({ length: 8 }, () =>
			runNodeAsync('--input-type=module', ['-e', childScript(temp.home, keychainDir, go)]),
		);
		// Let the children load the module, then release them at once. (No time
		// is asserted: a child that starts late reads the token the others made.)
		await new Promise((resolve) => setTimeout(resolve, 1500));
		writeFileSync(go, '');
		try {
			return (await Promise.all(runs)).map((run) => {
				expect(run.stderr).toBe('');
				const lines = run.stdout.trim().split('\n');
				return JSON.parse(lines[lines.length - 1] ?? '') as {
					token: string;
					storage: string;
					created: boolean;
				};
			});
		} finally {
			spawnSync('rm', ['-f', go]);
		}
	}

	it('8 processes with a shared keychain agree on one keychain token and write no file', async () => {
		const keychainDir = join(temp.home, '..', `${temp.home.split('/').pop()}.keychain`);
		mkdirSync(keychainDir);
		try {
			const results = await raceChildren(keychainDir);
			expect(new Set(results.map((result) => result.token)).size).toBe(1);
			expect(results.map((result) => result.storage)).toEqual(Array(8).fill('keychain'));
			expect(results.filter((result) => result.created)).toHaveLength(1);
			expect(existsSync(homePaths(temp.home).authTokenFile)).toBe(false);
			// Nothing left behind: no lock, no temp file.
			expect(readdirSync(temp.home)).toEqual([]);
		} finally {
			spawnSync('rm', ['-rf', keychainDir]);
		}
	}, 60_000);

	it('8 processes on the file fallback agree on one token', async () => {
		const results = await raceChildren(undefined);
		expect(new Set(results.map((result) => result.token)).size).toBe(1);
		expect(results.map((result) => result.storage)).toEqual(Array(8).fill('file'));
		expect(results.filter((result) => result.created)).toHaveLength(1);
		expect(readFileSync(homePaths(temp.home).authTokenFile, 'utf8').trim()).toBe(results[0]?.token);
		expect(readdirSync(temp.home)).toEqual(['auth-token']);
	}, 60_000);
});

describe('getOrCreateAuthToken, the creation lock', () => {
	const lock = () => `${homePaths(temp.home).authTokenFile}.lock`;
	const deadPid = () => {
		const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
			encoding: 'utf8',
		});
		return Number(child.stdout);
	};

	it('takes over a lock left by a process that is gone', async () => {
		writeFileSync(lock(), `${deadPid()}\n`);
		const result = await getOrCreateAuthToken({ home: temp.home, keychain: false });
		expect(result.created).toBe(true);
		expect(existsSync(lock())).toBe(false);
	});

	it('takes over a lock older than the stale age, even of a live process', async () => {
		// A live pid (this process's parent) whose lock is 60 s old: a holder hung or killed mid-way.
		writeFileSync(lock(), `${process.ppid}\n`);
		const old = Date.now() / 1000 - 60;
		utimesSync(lock(), old, old);
		const result = await getOrCreateAuthToken({ home: temp.home, keychain: false });
		expect(result.created).toBe(true);
		expect(existsSync(lock())).toBe(false);
	});

	it('waits for a live holder and then reads the token it created', async () => {
		writeFileSync(lock(), `${process.ppid}\n`);
		const waiting = getOrCreateAuthToken({ home: temp.home, keychain: false });
		// The holder stores its token and releases the lock.
		await new Promise((resolve) => setTimeout(resolve, 100));
		const token = 'a'.repeat(64);
		writeFileSync(homePaths(temp.home).authTokenFile, `${token}\n`, { mode: 0o600 });
		spawnSync('rm', ['-f', lock()]);
		expect(await waiting).toMatchObject({ token, storage: 'file', created: false });
	});

	it('refuses with a VaultError when the home does not exist', async () => {
		const error = await getOrCreateAuthToken({
			home: join(temp.home, 'missing'),
			keychain: false,
		}).catch((e: unknown) => e);
		expect(isVaultError(error)).toBe(true);
		expect((error as { hint: string }).hint).toMatch(/home exists/);
	});
});
