import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The PATH a shell uses when none is set. */
export const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * The first executable file named `name` in the directories of `path` (a
 * PATH value), or undefined. Checked with access(X_OK) and stat only — no
 * process is started, so it is cheap enough for a readiness check.
 */
export function findExecutable(name: string, path: string = DEFAULT_PATH): string | undefined {
	for (const dir of path.split(delimiter)) {
		// An empty or relative PATH entry means the current directory: never
		// trust that for a security tool.
		if (dir === '' || !isAbsolute(dir)) continue;
		const candidate = join(dir, name);
		try {
			accessSync(candidate, constants.X_OK);
			if (statSync(candidate).isFile()) return candidate;
		} catch {
			// Not here; try the next directory.
		}
	}
	return undefined;
}
