// The source maps a package publishes must lead somewhere: every source a
// .js.map or .d.ts.map names is either embedded in it (sourcesContent) or a
// file the package publishes too. A declaration map whose sources are left
// behind sends an editor's go-to-definition to a file that is not there.
// Sources inside a node_modules folder are a dependency's, and not checked.
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * The sources of the source maps in `packedFiles` (paths relative to
 * `packageDir`, as `npm pack --dry-run --json` lists them) that are neither
 * embedded in the map nor among the packed files.
 * @param {string} packageDir
 * @param {readonly string[]} packedFiles
 * @returns {{ map: string, source: string }[]}
 */
export function unresolvedMapSources(packageDir, packedFiles) {
	const packed = new Set(packedFiles.map((file) => posix.normalize(file)));
	const missing = [];
	for (const file of packed) {
		if (!file.endsWith('.map')) continue;
		const map = JSON.parse(readFileSync(join(packageDir, file), 'utf8'));
		const sources = Array.isArray(map.sources) ? map.sources : [];
		for (const [index, source] of sources.entries()) {
			if (typeof map.sourcesContent?.[index] === 'string') continue;
			const resolved = posix.normalize(
				posix.join(posix.dirname(file), map.sourceRoot ?? '', String(source)),
			);
			// A dependency's own map may name sources it does not publish (a
			// bundle carries such maps along): not this package's to fix.
			if (resolved.split('/').includes('node_modules')) continue;
			if (!packed.has(resolved)) missing.push({ map: file, source: resolved });
		}
	}
	return missing;
}
