import { createLogger, type Logger } from '@agentspace/core';

/**
 * The CLI's logger: its level comes from `AGENTSPACE_LOG` (debug, info, warn
 * — the default — error, silent; anything else is warn), its lines go to
 * stderr. The level governs everything the CLI writes on stderr, not only the
 * log's own JSON lines:
 *
 * - `error`: `error[CODE]: …` and its hint (reportError, usage errors);
 * - `warn`: notes, warnings and progress (`Output.note`, `Output.progress`);
 * - `info`: one JSON log line as each command starts and ends;
 * - `debug`: the home in use and the stack trace of an internal error;
 * - `silent`: nothing. Exit codes, stdout and `--json` documents do not change,
 *   and questions asked on a terminal are still asked.
 *
 * At the default level the CLI writes exactly what it wrote before it had levels.
 */
export function createCliLogger(
	env: Readonly<Record<string, string | undefined>> = process.env,
): Logger {
	return createLogger('agentspace', { env });
}
