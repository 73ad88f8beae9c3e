import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expandPath, NotFoundError, ValidationError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { type AgentRecord, getAgent } from '../catalog/agentRecord.js';
import { lastInstallSource } from '../catalog/lastInstallSource.js';
import { gitUrlProblem, looksLikeGitUrl } from './gitUrlProblem.js';

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
	if (
		source.startsWith('-') ||
		/^[A-Za-z][A-Za-z0-9+.-]*::/.test(source) ||
		looksLikeGitUrl(source)
	) {
		const problem = gitUrlProblem(source);
		if (problem !== undefined) throw refuse(problem);
		return { location: source, kind: 'url' };
	}
	// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
	if (/[\u0000-\u001f\u007f]/.test(source)) throw refuse('must not contain control characters');
	// A bare word (`echo`) is a catalogue id first; `./echo` names the directory.
	const bareWord = /^[a-z0-9][a-z0-9._-]{0,63}$/.test(source);
	const known = getAgent(db, source);
	if (!bareWord || known === undefined) {
		const path = expandPath(source, options.userHome, options.cwd);
		if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
			const problem = repositoryProblem(path);
			if (problem !== undefined) throw refuse(problem);
			return { location: path, kind: 'path' };
		}
	}
	if (known !== undefined) return sourceOfKnownAgent(db, known);
	throw new NotFoundError(`"${source}" is not a git URL, an existing directory or a catalogue id`, {
		hint: 'check the spelling; `agentspace agents list` shows the catalogue',
	});
}

/** Why `dir` cannot be cloned as a repository, or undefined. */
function repositoryProblem(dir: string): string | undefined {
	const isRoot =
		existsSync(join(dir, '.git')) ||
		(existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')));
	return isRoot
		? undefined
		: `${dir} is not the root of a git repository (the manifest must sit at the repository's root, committed)`;
}

/**
 * Where a catalogue entry installs from: where it was last installed from;
 * else, for an agent only discovered, the repository it was found in; else its
 * manifest's `source`. A stored URL passes the same checks as a typed one.
 */
function sourceOfKnownAgent(db: AgentSpaceDb, known: AgentRecord): InstallSource {
	const refuse = (location: string, problem: string) =>
		new ValidationError(
			`cannot install "${known.id}" from ${JSON.stringify(location)}: ${problem}`,
			{
				hint: `pass the git URL or directory to install it from: agentspace agents install <git-url|path>`,
				issues: [{ path: 'source', message: problem }],
			},
		);
	const found =
		known.installPath === null && known.manifestPath !== null
			? dirname(known.manifestPath)
			: undefined;
	const candidates = [
		lastInstallSource(db, known.id),
		found !== undefined && repositoryProblem(found) === undefined ? found : undefined,
		known.sourceUrl ?? undefined,
	];
	const location = candidates.find((c) => c !== undefined);
	if (location === undefined) {
		throw refuse(
			found ?? known.id,
			found === undefined ? 'no source is known' : (repositoryProblem(found) as string),
		);
	}
	if (looksLikeGitUrl(location)) {
		const problem = gitUrlProblem(location);
		if (problem !== undefined) throw refuse(location, problem);
		return { location, kind: 'url', expectedId: known.id };
	}
	const problem = existsSync(location)
		? repositoryProblem(location)
		: 'the directory no longer exists';
	if (problem !== undefined) throw refuse(location, problem);
	return { location, kind: 'path', expectedId: known.id };
}
