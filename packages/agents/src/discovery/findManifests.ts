import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { MANIFEST_FILE } from '../manifest/parseManifest.js';

/** Directories never entered: dependencies and version-control data hold no agents of the user's. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
	'node_modules',
	'.git',
	'.hg',
	'.svn',
]);

/** How deep below a root a manifest is looked for (the root itself is depth 0). */
export const DEFAULT_MAX_DEPTH = 6;

/** How many directories one scan enters at most, so a huge tree cannot make it run for ever. */
export const DEFAULT_MAX_DIRECTORIES = 50_000;

/** Options of {@link findManifests}. */
export interface FindManifestsOptions {
	readonly maxDepth?: number;
	readonly maxDirectories?: number;
}

/** Something the scan passed over, and why. */
export interface SkippedPath {
	readonly path: string;
	readonly reason: string;
}

/** What a scan of some roots found. */
export interface FoundManifests {
	/** Absolute paths of manifest files, in a stable (sorted) order. */
	readonly manifests: string[];
	/** Roots that do not exist or are not directories (not an error: a fresh machine has no ~/Projects). */
	readonly missingRoots: string[];
	/** Directories that could not be read, symlinks leading out of their root, and the like. */
	readonly skipped: SkippedPath[];
	/** True when the directory budget ran out before the scan finished. */
	readonly truncated: boolean;
}

/** True when `path` is `root` or below it (both absolute). */
export function isInside(root: string, path: string): boolean {
	const rel = relative(root, path);
	return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/**
 * Walks each root for `agentspace.agent.json` files. Reads directory entries
 * only; never runs or imports anything it finds. Symlinks are followed only
 * while they stay inside their root (a link out of it is reported and not
 * followed), each real directory is entered once (so link loops end), and an
 * unreadable directory is reported and passed over.
 */
export function findManifests(
	roots: readonly string[],
	options: FindManifestsOptions = {},
): FoundManifests {
	const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
	let budget = options.maxDirectories ?? DEFAULT_MAX_DIRECTORIES;
	const manifests = new Set<string>();
	const missingRoots: string[] = [];
	const skipped: SkippedPath[] = [];
	const visited = new Set<string>();
	let truncated = false;

	for (const root of roots) {
		let realRoot: string;
		try {
			realRoot = realpathSync(root);
			if (!statSync(realRoot).isDirectory()) throw new Error('not a directory');
		} catch {
			missingRoots.push(root);
			continue;
		}
		const queue: { path: string; depth: number }[] = [{ path: realRoot, depth: 0 }];
		while (queue.length > 0) {
			const { path, depth } = queue.shift() as { path: string; depth: number };
			if (visited.has(path)) continue;
			visited.add(path);
			if (budget-- <= 0) {
				truncated = true;
				break;
			}
			let entries: Dirent[];
			try {
				entries = readdirSync(path, { withFileTypes: true });
			} catch (error) {
				skipped.push({
					path,
					reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
				});
				continue;
			}
			entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
			for (const entry of entries) {
				const full = join(path, entry.name);
				if (entry.isSymbolicLink()) {
					const target = resolveLink(full);
					if (target === undefined) continue; // dangling: nothing to find there
					if (!isInside(realRoot, target)) {
						if (entry.name === MANIFEST_FILE || isDirectory(target)) {
							skipped.push({
								path: full,
								reason: `symlink leads outside the scan root ${realRoot} (to ${target}); not followed`,
							});
						}
						continue;
					}
					// Only a regular file: opening a FIFO would block the scan for ever.
					if (entry.name === MANIFEST_FILE && isRegularFile(target)) manifests.add(target);
					else if (isDirectory(target) && !SKIPPED_DIRECTORIES.has(entry.name) && depth < maxDepth)
						queue.push({ path: target, depth: depth + 1 });
					continue;
				}
				if (entry.isFile() && entry.name === MANIFEST_FILE) manifests.add(full);
				else if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name) && depth < maxDepth)
					queue.push({ path: full, depth: depth + 1 });
			}
		}
		if (truncated) break;
	}
	return { manifests: [...manifests].sort(), missingRoots, skipped, truncated };
}

function resolveLink(path: string): string | undefined {
	try {
		return realpathSync(path);
	} catch {
		return undefined;
	}
}

function isRegularFile(path: string): boolean {
	try {
		return statSync(path).isFile();
	} catch {
		return false;
	}
}

function isDirectory(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}
