import { spawn } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAtOrBelow } from '../sandbox/pathWithin.js';
import type { GitCheck, GitFinding } from './checkGitDirs.js';
import type { GitCheckLine, GitCheckRequest } from './gitGuardCheckChild.js';
import { trustedExecutable } from './trustedExecutable.js';

/**
 * How long the end-of-run check may take in all (its scan stops itself at 30
 * s, END_SCAN_LIMITS): a check still running then is killed, and the run is
 * reported as not fully checked (`security.git_unchecked`).
 */
export const GIT_CHECK_DEADLINE_MS = 60_000;

/** The most the supervisor reads of the check's output (its lines are bounded). */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
/** How long the pipes may stay open after the deadline's kill before the check stops waiting for them. */
const STRAGGLER_GRACE_MS = 1000;

/**
 * The check's program: the library's `dist/gitGuard/gitGuardCheckMain.js`
 * beside this module; from the sources (tests), the built library's; in the
 * CLI's bundle, `dist/gitGuardCheck.js` one or two levels above the bundle
 * that holds this code. Undefined when there is none.
 */
export function gitGuardCheckScript(): string | undefined {
	const here = dirname(fileURLToPath(import.meta.url));
	return [
		join(here, 'gitGuardCheckMain.js'),
		join(here, '..', '..', 'dist', 'gitGuard', 'gitGuardCheckMain.js'),
		join(here, '..', 'gitGuardCheck.js'),
		join(here, '..', '..', 'gitGuardCheck.js'),
	].find((path) => existsSync(path));
}

/** What {@link runGitGuardCheck} takes beyond the request. */
export interface GitCheckProcessOptions {
	/** Milliseconds before the check is killed (default {@link GIT_CHECK_DEADLINE_MS}). */
	readonly deadlineMs?: number;
	/** The check's program (default {@link gitGuardCheckScript}). */
	readonly script?: string;
	/**
	 * bubblewrap's path, to run the check inside it (see checkSandboxArgv);
	 * default: `bwrap` on the PATH, on Linux (resolved, never one inside the run's writable paths). `false`: the check runs as a
	 * plain process (macOS, where runs are sandboxed otherwise).
	 */
	readonly bwrap?: string | false;
	/** A folder to hide from the check (the AgentSpace home: it needs nothing there). */
	readonly hide?: string;
}

/**
 * bubblewrap's arguments to run `command` with the file system read-only but
 * for `roots` — the run's writable paths, the only places the check works
 * in — with `hide` replaced by an empty folder (unless `command` lives there),
 * no network and no capabilities, killed with its parent. Whatever symlinks
 * the agent planted, the check can then only write where the agent itself
 * could: a symlink out of the roots leads to something read-only.
 */
export function checkSandboxArgv(
	roots: readonly string[],
	command: readonly string[],
	hide?: string,
): string[] {
	const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
	if (hide !== undefined && existsSync(hide) && command.every((part) => !isAtOrBelow(part, hide))) {
		args.push('--tmpfs', hide);
	}
	for (const root of roots) {
		// A writable path that does not exist holds nothing to check (bwrap cannot bind it).
		try {
			lstatSync(root);
		} catch {
			continue;
		}
		args.push('--bind', root, root);
	}
	args.push('--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL');
	return [...args, '--', ...command];
}

/**
 * Runs the end-of-run check (checkGitDirs) in a process of its own and
 * resolves with what it did: the supervisor's event loop never waits for
 * the file system or git (a huge config, a folder of millions of entries, a
 * FIFO), and one overall deadline bounds the whole check. Never rejects: a
 * check killed at its deadline, or that failed, resolves incomplete, with
 * the findings it had reported by then.
 */
export function runGitGuardCheck(
	request: GitCheckRequest,
	options: GitCheckProcessOptions = {},
): Promise<GitCheck> {
	const deadlineMs = options.deadlineMs ?? GIT_CHECK_DEADLINE_MS;
	const script = options.script ?? gitGuardCheckScript();
	if (script === undefined) {
		return Promise.resolve({
			findings: [],
			count: 0,
			gitDirs: 0,
			complete: false,
			incompleteBecause:
				'the check could not run: its program (gitGuardCheckMain.js) was not found',
		});
	}
	const bwrap =
		options.bwrap ??
		(process.platform === 'linux'
			? trustedExecutable('bwrap', process.env.PATH, request.snapshot.roots)
			: undefined);
	const [command, ...args] =
		bwrap === undefined || bwrap === false
			? [process.execPath, script]
			: [
					bwrap,
					...checkSandboxArgv(request.snapshot.roots, [process.execPath, script], options.hide),
				];
	return new Promise((resolve) => {
		const child = spawn(command as string, args, {
			cwd: '/',
			// Git (which parses configs) from PATH; nothing else of the caller's.
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		const findings: GitFinding[] = [];
		let done: Extract<GitCheckLine, { done: unknown }>['done'] | undefined;
		let pending = '';
		let bytes = 0;
		let stderr = '';
		let killedAtDeadline = false;
		let stragglers: NodeJS.Timeout | undefined;
		const timer = setTimeout(() => {
			killedAtDeadline = true;
			child.kill('SIGKILL');
			// A process bwrap had started but not yet tied to its own life (its
			// death signal is set just after the fork) may outlive it and keep the
			// pipes open: the deadline holds regardless, so stop waiting for them.
			stragglers = setTimeout(() => {
				child.stdout.destroy();
				child.stderr.destroy();
				finish(`the check did not finish within ${deadlineMs / 1000} s and was stopped`);
			}, STRAGGLER_GRACE_MS);
		}, deadlineMs);
		const take = (line: string) => {
			if (line === '') return;
			try {
				const parsed = JSON.parse(line) as GitCheckLine;
				if ('finding' in parsed) findings.push(parsed.finding);
				else if ('done' in parsed) done = parsed.done;
			} catch {
				// Not the check's line: ignored (the summary decides).
			}
		};
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			bytes += chunk.length;
			if (bytes > MAX_OUTPUT_BYTES) {
				child.kill('SIGKILL');
				return;
			}
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop() as string;
			for (const line of lines) take(line);
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			if (stderr.length < 2000) stderr += chunk;
		});
		// A child killed before reading its request: the write fails, the exit says why.
		child.stdin.on('error', () => {});
		child.stdin.end(JSON.stringify(request));
		let finished = false;
		const finish = (failure: string | undefined) => {
			if (finished) return;
			finished = true;
			clearTimeout(timer);
			clearTimeout(stragglers);
			take(pending);
			pending = '';
			if (done !== undefined && failure === undefined) {
				resolve({ findings, ...done });
				return;
			}
			resolve({
				findings,
				count: Math.max(findings.length, done?.count ?? 0),
				gitDirs: done?.gitDirs ?? 0,
				complete: false,
				incompleteBecause: failure ?? 'the check ended without saying what it did',
			});
		};
		child.once('error', (error) => finish(`the check could not run: ${error.message}`));
		child.once('close', (code, signal) => {
			if (killedAtDeadline) {
				finish(`the check did not finish within ${deadlineMs / 1000} s and was stopped`);
			} else if (bytes > MAX_OUTPUT_BYTES) {
				finish('the check printed more than it may and was stopped');
			} else if (code !== 0 || done === undefined) {
				const why = stderr.trim().split('\n').at(-1) ?? '';
				finish(
					`the check failed (${signal ?? `exit ${code}`})${why === '' ? '' : `: ${why.slice(0, 300)}`}`,
				);
			} else {
				finish(undefined);
			}
		});
	});
}
