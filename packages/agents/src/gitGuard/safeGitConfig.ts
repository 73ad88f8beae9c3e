import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/**
 * The repository config keys that never make git run anything, and that git
 * itself writes to a new repository (init, clone, submodule, worktree,
 * branch tracking). Every other key — core.fsmonitor, core.hooksPath,
 * core.pager, core.sshCommand, alias.*, filter.*, diff.*, include.* … — is
 * treated as able to run code. Git prints sections and keys in lower case.
 */
const SAFE_KEYS: readonly RegExp[] = [
	/^core\.(repositoryformatversion|filemode|bare|logallrefupdates|ignorecase|precomposeunicode|symlinks|worktree)$/,
	/^extensions\.(objectformat|refstorage|worktreeconfig)$/,
	/^remote\..+\.(url|fetch)$/,
	/^branch\..+\.(remote|merge)$/,
	/^submodule\..+\.(url|active)$/,
	/^user\.(name|email)$/,
];

/** One `key = value` of a config file (no value: a bare boolean key). */
export type GitConfigEntry = readonly [key: string, value: string | undefined];

// Git with nothing of the user's or the system's configuration, outside any
// repository: reading a config file with it runs nothing from that file.
const gitEnv = (): NodeJS.ProcessEnv => ({
	PATH: process.env.PATH,
	LC_ALL: 'C',
	HOME: '/nonexistent',
	GIT_CONFIG_NOSYSTEM: '1',
	GIT_CONFIG_GLOBAL: '/dev/null',
	GIT_CEILING_DIRECTORIES: '/',
});

/**
 * The entries of config file `path` as git parses them (`git config --file
 * --no-includes --list --null`: the same parser that will read it), or
 * undefined when git cannot parse it (or is not installed).
 */
export function readGitConfig(path: string): GitConfigEntry[] | undefined {
	const result = spawnSync('git', ['config', '--file', path, '--no-includes', '--list', '--null'], {
		cwd: '/',
		env: gitEnv(),
		encoding: 'utf8',
		timeout: 10_000,
		maxBuffer: 4 * 1024 * 1024,
	});
	if (result.status !== 0 || typeof result.stdout !== 'string') return undefined;
	return result.stdout
		.split('\0')
		.filter((item) => item !== '')
		.map((item) => {
			const newline = item.indexOf('\n');
			return newline === -1 ? [item, undefined] : [item.slice(0, newline), item.slice(newline + 1)];
		});
}

/** The keys of `entries` outside the safe list, once each. */
export function unsafeGitConfigKeys(entries: readonly GitConfigEntry[]): string[] {
	return [
		...new Set(
			entries.map(([key]) => key).filter((key) => !SAFE_KEYS.some((safe) => safe.test(key))),
		),
	];
}

/**
 * Writes a config file at `path` holding only the safe entries of `entries`
 * (through `git config --file --add`, which quotes them as git reads them):
 * a repository keeps its remotes and branches, nothing that runs code.
 */
export function writeSafeGitConfig(path: string, entries: readonly GitConfigEntry[]): void {
	writeFileSync(path, '', { mode: 0o644, flag: 'wx' });
	for (const [key, value] of entries) {
		if (!SAFE_KEYS.some((safe) => safe.test(key))) continue;
		spawnSync('git', ['config', '--file', path, '--add', key, value ?? 'true'], {
			cwd: '/',
			env: gitEnv(),
			timeout: 10_000,
			stdio: 'ignore',
		});
	}
}
