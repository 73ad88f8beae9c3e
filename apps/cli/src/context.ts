import { type Logger, resolveHome } from '@agentspace/core';
import { createCliLogger } from './cliLogger.js';
import { createOutput, type Output, shouldUseColor } from './output.js';

/** Options every command accepts (defined on the root program). */
export interface GlobalOptions {
	readonly home?: string;
	readonly json?: boolean;
}

/** What a command action receives: where the home is and how to write output. */
export interface CommandContext {
	/** The resolved AgentSpace home (may not exist yet). */
	readonly home: string;
	readonly json: boolean;
	readonly output: Output;
	/** The log on stderr, at the `AGENTSPACE_LOG` level; it also decides whether notes are shown. */
	readonly log: Logger;
	readonly env: Readonly<Record<string, string | undefined>>;
}

/** Builds the context from the parsed global options and the process environment. */
export function createContext(
	globals: GlobalOptions,
	env = process.env,
	log: Logger = createCliLogger(env),
): CommandContext {
	const json = globals.json === true;
	return {
		home: resolveHome({ home: globals.home, env }),
		json,
		env,
		log,
		output: createOutput({
			json,
			color: shouldUseColor(process.stdout, env),
			progress: process.stderr.isTTY === true && env.TERM !== 'dumb',
			notes: log.enabled('warn'),
		}),
	};
}
