import { spawnSync } from 'node:child_process';

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

/** The largest config the check reads: a bigger one is taken as unparseable (and neutralised). */
export const MAX_GIT_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * The entries of config text `text` as git parses them (`git config --file -
 * --no-includes --list --null`: the same parser that will read it, given the
 * text on its stdin, so nothing is opened by path), or undefined when git
 * cannot parse it (or is not installed).
 */
export function parseGitConfig(text: Buffer | string): GitConfigEntry[] | undefined {
	const result = spawnSync('git', ['config', '--file', '-', '--no-includes', '--list', '--null'], {
		cwd: '/',
		env: gitEnv(),
		input: text,
		encoding: 'utf8',
		timeout: 10_000,
		maxBuffer: 2 * MAX_GIT_CONFIG_BYTES,
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

// Git's quoting inside a double-quoted value or subsection name.
const quote = (text: string) =>
	`"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;

/**
 * The text of a config file holding only the safe entries of `entries`, in
 * one pass (quoted as git reads them): a repository keeps its remotes and
 * branches, nothing that runs code. Keys come from `git config --list`
 * (`section.subsection.name`, section and name lower case).
 */
export function safeGitConfigText(entries: readonly GitConfigEntry[]): string {
	const lines: string[] = [];
	let current: string | undefined;
	for (const [key, value] of entries) {
		if (!SAFE_KEYS.some((safe) => safe.test(key))) continue;
		const first = key.indexOf('.');
		const last = key.lastIndexOf('.');
		const section = key.slice(0, first);
		const subsection = first === last ? undefined : key.slice(first + 1, last);
		// A subsection name knows only the escapes \\ and \" (and holds no newline).
		const header =
			subsection === undefined
				? `[${section}]`
				: `[${section} "${subsection.replace(/[\\"]/g, (c) => `\\${c}`)}"]`;
		if (header !== current) {
			lines.push(header);
			current = header;
		}
		lines.push(`\t${key.slice(last + 1)} = ${quote(value ?? 'true')}`);
	}
	return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
