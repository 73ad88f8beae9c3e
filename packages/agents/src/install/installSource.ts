import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { expandPath, NotFoundError, ValidationError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { getAgent } from '../catalog/agentRecord.js';
import { lastInstallSource } from '../catalog/lastInstallSource.js';
import { GitUrlSchema } from '../manifest/schema.js';

/** Where an install clones from, and which id the manifest there must have. */
export interface InstallSource {
	/** What git clones: a URL, or an absolute directory path. */
	readonly location: string;
	readonly kind: 'url' | 'path';
	/** Set when the user named a catalogue entry: the checkout's manifest must carry this id. */
	readonly expectedId?: string;
}

// A ref is a branch, a tag or a commit id. Anything that git would read as an
// option, a range (`a..b`), a revision expression (`^`, `~`, `:`, `@{`) or a
// pathspec is refused before git sees it.
const REF = /^[A-Za-z0-9][A-Za-z0-9._/+-]{0,254}$/;

/** Checks a `--ref` value: a branch, tag or commit id, never something git could read as an option. */
export function validateRef(ref: string): string {
	const problem = ref.startsWith('-')
		? 'must not start with "-" (git would read it as an option)'
		: !REF.test(ref) || ref.includes('..') || ref.endsWith('.lock') || ref.endsWith('/')
			? 'must be a branch, tag or commit id (letters, digits, ".", "_", "/", "+", "-"; no "..")'
			: undefined;
	if (problem !== undefined) {
		throw new ValidationError(`invalid --ref ${JSON.stringify(ref)}: ${problem}`, {
			hint: 'pass a branch name, a tag or a commit id, e.g. --ref v1.2.0',
			issues: [{ path: 'ref', message: problem }],
		});
	}
	return ref;
}

/**
 * Works out what `agents install <source>` means: a git URL, an existing
 * directory, or the id of a catalogue entry (installed from where it was
 * last installed from, else its manifest's `source`, else the directory its
 * manifest was found in). Anything
 * starting with `-` and any `transport::address` form (`ext::` runs a
 * command) is refused.
 */
export function resolveInstallSource(
	db: AgentSpaceDb,
	source: string,
	options: { readonly cwd?: string; readonly userHome?: string } = {},
): InstallSource {
	const refuse = (problem: string) =>
		new ValidationError(`cannot install from ${JSON.stringify(source)}: ${problem}`, {
			hint: 'pass an https://, ssh:// or file:// git URL, user@host:path, a directory, or a catalogue id',
			issues: [{ path: 'source', message: problem }],
		});
	if (source.trim() === '') throw refuse('must not be empty');
	if (source.startsWith('-'))
		throw refuse('must not start with "-" (git would read it as an option)');
	if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(source))
		throw refuse('remote-helper addresses ("transport::…", such as ext::) are not allowed');
	if (source.includes('\0') || /[\r\n]/.test(source))
		throw refuse('must not contain control characters');
	if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(source) || /^[^/\s]+@[^/\s]+:/.test(source)) {
		// A user or host starting with "-" (or its %2D escape) in `ssh://` would
		// reach ssh as an option (`-oProxyCommand=…`). git blocks it since
		// 2.14.1; refusing it here does not depend on the git installed.
		if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/@]*@)?(?:-|%2d)/i.test(source))
			throw refuse('the user or host must not start with "-" (ssh would read it as an option)');
		const url = GitUrlSchema.safeParse(source);
		if (!url.success) throw refuse(url.error.issues.map((i) => i.message).join('; '));
		// Code fetched in the clear can be swapped by anyone on the network path.
		if (/^(?:http|git):\/\//i.test(source))
			throw refuse(
				'an unencrypted transport: anyone on the network could change the code; use https:// or ssh://',
			);
		// The URL is kept in the checkout's git config and in the event log.
		if (/^https:\/\/[^/]*@/i.test(source))
			throw refuse(
				'credentials in the URL would be stored in the clear; use ssh:// (with your ssh agent) or a URL without them',
			);
		return { location: source, kind: 'url' };
	}
	// A bare word (`echo`) is a catalogue id first; `./echo` names the directory.
	const bareWord = /^[a-z0-9][a-z0-9._-]{0,63}$/.test(source);
	const known = getAgent(db, source);
	if (!bareWord || known === undefined) {
		const path = expandPath(source, options.userHome, options.cwd);
		if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
			return { location: path, kind: 'path' };
		}
	}
	if (known !== undefined) {
		// Re-installing by id (an upgrade with --ref) uses the place it came from last time.
		const previous = lastInstallSource(db, known.id) ?? known.sourceUrl ?? undefined;
		if (previous !== undefined) {
			return {
				location: previous,
				kind: /^[A-Za-z][A-Za-z0-9+.-]*:\/\/|^[^/\s]+@[^/\s]+:/.test(previous) ? 'url' : 'path',
				expectedId: known.id,
			};
		}
		if (known.manifestPath !== null && known.installPath === null) {
			return { location: dirname(known.manifestPath), kind: 'path', expectedId: known.id };
		}
	}
	throw new NotFoundError(`"${source}" is not a git URL, an existing directory or a catalogue id`, {
		hint: 'check the spelling; `agentspace agents list` shows the catalogue',
	});
}
