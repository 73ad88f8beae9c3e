import { ValidationError } from '@agentspace/core';
import { type RunGitOptions, runGit } from './runGit.js';

/**
 * The commit a ref names in a fresh clone: a branch (`origin/<ref>`), then a
 * tag, then a commit id; without a ref, the default branch. A ref that names
 * nothing is a `VALIDATION_FAILED` (issue path `ref`).
 */
export async function resolveCommit(
	checkout: string,
	ref: string | undefined,
	git: RunGitOptions,
): Promise<string> {
	const candidates =
		ref === undefined ? ['HEAD'] : [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`, ref];
	for (const candidate of candidates) {
		try {
			const { stdout } = await runGit(
				['rev-parse', '--verify', '--quiet', '--end-of-options', `${candidate}^{commit}`],
				{ ...git, cwd: checkout },
			);
			return stdout.trim();
		} catch {
			// Not this kind of ref; try the next.
		}
	}
	throw new ValidationError(
		ref === undefined
			? 'the repository has no commits on its default branch'
			: `the repository has no branch, tag or commit "${ref}"`,
		{
			hint: 'check the ref: `git ls-remote <url>` lists branches and tags',
			issues: [{ path: 'ref', message: 'not found in the repository' }],
		},
	);
}
