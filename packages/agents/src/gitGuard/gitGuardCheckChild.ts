import { checkGitDirs, type GitFinding, MAX_LISTED_FINDINGS } from './checkGitDirs.js';
import { END_SCAN_LIMITS, type GitDirScanLimits } from './findGitDirs.js';
import type { GitGuardSnapshot } from './gitGuardSnapshot.js';
import { trustedExecutable } from './trustedExecutable.js';

/** What the supervisor sends the check's process on its stdin (one JSON document). */
export interface GitCheckRequest {
	readonly snapshot: GitGuardSnapshot;
	readonly limits?: GitDirScanLimits;
}

/**
 * One line the check's process prints on stdout: a finding as soon as it is
 * neutralised (the first {@link MAX_LISTED_FINDINGS} only: its output stays
 * bounded), then the summary. A process killed at its deadline has said what
 * it did so far.
 */
export type GitCheckLine =
	| { readonly finding: GitFinding }
	| {
			readonly done: {
				readonly count: number;
				readonly gitDirs: number;
				readonly complete: boolean;
				readonly incompleteBecause?: string;
			};
	  };

/** The longest finding line printed: the supervisor stops a check that prints too much. */
export const MAX_FINDING_LINE_BYTES = 16 * 1024;

/** `finding` small enough to print: its keys dropped, then its paths cut, past the bound. */
function boundedFinding(finding: GitFinding): GitFinding {
	if (JSON.stringify(finding).length <= MAX_FINDING_LINE_BYTES) return finding;
	const { unsafeKeys: _keys, ...rest } = finding;
	if (JSON.stringify(rest).length <= MAX_FINDING_LINE_BYTES) return rest;
	const cut = (text: string) => (text.length > 2000 ? `${text.slice(0, 2000)}…` : text);
	return { ...rest, path: cut(rest.path), quarantinedTo: cut(rest.quarantinedTo) };
}

const readStdin = async (): Promise<string> => {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
};

/**
 * The end-of-run git check's process (gitGuardCheckMain.js in the library,
 * gitGuardCheck.js in the CLI's bundle): reads a {@link GitCheckRequest} on
 * stdin, runs checkGitDirs, prints {@link GitCheckLine}s on stdout. The
 * supervisor audits and logs what it prints (gitGuardCheckProcess.ts).
 */
export async function runGitGuardCheckChild(): Promise<void> {
	const request = JSON.parse(await readStdin()) as GitCheckRequest;
	const { now: _ignored, ...limits } = request.limits ?? {};
	let listed = 0;
	const print = (line: GitCheckLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
	// Git from the PATH, but never one inside the writable paths (the agent's).
	const git =
		trustedExecutable('git', process.env.PATH, request.snapshot.roots) ?? '/nonexistent/git';
	const check = checkGitDirs(
		request.snapshot,
		{ ...END_SCAN_LIMITS, ...limits },
		(finding) => {
			if (listed >= MAX_LISTED_FINDINGS) return;
			listed += 1;
			print({ finding: boundedFinding(finding) });
		},
		git,
	);
	print({
		done: {
			count: check.count,
			gitDirs: check.gitDirs,
			complete: check.complete,
			...(check.incompleteBecause === undefined
				? {}
				: { incompleteBecause: check.incompleteBecause }),
		},
	});
}
