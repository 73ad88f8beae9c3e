// The end-of-run git check's process, as the library runs it (see
// gitGuardCheckProcess.ts; the CLI bundles the same as dist/gitGuardCheck.js).
import { runGitGuardCheckChild } from './gitGuardCheckChild.js';

runGitGuardCheckChild().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
