import { rmSync } from 'node:fs';
import { printableLine } from '@agentspace/core';
import { type AgentSpaceDb, appendAuditRecord, withImmediateTransaction } from '@agentspace/db';
import { runLogPath } from '../logs/readRunLog.js';
import { RotatingLog } from '../logs/rotatingLog.js';
import type { GitCheck } from './checkGitDirs.js';
import type { GitDirScanLimits } from './findGitDirs.js';
import { type GitCheckProcessOptions, runGitGuardCheck } from './gitGuardCheckProcess.js';
import {
	type GitGuardSnapshot,
	gitGuardSnapshotPath,
	readGitGuardSnapshot,
	saveGitGuardSnapshot,
	writeGitGuardSnapshot,
} from './gitGuardSnapshot.js';
import type { GitProtection } from './protectGitDirs.js';

/** The actor of the end-of-run check's audit entries: AgentSpace itself. */
export const GIT_GUARD_ACTOR = { type: 'system', id: 'agentspace-git-guard' } as const;

/** At most this many paths are named in one audit entry (the count is always exact). */
const MAX_AUDITED_PATHS = 100;

/**
 * A run's git check is tried at most this many times (the end of the run,
 * then at daemon starts): a run that can never be checked in full (a bound it
 * always reaches) is then given up, said once, not audited at every start.
 */
export const MAX_GIT_CHECK_ATTEMPTS = 3;

/** What {@link beginGitGuard} needs. */
export interface BeginGitGuardOptions {
	readonly home: string;
	readonly agentId: string;
	readonly runId: string;
	readonly protection: GitProtection;
	/** Writes one line of AgentSpace's own to the run's log. */
	readonly note?: (text: string) => void;
}

/**
 * Before a sandboxed run starts: keeps its git snapshot where the agent
 * cannot reach it (see GitGuardSnapshot), and says in the run's log when the
 * start scan stopped at its bound.
 */
export function beginGitGuard(options: BeginGitGuardOptions): void {
	writeGitGuardSnapshot(options.home, options.agentId, options.runId, options.protection);
	const { protection } = options;
	if (!protection.complete) {
		options.note?.(
			`git guard: the protection of git repositories in the writable paths ${protection.incompleteBecause}; ${protection.gitDirs.length} repositories are read-only in the sandbox, any others are checked when the run ends`,
		);
	}
}

/** What {@link finishGitGuard} needs. */
export interface FinishGitGuardOptions {
	readonly db: AgentSpaceDb;
	readonly home: string;
	readonly agentId: string;
	readonly runId: string;
	readonly sourceApp?: string;
	/** Each line written to the run's log (a foreground run shows them). */
	readonly onLine?: (stream: string, text: string) => void;
	readonly limits?: GitDirScanLimits;
	/** The check's process: its deadline, its program (see runGitGuardCheck). */
	readonly process?: GitCheckProcessOptions;
	/** A check again of a run whose earlier check was incomplete (see recheckGitGuards): its start is not audited twice. */
	readonly retry?: boolean;
}

const q = (text: string) => JSON.stringify(text);

/**
 * After a sandboxed run ended (its processes gone), or when a lost run is
 * reconciled: runs the end-of-run check against the run's snapshot in a
 * process of its own, with one overall deadline (runGitGuardCheck: the
 * caller's event loop keeps running meanwhile), neutralising what the agent
 * planted (checkGitDirs), audits it as
 * `security.git_neutralised` (severity `security`) and writes it in the run's
 * log; a check that could not see everything is audited as
 * `security.git_unchecked` (so is one killed at its deadline), and its
 * snapshot kept, with the run's end and the attempts so far, so the next
 * daemon start checks it again (recheckGitGuards) — up to
 * {@link MAX_GIT_CHECK_ATTEMPTS} checks in all, after which a last
 * `security.git_unchecked` (`final: true`, with the paths to look at) says
 * it is given up;
 * a start scan that was incomplete is audited as `security.git_unprotected`.
 * A run checked in full has its snapshot removed: it is checked once. Returns undefined when the run has no snapshot (unsandboxed, or
 * checked already). Never throws: a failure is audited and logged.
 */
export async function finishGitGuard(
	options: FinishGitGuardOptions,
): Promise<GitCheck | undefined> {
	const { agentId, runId } = options;
	const lines: string[] = [];
	let check: GitCheck | undefined;
	let failure: string | undefined;
	let snapshot: GitGuardSnapshot | undefined;
	let giveUp = false;
	try {
		snapshot = readGitGuardSnapshot(options.home, agentId, runId);
		if (snapshot === undefined) return undefined;
		// The run's end: now, at its first check (its processes are gone); a
		// check again keeps the first one's (see GitGuardSnapshot.until).
		snapshot = { ...snapshot, until: snapshot.until ?? Date.now() };
		const { now: _clock, ...limits } = options.limits ?? {};
		check = await runGitGuardCheck(
			{ snapshot, ...(options.limits === undefined ? {} : { limits }) },
			{ hide: options.home, ...options.process },
		);
	} catch (error) {
		failure = `the check failed: ${(error as Error).message}`;
	}
	const audit = (eventType: string, metadata: Record<string, unknown>) => {
		try {
			withImmediateTransaction(options.db, (tx) =>
				appendAuditRecord(tx, {
					eventType,
					actor: GIT_GUARD_ACTOR,
					severity: 'security',
					subject: { type: 'agent', id: agentId },
					...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
					metadata: JSON.parse(JSON.stringify(metadata)) as Record<string, never>,
				}),
			);
		} catch (error) {
			lines.push(
				`git guard: could not record ${eventType} in the audit log: ${(error as Error).message}`,
			);
		}
	};
	try {
		// A start scan that stopped at its bound left repositories unprotected
		// during the run: a security fact of the run, audited (not only logged).
		if (snapshot?.complete === false && options.retry !== true) {
			const reason = snapshot.incompleteBecause ?? 'the start scan was incomplete';
			audit('security.git_unprotected', { runId, reason });
			lines.push(
				`git guard: repositories in the writable paths were not all protected during the run (${reason}); the end-of-run check disables every commondir made during the run`,
			);
		}
		if (check !== undefined && check.count > 0) {
			audit('security.git_neutralised', {
				runId,
				count: check.count,
				neutralised: check.findings.slice(0, MAX_AUDITED_PATHS),
				complete: check.complete,
			});
			for (const finding of check.findings) {
				const keys = finding.unsafeKeys?.length
					? ` (${finding.unsafeKeys.map(q).join(', ')}${(finding.unsafeKeyCount ?? 0) > finding.unsafeKeys.length ? `, ${(finding.unsafeKeyCount ?? 0) - finding.unsafeKeys.length} more` : ''})`
					: '';
				lines.push(
					`git guard: ${finding.kind} ${q(finding.path)} was planted during the run${keys}: moved to ${q(finding.quarantinedTo)}${finding.replaced ? ', replaced by its safe entries' : ''}`,
				);
			}
			if (check.count > check.findings.length) {
				lines.push(
					`git guard: ${check.count - check.findings.length} more files planted during the run were disabled the same way`,
				);
			}
		}
		const unchecked = failure ?? (check?.complete === false ? check.incompleteBecause : undefined);
		if (unchecked !== undefined) {
			const attempts = (snapshot?.attempts ?? 0) + 1;
			// An unreadable snapshot counts nothing: it stays, for the user to look at.
			if (snapshot === undefined || attempts < MAX_GIT_CHECK_ATTEMPTS) {
				audit('security.git_unchecked', { runId, reason: unchecked, attempts });
				lines.push(
					`git guard: the end-of-run check of the writable paths ${unchecked}: repositories beyond it were not checked for planted hooks or config; the next daemon start checks again`,
				);
				try {
					if (snapshot !== undefined) saveGitGuardSnapshot(options.home, { ...snapshot, attempts });
				} catch (error) {
					lines.push(
						`git guard: could not record the run's end and attempts in its snapshot: ${(error as Error).message}`,
					);
				}
			} else {
				giveUp = true;
				const roots = snapshot?.roots ?? [];
				audit('security.git_unchecked', {
					runId,
					reason: unchecked,
					attempts,
					final: true,
					roots,
					hint: `not checked again: look at the hooks/ and config of the git repositories in these paths (files changed during the run), or run the agent again with fewer or smaller writable paths`,
				});
				lines.push(
					`git guard: the check of the writable paths ${unchecked}, ${attempts} times: it will not be tried again; look at the hooks/ and config of the git repositories in ${roots.map(q).join(', ')} for files changed during the run`,
				);
			}
		}
	} finally {
		try {
			if (lines.length > 0) {
				const log = new RotatingLog(
					runLogPath(options.home, agentId, runId),
					{},
					[],
					options.onLine,
				);
				for (const line of lines) log.note(printableLine(line));
				log.close();
			}
			// Checked in full, or given up: done. Otherwise the snapshot stays
			// (its end and attempts recorded), and the next daemon start checks
			// the run again (recheckGitGuards).
			if ((check?.complete === true && failure === undefined) || giveUp) {
				rmSync(gitGuardSnapshotPath(options.home, agentId, runId), { force: true });
			}
		} catch {
			// The audit entry is the record; a log that cannot be written loses only the copy.
		}
	}
	return check;
}
