// What a package's published code imports must be installed beside it: every
// bare specifier in a packed .js/.mjs/.cjs (import, export … from, import(),
// require()) and in a packed .d.ts/.d.mts/.d.cts (a user's typecheck reads
// those: an import there of a package the user does not have breaks it) names
// a Node builtin, the package itself, or a package declared in its
// dependencies, peerDependencies or optionalDependencies. devDependencies do
// not count: a user installing the package never gets them. Neither publint
// nor attw catches this (a subpath importing a private dev dependency loads
// here, where the workspace links it, and nowhere else).
//
// The packed .ts sources are not read: they are there for the declaration
// maps (go-to-definition), and neither Node nor a user's typecheck loads them.
// `/// <reference types>` directives are not read either.
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix } from 'node:path';
import ts from 'typescript';

const CHECKED = /\.(?:[cm]?js|d\.[cm]?ts)$/;

/**
 * The package a bare specifier names (`@scope/name/sub` → `@scope/name`,
 * `name/sub` → `name`), or undefined when the specifier is not bare: relative
 * or absolute paths, `#` subpath imports, URLs (`file:`, `data:`, `node:`…).
 * @param {string} specifier
 * @returns {string | undefined}
 */
export function packageOfSpecifier(specifier) {
	if (specifier === '' || /^[./#]/.test(specifier) || /^[a-z][a-z0-9+.-]*:/i.test(specifier))
		return undefined;
	const parts = specifier.split('/');
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Every module specifier `text` imports: static and dynamic imports,
 * re-exports, require() calls, `import('…')` types and a module's
 * augmentations (`declare module 'x'` in a module; in a script it declares
 * 'x' rather than importing it). TypeScript's scanner reads them, so a
 * specifier in a string or a comment is not one.
 * @param {string} text
 * @returns {string[]}
 */
export function importedSpecifiers(text) {
	return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/**
 * The imports in the packed JavaScript and declarations of the package in
 * `packageDir` (`packedFiles` relative to it, as `npm pack --dry-run --json`
 * lists them) of packages it does not declare as dependencies, peer or
 * optional dependencies, in file order.
 * @param {string} packageDir
 * @param {readonly string[]} packedFiles
 * @returns {{ file: string, specifier: string, package: string }[]}
 */
export function undeclaredImports(packageDir, packedFiles) {
	const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
	const declared = new Set([
		pkg.name,
		...Object.keys(pkg.dependencies ?? {}),
		...Object.keys(pkg.peerDependencies ?? {}),
		...Object.keys(pkg.optionalDependencies ?? {}),
	]);
	const found = [];
	for (const file of packedFiles.map((f) => posix.normalize(f)).sort()) {
		if (!CHECKED.test(file)) continue;
		const seen = new Set();
		for (const specifier of importedSpecifiers(readFileSync(join(packageDir, file), 'utf8'))) {
			if (seen.has(specifier) || isBuiltin(specifier)) continue;
			seen.add(specifier);
			const name = packageOfSpecifier(specifier);
			if (name !== undefined && !declared.has(name)) found.push({ file, specifier, package: name });
		}
	}
	return found;
}
