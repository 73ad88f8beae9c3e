import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function isDirectory(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}

/**
 * The git files an agent must not write inside writable directory `dir`:
 * `.git/hooks` and `.git/config` (either runs code the next time the user runs
 * git there) of `dir` itself — whether or not it is a repository yet — and of
 * each repository directly below it (`filesystem:write:~/code` holding one
 * repository per directory). Deeper repositories are not listed: the library's
 * own scan only covers the host's working directory, so keep approvals to
 * writable trees shallow.
 */
export function gitWriteDenies(dir: string): string[] {
	const repos = [dir];
	let names: string[] = [];
	try {
		names = readdirSync(dir);
	} catch {
		// Not a directory, or not there (yet): only `dir` itself is covered.
	}
	for (const name of names) {
		if (name !== '.git' && isDirectory(join(dir, name, '.git'))) repos.push(join(dir, name));
	}
	return repos.flatMap((repo) => [join(repo, '.git', 'hooks'), join(repo, '.git', 'config')]);
}
