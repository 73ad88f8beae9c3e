import { chmodSync, readFileSync, statSync } from 'node:fs';
import { VaultError } from '../errors.js';
import { writeFileAtomic } from '../fs/writeFileAtomic.js';
import type { Logger } from '../logger.js';
import { homePaths } from '../paths.js';
import { withAuthTokenLock } from './authTokenStoreLock.js';
import { generateAuthToken, isAuthTokenShape, sha256Hex } from './tokens.js';

/** Where the auth token is kept. */
export type AuthTokenStorage = 'keychain' | 'file';

/** The auth token and where it lives; `fallbackReason` says why the keychain was not used. */
export interface AuthTokenResult {
	readonly token: string;
	readonly storage: AuthTokenStorage;
	/** True when this call created the token (callers audit that). */
	readonly created: boolean;
	/** Set when `storage` is `file`: why the OS keychain was not used. */
	readonly fallbackReason?: string;
	/** The fallback file, when `storage` is `file`. */
	readonly file?: string;
}

/** Options for {@link getOrCreateAuthToken}. */
export interface AuthTokenOptions {
	/** The AgentSpace home; the token is scoped to it. */
	readonly home: string;
	/** `false` skips the OS keychain and uses the file (reported as the fallback reason). */
	readonly keychain?: boolean;
	/** Receives a warning when the file fallback is used. */
	readonly logger?: Logger;
	/**
	 * The keychain to use; defaults to the OS keychain through @napi-rs/keyring.
	 * A seam for tests of keychain behaviour this machine's keychain cannot show.
	 */
	readonly keychainEntry?: KeychainEntryFactory;
}

/** One secret in a keychain: what @napi-rs/keyring's `Entry` offers and this store uses. */
export interface KeychainEntry {
	getPassword(): string | null | undefined;
	setPassword(value: string): void;
	/** Removes the secret (true when there was one); the key vault uses it, the auth token never. */
	deletePassword?(): boolean;
}

/** Opens the keychain entry for a service and account. */
export type KeychainEntryFactory = (
	service: string,
	account: string,
) => KeychainEntry | Promise<KeychainEntry>;

/** The OS keychain through @napi-rs/keyring (on Linux, the Secret Service only). */
export const osKeychainEntry: KeychainEntryFactory = async (service, account) => {
	// Loaded lazily: the native binding costs start-up time that most commands never need.
	const { Entry } = await import('@napi-rs/keyring');
	// On Linux only the Secret Service (gnome-keyring, KWallet…) is a keychain.
	// Left to itself the binding falls back to the kernel keyring, which is
	// in-memory and scoped to a session: measured here, the next process could
	// not read the token the previous one stored, so each made a new one.
	return new Entry(service, account, { linux: { store: 'secret-service' } });
};

/** Keychain service name under which AgentSpace stores its secrets. */
export const KEYCHAIN_SERVICE = 'agentspace';

/** The keychain account for a home: one token per home, so test homes never collide. */
export function keychainAccount(home: string): string {
	return `auth-token:${sha256Hex(home).slice(0, 16)}`;
}

/**
 * Returns the home's auth token, creating it on first use. It lives in the OS
 * keychain (through @napi-rs/keyring); where no keychain is reachable (headless
 * Linux, CI) it falls back to a 0600 file in the home, and says so in the result
 * and through the logger — the fallback is never silent.
 *
 * Creating it happens under an exclusive lock file in the home
 * (`auth-token.lock`), and the file and the keychain are read again inside
 * it: commands started together on a fresh home all get the one token the
 * first of them stored. Without the lock each generated its own; the
 * keychain kept the last one written, the others read back a token not
 * theirs, fell back to the file, and that file then outranked the keychain
 * token the daemon held (AUTH_FAILED for every later command).
 */
export async function getOrCreateAuthToken(options: AuthTokenOptions): Promise<AuthTokenResult> {
	const file = homePaths(options.home).authTokenFile;
	const openEntry = options.keychainEntry ?? osKeychainEntry;
	// The token exists already (most calls): no lock needed to read it.
	const existing = readTokenFile(file);
	if (existing !== undefined) return fromFile(options, file, existing, false, EARLIER_FALLBACK);
	if (options.keychain === false) {
		return withAuthTokenLock(lockFile(file), async () => {
			const token = readTokenFile(file);
			const reason = 'the OS keychain was disabled (keychain: false)';
			if (token !== undefined) return fromFile(options, file, token, false, reason);
			return fromFile(options, file, createTokenFile(file), true, reason);
		});
	}
	try {
		const stored = await readKeychain(options.home, openEntry);
		if (stored !== undefined) return { token: stored, storage: 'keychain', created: false };
	} catch {
		// Unreachable: the same is tried once more under the lock, which says why.
	}
	return withAuthTokenLock(lockFile(file), async () => {
		// Another command may have created it while this one waited for the lock.
		const fileToken = readTokenFile(file);
		if (fileToken !== undefined) return fromFile(options, file, fileToken, false, EARLIER_FALLBACK);
		let reason: string;
		try {
			const { token, created } = await fromKeychain(options.home, openEntry);
			return { token, storage: 'keychain', created };
		} catch (error) {
			reason = `the OS keychain is not reachable: ${(error as Error).message}`;
		}
		return fromFile(options, file, createTokenFile(file), true, reason);
	});
}

const EARLIER_FALLBACK =
	'a token file from an earlier fallback exists; delete it (and restart the daemon) to move to the keychain';

/** The lock under which a home's auth token is created: beside the token file. */
function lockFile(tokenFile: string): string {
	return `${tokenFile}.lock`;
}

function fromFile(
	options: AuthTokenOptions,
	file: string,
	token: string,
	created: boolean,
	reason: string,
): AuthTokenResult {
	// Once a fallback file exists it stays authoritative: flipping between the
	// file and the keychain would let two processes disagree on the token.
	options.logger?.warn('auth token kept in a file, not the OS keychain', { file, reason });
	return { token, storage: 'file', created, fallbackReason: reason, file };
}

/** The token the keychain holds for the home, or undefined when it holds none. */
async function readKeychain(
	home: string,
	openEntry: KeychainEntryFactory,
): Promise<string | undefined> {
	const stored = (await openEntry(KEYCHAIN_SERVICE, keychainAccount(home))).getPassword();
	return typeof stored === 'string' && isAuthTokenShape(stored) ? stored : undefined;
}

/** Reads the keychain's token or stores a new one; called under the lock. */
async function fromKeychain(
	home: string,
	openEntry: KeychainEntryFactory,
): Promise<{ token: string; created: boolean }> {
	const account = keychainAccount(home);
	const stored = await readKeychain(home, openEntry);
	if (stored !== undefined) return { token: stored, created: false };
	const token = generateAuthToken();
	(await openEntry(KEYCHAIN_SERVICE, account)).setPassword(token);
	// Some keychains accept a write and then cannot read it back; only a full
	// round trip through a fresh entry counts as a working keychain.
	if ((await openEntry(KEYCHAIN_SERVICE, account)).getPassword() !== token) {
		throw new Error('the keychain did not return the token just stored');
	}
	return { token, created: true };
}

function createTokenFile(file: string): string {
	const token = generateAuthToken();
	let written: boolean;
	try {
		// Created, never replaced: commands started together on a fresh home must
		// agree on one token (the first one written); the others read it.
		written = writeFileAtomic(file, `${token}\n`, { mode: 0o600, exclusive: true });
	} catch (error) {
		throw new VaultError(`cannot write the auth token file ${file}: ${(error as Error).message}`, {
			hint: 'make sure the AgentSpace home exists and is writable by you',
			cause: error,
		});
	}
	return written ? token : (readTokenFile(file) ?? createTokenFile(file));
}

function readTokenFile(file: string): string | undefined {
	let text: string;
	try {
		text = readFileSync(file, 'utf8').trim();
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw new VaultError(`cannot read the auth token file ${file}: ${(error as Error).message}`, {
			hint: 'check its permissions (it must belong to you, mode 0600)',
			cause: error,
		});
	}
	if (!isAuthTokenShape(text)) {
		throw new VaultError(`the auth token file ${file} is corrupt`, {
			hint: 'delete it; a new token is created on the next command (running clients must reconnect)',
		});
	}
	// Someone loosened the mode: tighten it rather than keep a readable secret.
	if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
	return text;
}
