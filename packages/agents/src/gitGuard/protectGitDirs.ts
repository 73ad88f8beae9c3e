import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
	type FoundGitDir,
	findGitDirs,
	type GitDirScan,
	type GitDirScanLimits,
	smallFileText,
} from './findGitDirs.js';

/** What a run's sandbox protects in git directories, and what it was derived from. */
export interface GitProtection {
	/** When the scan began (ms since the epoch): what changes after it is the run's. */
	readonly since: number;
	readonly scan: GitDirScan;
	/**
	 * The paths the sandbox must make read-only (absolute; some may not exist
	 * yet, and then must not be creatable): part of `SandboxPolicy.denyWrite`.
	 */
	readonly denyWrite: readonly string[];
}

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
 * the writable path itself a repository. Repositories created during the run,
 * or beyond the scan's bound, are the end-of-run check's (checkGitDirs).
 */
export function protectGitDirs(
	writable: readonly string[],
	limits?: GitDirScanLimits,
): GitProtection {
	const since = (limits?.now ?? Date.now)();
	const scan = findGitDirs(writable, limits);
	const denyWrite = new Set(
		writable.flatMap((path) => [join(path, '.git', 'hooks'), join(path, '.git', 'config')]),
	);
	for (const found of scan.gitDirs) for (const path of gitDirFiles(found)) denyWrite.add(path);
	return { since, scan, denyWrite: [...denyWrite] };
}
