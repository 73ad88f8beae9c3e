import { checkGitDirs, type GitFinding, MAX_LISTED_FINDINGS } from './checkGitDirs.js';
import { END_SCAN_LIMITS, type GitDirScanLimits } from './findGitDirs.js';
import type { GitGuardSnapshot } from './gitGuardSnapshot.js';

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
	const check = checkGitDirs(request.snapshot, { ...END_SCAN_LIMITS, ...limits }, (finding) => {
		if (listed >= MAX_LISTED_FINDINGS) return;
		listed += 1;
		print({ finding });
	});
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
