import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isAtOrBelow } from '../sandbox/pathWithin.js';

/**
 * The repository config keys that never make git run anything, and that git
 * itself writes to a new repository (init, clone, submodule, worktree,
 * branch tracking). Every other key — core.fsmonitor, core.hooksPath,
 * core.pager, core.sshCommand, alias.*, filter.*, diff.*, include.* … — is
 * treated as able to run code. Git prints sections and keys in lower case.
 */
const SAFE_KEYS: readonly RegExp[] = [
	/^core\.(repositoryformatversion|filemode|bare|logallrefupdates|ignorecase|precomposeunicode|symlinks)$/,
	/^extensions\.(objectformat|refstorage|worktreeconfig)$/,
	/^remote\..+\.(url|fetch)$/,
	/^branch\..+\.(remote|merge)$/,
	/^submodule\..+\.(url|active)$/,
	/^user\.(name|email)$/,
];

/**
 * Where a config lives and what the run could write: `core.worktree` is safe
 * only when it names a place inside the run's writable paths (a submodule's
 * git directory needs it); pointing elsewhere (the user's home), the user's
 * next `git reset --hard` or `checkout` would write the repository's files
 * there.
 */
export interface GitConfigContext {
	/** The git directory the config belongs to (core.worktree is relative to it). */
	readonly gitDir: string;
	/** The run's writable paths (resolved). */
	readonly roots: readonly string[];
}

/** `path` with its longest existing prefix resolved through symlinks. */
function resolveExisting(path: string): string {
	const rest: string[] = [];
	for (let dir = path; ; dir = dirname(dir)) {
		try {
			return join(realpathSync(dir), ...rest.reverse());
		} catch {
			if (dirname(dir) === dir) return path;
			rest.push(basename(dir));
		}
	}
}

const isSafeEntry = ([key, value]: GitConfigEntry, context?: GitConfigContext): boolean => {
	if (key === 'core.worktree') {
		if (context === undefined || value === undefined || value === '') return false;
		const target = resolveExisting(resolve(context.gitDir, value));
		return context.roots.some((root) => isAtOrBelow(target, root));
	}
	return SAFE_KEYS.some((safe) => safe.test(key));
};

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
export function parseGitConfig(text: Buffer | string, git = 'git'): GitConfigEntry[] | undefined {
	const result = spawnSync(git, ['config', '--file', '-', '--no-includes', '--list', '--null'], {
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

/** The keys of `entries` outside the safe list, once each (`core.worktree`: see GitConfigContext). */
export function unsafeGitConfigKeys(
	entries: readonly GitConfigEntry[],
	context?: GitConfigContext,
): string[] {
	return [...new Set(entries.filter((entry) => !isSafeEntry(entry, context)).map(([key]) => key))];
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
export function safeGitConfigText(
	entries: readonly GitConfigEntry[],
	context?: GitConfigContext,
): string {
	const lines: string[] = [];
	let current: string | undefined;
	for (const [key, value] of entries) {
		if (!isSafeEntry([key, value], context)) continue;
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
