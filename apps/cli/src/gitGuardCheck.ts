// The end-of-run git check's process: one per sandboxed run's end, started by
// the supervisor (see @agentspace/agents' gitGuardCheckProcess), bundled on its
// own so that it loads only the check. The package's `./git-guard-check` entry.
import { runGitGuardCheckChild } from '@agentspace/agents/git-guard-check';

runGitGuardCheckChild().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
});
