import { existsSync, lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isBelow } from '../sandbox/pathWithin.js';
import {
	type FoundGitDir,
	findGitDirs,
	type GitDirScan,
	type GitDirScanLimits,
	smallFileText,
} from './findGitDirs.js';

/**
 * How many mounts the protection may cost. Each denied path is one, and so
 * is each directory between it and its writable path (the sandbox pins them
 * so that renaming `.git` aside cannot undo the protection). bubblewrap
 * takes about 3,000 mounts in all (the library refuses more: the sandbox
 * would not start), and each costs start time: 1,000 mounts, some 190
 * repositories four levels down, add about 1 s to a run's start.
 */
export const MAX_PROTECTION_MOUNTS = 1_000;

/** What a run's sandbox protects in git directories, and what it was derived from. */
export interface GitProtection {
	/** When the scan began (ms since the epoch): what changes after it is the run's. */
	readonly since: number;
	readonly scan: GitDirScan;
	/** The git directories protected: all the scan found, unless the mount budget ran out. */
	readonly gitDirs: readonly string[];
	/** True when every git directory below the writable paths is protected. */
	readonly complete: boolean;
	/** Why not (the scan's bound, or the mount budget). */
	readonly incompleteBecause?: string;
	/**
	 * The paths the sandbox must make read-only (absolute; some may not exist
	 * yet, and then must not be creatable): part of `SandboxPolicy.denyWrite`.
	 */
	readonly denyWrite: readonly string[];
}

const isRegularFile = (path: string) => {
	try {
		return lstatSync(path).isFile();
	} catch {
		return false;
	}
};

/** True when a `config` mentions the extension that makes git read `config.worktree`. */
const readsWorktreeConfig = (config: string) => /worktreeconfig/i.test(smallFileText(config) ?? '');

/** The files of one git directory that, written, make git run code. */
function gitDirFiles(found: FoundGitDir): string[] {
	const { gitDir } = found;
	const paths: string[] = [];
	// A linked worktree's git directory takes hooks and config from its common directory.
	if (found.kind !== 'worktree') paths.push(join(gitDir, 'hooks'), join(gitDir, 'config'));
	// `commondir` redirects where git reads config and hooks. Denied only where
	// it exists: an empty placeholder there would break git in that repository
	// (it dies reading an empty commondir); a new one is the end-of-run check's.
	if (existsSync(join(gitDir, 'commondir'))) paths.push(join(gitDir, 'commondir'));
	// `config.worktree` is read only with extensions.worktreeConfig, which the
	// protected config would have to enable: denied where it exists or is enabled.
	const worktreeConfig = join(gitDir, 'config.worktree');
	const commonConfig =
		found.kind === 'worktree'
			? join(gitDir, smallFileText(join(gitDir, 'commondir'))?.trim() ?? '..', 'config')
			: join(gitDir, 'config');
	if (existsSync(worktreeConfig) || readsWorktreeConfig(commonConfig)) paths.push(worktreeConfig);
	return paths;
}

/**
 * The git protection of a run that may write `writable` (absolute, normalised,
 * resolved): every git directory below them at any depth is found (bounded by
 * `limits`, see findGitDirs) and its `hooks/` and `config` — plus
 * `config.worktree` and `commondir` where git would read them — are to be made
 * read-only; so are `<path>/.git/hooks` and `<path>/.git/config` of each
 * writable path itself, repository or not, which keeps the agent from making
 * the writable path itself a repository (or, where its `.git` is a file, that
 * file). Repositories created during the run,
 * or beyond the scan's bound or the mount budget, are the end-of-run check's
 * (checkGitDirs).
 */
export function protectGitDirs(
	writable: readonly string[],
	limits?: GitDirScanLimits,
	maxMounts = MAX_PROTECTION_MOUNTS,
): GitProtection {
	const since = (limits?.now ?? Date.now)();
	const scan = findGitDirs(writable, limits);
	const denyWrite = new Set(
		writable.flatMap((path) => [join(path, '.git', 'hooks'), join(path, '.git', 'config')]),
	);
	// A writable path whose `.git` is a file (a submodule's or a linked
	// worktree's checkout): the library drops the two rules above (their parent
	// is not a directory), so the file itself is made read-only — rewritten, it
	// would point git at a git directory of the agent's choosing.
	for (const path of writable) {
		if (isRegularFile(join(path, '.git'))) denyWrite.add(join(path, '.git'));
	}
	const pinned = new Set<string>();
	const gitDirs: string[] = [];
	let overBudget: string | undefined;
	// In the scan's order, shallowest first, while the mounts they cost fit.
	for (const found of scan.gitDirs) {
		const paths = gitDirFiles(found).filter((path) => !denyWrite.has(path));
		const pins = new Set<string>();
		for (const path of paths) {
			const root = writable.find((dir) => isBelow(path, dir));
			for (let dir = dirname(path); root !== undefined && isBelow(dir, root); dir = dirname(dir)) {
				if (!pinned.has(dir)) pins.add(dir);
			}
		}
		if (denyWrite.size + pinned.size + paths.length + pins.size > maxMounts) {
			overBudget = `stopped after ${gitDirs.length} repositories: protecting more would take over ${maxMounts} mounts`;
			break;
		}
		for (const path of paths) denyWrite.add(path);
		for (const dir of pins) pinned.add(dir);
		gitDirs.push(found.gitDir);
	}
	const incompleteBecause = overBudget ?? scan.incompleteBecause;
	return {
		since,
		scan,
		gitDirs,
		complete: incompleteBecause === undefined,
		...(incompleteBecause === undefined ? {} : { incompleteBecause }),
		denyWrite: [...denyWrite],
	};
}
