import { isAgentSpaceError, type Logger, printableLine } from '@agentspace/core';
import { asDamagedDatabaseError } from '@agentspace/db';
import { createCliLogger } from './cliLogger.js';
import { errorLines, stackLines } from './errorLines.js';
import { ExitCode, type ExitCodeValue, exitCodeFor } from './exitCodes.js';

/**
 * Prints an error as `error[CODE]: message` plus its hint on stderr and, in
 * `--json` mode, `{"error": {...}}` on stdout, then returns the exit code.
 * The only place errors become text: libraries only throw. `log`'s level
 * (`AGENTSPACE_LOG`) decides what reaches stderr: the error and its hint from
 * `error` down, an internal error's stack trace at `debug`, nothing when
 * `silent`. The exit code and the `--json` document never depend on it.
 * What reaches the terminal has its control characters and line separators
 * escaped (see errorLines); the `--json` document is JSON, escaped by JSON.
 */
export function reportError(
	error: unknown,
	json: boolean,
	log: Logger = createCliLogger(),
): ExitCodeValue {
	// A table dropped under a running command: a damaged database, not a bug.
	const damaged = isAgentSpaceError(error) ? undefined : asDamagedDatabaseError(error);
	if (damaged !== undefined) return reportError(damaged, json, log);
	const shown = log.enabled('error');
	if (isAgentSpaceError(error)) {
		if (shown) process.stderr.write(`${errorLines(error).join('\n')}\n`);
		if (json) writeJsonError(error.toJSON());
		return exitCodeFor(error.code);
	}
	const message = error instanceof Error ? error.message : String(error);
	if (shown) {
		process.stderr.write(`error[INTERNAL]: ${printableLine(message)}\n`);
		process.stderr.write(
			'hint: this is a bug in AgentSpace; rerun with AGENTSPACE_LOG=debug and report it with the output\n',
		);
	}
	// The stack as text, not a JSON log line: it is meant to be pasted into a bug report.
	if (log.enabled('debug') && error instanceof Error && error.stack) {
		process.stderr.write(`${stackLines(error).join('\n')}\n`);
	}
	if (json) writeJsonError({ code: 'INTERNAL', message });
	return ExitCode.Internal;
}

/** The `--json` form of an error on stdout: `{"error": {"code", "message", "hint"?, "issues"?}}`. */
export function writeJsonError(error: { code: string; message: string }): void {
	process.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
}
