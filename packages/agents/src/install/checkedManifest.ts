import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssues, ValidationError } from '@agentspace/core';
import { MANIFEST_FILE, type ParsedManifest } from '../manifest/parseManifest.js';
import { readManifestFile } from '../manifest/readManifestFile.js';
import type { InstallSource } from './installSource.js';

/**
 * The manifest of a fresh checkout, checked before anything is moved into
 * place: a regular file (not a symlink), valid, and carrying the id the
 * install expects (when it installs a catalogue entry).
 */
export function checkedManifest(checkout: string, source: InstallSource): ParsedManifest {
	const path = join(checkout, MANIFEST_FILE);
	// A committed symlink would make install read (and show parts of) any file
	// on this machine, e.g. ~/.aws/credentials: the manifest must be the repository's own.
	if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
		throw new ValidationError(`the repository's ${MANIFEST_FILE} is a symbolic link`, {
			hint: 'the agent’s author must commit the manifest as a regular file; nothing was installed',
			issues: [{ path: '(root)', message: 'must be a regular file, not a symbolic link' }],
		});
	}
	const parsed = readManifestFile(path);
	if (!parsed.ok) {
		throw new ValidationError(
			`the repository's ${MANIFEST_FILE} is not a valid manifest:\n${formatIssues(parsed.errors)}`,
			{
				hint: 'the agent’s author must fix the manifest (specs/agent-manifest.md); nothing was installed',
				issues: parsed.errors,
			},
		);
	}
	const id = parsed.value.manifest.id;
	if (source.expectedId !== undefined && id !== source.expectedId) {
		throw new ValidationError(
			`the checkout's manifest has id "${id}", but the catalogue entry being installed is "${source.expectedId}"`,
			{
				hint: 'install from the right repository or ref; nothing was installed',
				issues: [{ path: 'id', message: `expected "${source.expectedId}"` }],
			},
		);
	}
	return parsed.value;
}
