import { type Command, CommanderError } from 'commander';
import type { RunAction } from './action.js';
import { createCliLogger } from './cliLogger.js';
import { createContext } from './context.js';
import { ExitCode } from './exitCodes.js';
import { buildProgram, globalOptions } from './program.js';
import { reportError, writeJsonError } from './reportError.js';

/** Runs the CLI with `argv` (as in `process.argv`) and resolves to the exit code. */
export async function main(argv: readonly string[], version: string): Promise<number> {
	let exitCode: number = ExitCode.Ok;
	let json = argv.includes('--json');
	const log = createCliLogger();

	const run: RunAction = async (command, action) => {
		const globals = globalOptions(command);
		json = globals.json === true;
		const name = commandName(command);
		const started = performance.now();
		log.info('command started', { command: name, version });
		try {
			const ctx = createContext(globals, process.env, log);
			log.debug('home', { home: ctx.home, json });
			exitCode = (await action(ctx)) ?? ExitCode.Ok;
		} catch (error) {
			exitCode = reportError(error, json, log);
		}
		log.info('command finished', {
			command: name,
			exitCode,
			durationMs: Math.round(performance.now() - started),
		});
	};

	const program = buildProgram(version, run, log);

	if (argv.length <= 2) {
		program.outputHelp();
		return ExitCode.Ok;
	}
	try {
		await program.parseAsync(argv);
	} catch (error) {
		if (error instanceof CommanderError) {
			const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
			if (benign.includes(error.code)) return ExitCode.Ok;
			// commander has printed `error[USAGE]: …` on stderr; scripts also get it as JSON.
			if (json) writeJsonError({ code: 'USAGE', message: error.message.replace(/^error: /, '') });
			return ExitCode.Usage;
		}
		return reportError(error, json, log);
	}
	return exitCode;
}

/** `agents list` for the command `agentspace agents list`. */
function commandName(command: Command): string {
	const names: string[] = [];
	for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
	return names.join(' ');
}
