import type { InstallSource } from './installSource.js';

/**
 * The `git clone` arguments that copy `source` into `checkout` without
 * checking anything out. `--` ends git's options: whatever the source is, git
 * reads it as a repository, never as an option (`--upload-pack=…` runs a
 * command). A directory is copied through git's transport (`--no-local`), not
 * by hard-linking its object files.
 */
export function cloneArguments(
	source: Pick<InstallSource, 'location' | 'kind'>,
	checkout: string,
): string[] {
	return [
		'clone',
		'--no-checkout',
		'--quiet',
		...(source.kind === 'path' ? ['--no-local'] : []),
		'--',
		source.location,
		checkout,
	];
}
