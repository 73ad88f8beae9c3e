import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AgentSpaceError, homePaths } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import { agentPaths } from '../agentPaths.js';
import { getAgent } from '../catalog/agentRecord.js';
import { assertNotRunning } from '../catalog/assertNotRunning.js';
import { lastInstallSource } from '../catalog/lastInstallSource.js';
import { type ChangeActor, recordChange } from '../catalog/recordChange.js';
import { MANIFEST_FILE, type ParsedManifest } from '../manifest/parseManifest.js';
import { checkedManifest } from './checkedManifest.js';
import { cloneArguments } from './cloneArguments.js';
import { type InstallSource, resolveInstallSource, validateRef } from './installSource.js';
import { resolveCommit } from './resolveCommit.js';
import { type RunGitOptions, runGit } from './runGit.js';

/** Options of {@link installAgent}. */
export interface InstallOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	/** A git URL, a directory, or a catalogue id. */
	readonly source: string;
	/** Branch, tag or commit to check out; default: the remote's default branch. */
	readonly ref?: string;
	readonly actor: ChangeActor;
	readonly sourceApp?: string;
	/** For relative paths and `~`. */
	readonly cwd?: string;
	readonly userHome?: string;
	/** PATH to find git on. */
	readonly path?: string;
	/** The caller's ssh agent socket, for private repositories over ssh. */
	readonly sshAuthSock?: string;
	/** Aborting kills git; nothing is installed (the staging directory is removed). */
	readonly signal?: AbortSignal;
	readonly timeoutMs?: number;
	/** Called as each phase starts (for a spinner). */
	readonly onProgress?: (phase: string) => void;
}

/** What an install did. */
export interface InstallResult {
	readonly id: string;
	readonly name: string;
	readonly version: string;
	readonly source: string;
	readonly ref: string | undefined;
	readonly commit: string;
	readonly installPath: string;
	/** The commit installed before, when this was an upgrade (or a re-install). */
	readonly previousCommit: string | undefined;
	/** Where the previous install came from, when that was somewhere else: a different repository took over the id. */
	readonly previousSource: string | undefined;
	/** True when the manifest requests different permissions than the approved (or previous) ones. */
	readonly permissionsChanged: boolean;
	/** True when the agent had an approval that no longer matches: it must be enabled again. */
	readonly needsReapproval: boolean;
	readonly manifest: ParsedManifest;
	readonly audit: AuditRecord;
}

/**
 * Clones an agent into `<home>/agents/<id>/src` at a ref and records the
 * resolved commit (`agent_installed` + an `agents.installed` audit entry, in
 * one transaction). Runs no code from the repository: git runs with hooks,
 * `ext::` and system/global config switched off (see runGit), and nothing in
 * the checkout is executed — that is `build`'s job, behind a confirmation.
 *
 * The clone goes to a staging directory first and is moved into place only
 * once its manifest checks out, so a failure at any step leaves the previous
 * install (or nothing) exactly as it was. Installing an installed agent again
 * upgrades it in place.
 */
export async function installAgent(options: InstallOptions): Promise<InstallResult> {
	const ref = options.ref === undefined ? undefined : validateRef(options.ref);
	const source = resolveInstallSource(options.db, options.source, options);
	const agentsDir = homePaths(options.home).agentsDir;
	mkdirSync(agentsDir, { recursive: true, mode: 0o700 });
	// Staging sits next to the final place (same file system), so the move is a rename.
	const staging = mkdtempSync(join(agentsDir, '.install-'));
	try {
		const checkout = join(staging, 'src');
		const git: RunGitOptions = {
			path: options.path,
			sshAuthSock: options.sshAuthSock,
			signal: options.signal,
			...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
		};
		options.onProgress?.(`cloning ${source.location}`);
		await runGit(cloneArguments(source, checkout), git);
		options.onProgress?.(`checking out ${ref ?? 'the default branch'}`);
		const commit = await resolveCommit(checkout, ref, git);
		await runGit(['checkout', '--quiet', '--detach', commit, '--'], { ...git, cwd: checkout });
		const manifest = checkedManifest(checkout, source);
		if (options.signal?.aborted === true) {
			throw new AgentSpaceError('install interrupted: nothing was installed', {
				code: 'INTERRUPTED',
			});
		}
		return moveIntoPlace(options, source, ref, commit, staging, manifest);
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
}

function moveIntoPlace(
	options: InstallOptions,
	source: InstallSource,
	ref: string | undefined,
	commit: string,
	staging: string,
	parsed: ParsedManifest,
): InstallResult {
	const { manifest, manifestHash, permissionsHash } = parsed;
	const paths = agentPaths(options.home, manifest.id);
	const before = getAgent(options.db, manifest.id);
	const lastSource =
		before?.installPath != null ? lastInstallSource(options.db, manifest.id) : undefined;
	const previousSource =
		lastSource !== undefined && lastSource !== source.location ? lastSource : undefined;
	assertNotRunning(before);
	const createdRoot = statSync(paths.root, { throwIfNoEntry: false }) === undefined;
	mkdirSync(paths.root, { recursive: true, mode: 0o700 });
	const previous =
		statSync(paths.src, { throwIfNoEntry: false }) === undefined
			? undefined
			: join(staging, `previous-${randomBytes(4).toString('hex')}`);
	if (previous !== undefined) renameSync(paths.src, previous);
	const installedBefore = before !== undefined && before.installPath !== null;
	// Compared with what was approved, when something was: that is what the next run is checked against.
	const baseline =
		before?.approvedPermissionsHash ?? (installedBefore ? before.permissionsHash : undefined);
	const permissionsChanged = baseline !== undefined && baseline !== permissionsHash;
	const needsReapproval =
		before?.approvedManifestHash != null && before.approvedManifestHash !== manifestHash;
	try {
		// Inside the try: if this move fails, the previous checkout (already moved
		// into staging, which is deleted on the way out) must be put back.
		renameSync(join(staging, 'src'), paths.src);
		const recorded = recordChange(options.db, {
			actor: options.actor,
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
			events: [
				{
					type: 'agent_installed',
					fields: {
						agent_id: manifest.id,
						name: manifest.name,
						version: manifest.version,
						...(manifest.description === undefined ? {} : { description: manifest.description }),
						manifest_path: join(paths.src, MANIFEST_FILE),
						manifest_hash: manifestHash,
						permissions_hash: permissionsHash,
						requested_permissions: manifest.permissions,
						...(manifest.source === undefined ? {} : { source_url: manifest.source }),
						source: source.location,
						...(ref === undefined ? {} : { ref }),
						commit,
						install_path: paths.src,
						permissions_changed: permissionsChanged,
					},
				},
			],
			audit: {
				eventType: 'agents.installed',
				agentId: manifest.id,
				metadata: {
					source: source.location,
					ref: ref ?? null,
					commit,
					previousCommit: before?.installedCommit ?? null,
					previousSource: previousSource ?? null,
					manifestHash,
					permissionsChanged,
				},
			},
		});
		return {
			id: manifest.id,
			name: manifest.name,
			version: manifest.version,
			source: source.location,
			ref,
			commit,
			installPath: paths.src,
			previousCommit: before?.installedCommit ?? undefined,
			previousSource,
			permissionsChanged,
			needsReapproval,
			manifest: parsed,
			audit: recorded.audit,
		};
	} catch (error) {
		// Not recorded: put the previous checkout (or nothing) back.
		rmSync(paths.src, { recursive: true, force: true });
		if (previous !== undefined) renameSync(previous, paths.src);
		else if (createdRoot) rmSync(paths.root, { recursive: true, force: true });
		throw error;
	}
}
