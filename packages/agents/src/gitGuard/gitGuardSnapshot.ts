import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentPaths } from '../agentPaths.js';
import type { GitProtection } from './protectGitDirs.js';

/**
 * What the end-of-run check compares a run's git directories with. Kept
 * beside the run's log (`<home>/logs/<agent>/<run>.git-guard.json`, 0600):
 * the AgentSpace home is hidden from the sandbox, so the agent can neither
 * read nor change it, and it outlives a supervisor that dies.
 */
export interface GitGuardSnapshot {
	readonly version: 1;
	readonly agentId: string;
	readonly runId: string;
	/** When the start scan began (ms since the epoch). */
	readonly since: number;
	/** The writable paths. */
	readonly roots: readonly string[];
	/** Whether every git directory below them was found and protected at the start. */
	readonly complete: boolean;
	/** Why the start scan was incomplete. */
	readonly incompleteBecause?: string;
	/** The git directories protected at the start. */
	readonly known: readonly string[];
	/** The paths the sandbox was asked to make read-only. */
	readonly protected: readonly string[];
	/**
	 * What each of `protected` was when the run started (null: absent). The
	 * end-of-run check skips a protected path only while it is still exactly
	 * that: the sandbox library drops the rules under a `.git` that is a file,
	 * and protects what a symlinked `hooks` points at, not the link — what it
	 * did not cover the agent may have replaced.
	 * Absent in older snapshots: then nothing is skipped.
	 */
	readonly protectedIds?: readonly (PathIdentity | null)[];
	/**
	 * When the run ended (ms since the epoch): when its end-of-run check first
	 * ran, its processes gone (for a lost run, when the daemon found it lost).
	 * Recorded by that check; a check again (recheckGitGuards) takes only what
	 * changed by then as the run's, so what the user changed since is left alone.
	 */
	readonly until?: number;
	/** How many checks of the run were incomplete so far (see MAX_GIT_CHECK_ATTEMPTS). */
	readonly attempts?: number;
}

/** Which file a path was: device, inode, type bits and change time. */
export interface PathIdentity {
	readonly dev: number;
	readonly ino: number;
	readonly mode: number;
	readonly ctimeMs: number;
}

/** The identity of `path` itself (not following a symlink), or null when absent. */
export function pathIdentity(path: string): PathIdentity | null {
	try {
		const stats = lstatSync(path);
		return { dev: stats.dev, ino: stats.ino, mode: stats.mode, ctimeMs: stats.ctimeMs };
	} catch {
		return null;
	}
}

/** Where the snapshot of run `runId` of agent `agentId` lives. */
export function gitGuardSnapshotPath(home: string, agentId: string, runId: string): string {
	return join(agentPaths(home, agentId).logs, `${runId}.git-guard.json`);
}

/** Writes the snapshot of a run about to start (atomically: a half-written one is never read). */
export function writeGitGuardSnapshot(
	home: string,
	agentId: string,
	runId: string,
	protection: GitProtection,
): GitGuardSnapshot {
	const snapshot: GitGuardSnapshot = {
		version: 1,
		agentId,
		runId,
		since: protection.since,
		roots: protection.scan.roots,
		complete: protection.complete,
		...(protection.incompleteBecause === undefined
			? {}
			: { incompleteBecause: protection.incompleteBecause }),
		known: protection.gitDirs,
		protected: protection.denyWrite,
		protectedIds: protection.denyWrite.map(pathIdentity),
	};
	saveGitGuardSnapshot(home, snapshot);
	return snapshot;
}

/** Writes `snapshot` where {@link readGitGuardSnapshot} finds it (atomically, 0600). */
export function saveGitGuardSnapshot(home: string, snapshot: GitGuardSnapshot): void {
	const path = gitGuardSnapshotPath(home, snapshot.agentId, snapshot.runId);
	mkdirSync(agentPaths(home, snapshot.agentId).logs, { recursive: true, mode: 0o700 });
	writeFileSync(`${path}.tmp`, JSON.stringify(snapshot), { mode: 0o600 });
	renameSync(`${path}.tmp`, path);
}

const strings = (value: unknown): value is string[] =>
	Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * The snapshot of a run: undefined when there is none (an unsandboxed run,
 * or checked already); throws when it is unreadable or malformed.
 */
export function readGitGuardSnapshot(
	home: string,
	agentId: string,
	runId: string,
): GitGuardSnapshot | undefined {
	let text: string;
	try {
		text = readFileSync(gitGuardSnapshotPath(home, agentId, runId), 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	const value = JSON.parse(text) as Partial<GitGuardSnapshot>;
	if (
		value.version !== 1 ||
		typeof value.since !== 'number' ||
		typeof value.complete !== 'boolean' ||
		!strings(value.roots) ||
		!strings(value.known) ||
		!strings(value.protected) ||
		(value.until !== undefined && typeof value.until !== 'number') ||
		(value.attempts !== undefined && typeof value.attempts !== 'number') ||
		(value.protectedIds !== undefined &&
			(!Array.isArray(value.protectedIds) || value.protectedIds.length !== value.protected.length))
	) {
		throw new Error('the git guard snapshot is malformed');
	}
	return { ...(value as GitGuardSnapshot), agentId, runId };
}
