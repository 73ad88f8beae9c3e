import { resolveHome } from '@agentspace/core';
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
	readonly env: Readonly<Record<string, string | undefined>>;
}

/** Builds the context from the parsed global options and the process environment. */
export function createContext(globals: GlobalOptions, env = process.env): CommandContext {
	const json = globals.json === true;
	return {
		home: resolveHome({ home: globals.home, env }),
		json,
		env,
		output: createOutput({
			json,
			color: shouldUseColor(process.stdout, env),
			progress: process.stderr.isTTY === true && env.TERM !== 'dumb',
		}),
	};
}
