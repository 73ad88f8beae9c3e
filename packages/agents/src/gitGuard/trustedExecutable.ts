import { realpathSync } from 'node:fs';
import { delimiter } from 'node:path';
import { findExecutable } from '../sandbox/findExecutable.js';
import { isAtOrBelow } from '../sandbox/pathWithin.js';

/**
 * The first `name` on `path` (a PATH value) that the run could not have
 * planted: resolved through symlinks to an absolute path outside every one
 * of `roots` (the run's writable paths). A candidate inside them — an agent
 * that put `git` or `bwrap` in a PATH folder it could write — is skipped.
 * Undefined when there is none.
 */
export function trustedExecutable(
	name: string,
	path: string | undefined,
	roots: readonly string[],
): string | undefined {
	for (const dir of (path ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
		const found = findExecutable(name, dir);
		if (found === undefined) continue;
		let real: string;
		try {
			real = realpathSync(found);
		} catch {
			continue;
		}
		if (roots.some((root) => isAtOrBelow(found, root) || isAtOrBelow(real, root))) continue;
		return real;
	}
	return undefined;
}
