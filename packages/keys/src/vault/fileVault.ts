import { closeSync, constants, fchmodSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { VaultError, withAuthTokenLock, writeFileAtomic } from '@agentspace/core';
import { type Vault, vaultAccountOf } from './vaultTypes.js';

interface VaultFile {
	readonly version: 1;
	readonly entries: Record<string, string>;
}

/**
 * The file vault: `<home>/vault.json`, mode 0600, `{ version: 1, entries }`,
 * replaced atomically (a temp file renamed over it) under a lock file so two
 * commands changing it at once do not lose each other's change. Not
 * encrypted at rest: anyone who can read the file as this user has the
 * values, which is what `keys list` and `doctor` say.
 */
export function fileVault(file: string, fallbackReason: string): Vault {
	return {
		storage: 'file',
		fallbackReason,
		file,
		get: async (ref) => readVaultFile(file).entries[vaultAccountOf(ref)],
		set: (ref, value) =>
			changeVaultFile(file, (entries) => {
				entries[vaultAccountOf(ref)] = value;
			}),
		delete: (ref) =>
			changeVaultFile(file, (entries) => {
				delete entries[vaultAccountOf(ref)];
			}),
	};
}

/** True when the vault file exists and holds at least one value. */
export function vaultFileHasEntries(file: string): boolean {
	return Object.keys(readVaultFile(file).entries).length > 0;
}

async function changeVaultFile(
	file: string,
	change: (entries: Record<string, string>) => void,
): Promise<void> {
	await withAuthTokenLock(
		`${file}.lock`,
		async () => {
			const entries = { ...readVaultFile(file).entries };
			change(entries);
			const data: VaultFile = { version: 1, entries };
			try {
				writeFileAtomic(file, `${JSON.stringify(data, null, '\t')}\n`, { mode: 0o600 });
			} catch (error) {
				throw new VaultError(`cannot write the vault file ${file}: ${(error as Error).message}`, {
					hint: 'make sure the AgentSpace home exists and is writable by you',
					cause: error,
				});
			}
		},
		{ what: 'vault' },
	);
}

function readVaultFile(file: string): VaultFile {
	let fd: number;
	try {
		// Never through a symbolic link: one planted at vault.json would have
		// keys read from (and, once renamed over, written beside) a file
		// someone else chose.
		fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return { version: 1, entries: {} };
		if (code === 'ELOOP') {
			throw new VaultError(
				`the vault file ${file} is a symbolic link, which AgentSpace does not follow`,
				{
					hint: `if you made it, replace it with the file itself (mv ${file} aside and copy the target there, mode 0600); otherwise someone else can write to your AgentSpace home: check who`,
				},
			);
		}
		throw new VaultError(`cannot read the vault file ${file}: ${(error as Error).message}`, {
			hint: 'check its permissions (it must belong to you, mode 0600)',
			cause: error,
		});
	}
	let text: string;
	try {
		const stat = fstatSync(fd);
		const uid = process.getuid?.();
		if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) {
			throw new VaultError(
				`the vault file ${file} is ${stat.isFile() ? `owned by user ${stat.uid}, not you` : 'not a regular file'}`,
				{
					hint: 'AgentSpace keeps keys only in a file of your own: move it aside and add the keys and secrets again (agentspace keys add, agentspace secrets set)',
				},
			);
		}
		text = readFileSync(fd, 'utf8');
		// Someone loosened the mode: tighten it rather than keep readable keys.
		if ((stat.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
	} finally {
		closeSync(fd);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	const entries = (parsed as Partial<VaultFile> | undefined)?.entries;
	if (
		(parsed as Partial<VaultFile> | undefined)?.version !== 1 ||
		typeof entries !== 'object' ||
		entries === null ||
		Object.values(entries).some((value) => typeof value !== 'string')
	) {
		// The message never quotes the file: it holds keys.
		throw new VaultError(`the vault file ${file} is corrupt`, {
			hint: 'restore it from a backup, or move it aside and add the keys and secrets again (agentspace keys add, agentspace secrets set)',
		});
	}
	return { version: 1, entries };
}
