import type { Logger } from '@agentspace/core';
import { Command } from 'commander';
import type { RunAction } from './action.js';
import { createCliLogger } from './cliLogger.js';
import { registerAgentsCommands } from './commands/agents/register.js';
import { registerAuditCommands } from './commands/audit/register.js';
import { registerConfigCommands } from './commands/config/register.js';
import { registerDaemonCommands } from './commands/daemon/register.js';
import { registerDoctorCommand } from './commands/doctor/register.js';
import { registerEventsCommands } from './commands/events/register.js';
import { registerKeysCommands } from './commands/keys/register.js';
import { registerMcpCommand } from './commands/mcp/register.js';
import { registerSecretsCommands } from './commands/secrets/register.js';
import { registerToolsCommands } from './commands/tools/register.js';
import { registerUiCommand } from './commands/ui/register.js';
import type { GlobalOptions } from './context.js';

/**
 * Builds the `agentspace` command tree. `run` wraps every action (context,
 * errors, exit code); `log`'s level decides whether usage errors are printed.
 */
export function buildProgram(
	version: string,
	run: RunAction,
	log: Logger = createCliLogger(),
): Command {
	const program = new Command('agentspace')
		.description('AgentSpace: a local-first control plane for AI agents')
		.version(version, '-V, --version', 'print the version')
		.option('--home <dir>', 'AgentSpace home (default: $AGENTSPACE_HOME or ~/.config/agentspace)')
		.option('--json', 'print machine-readable JSON on stdout')
		.helpOption('-h, --help', 'show help')
		.configureHelp({ showGlobalOptions: true })
		.showSuggestionAfterError(true)
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace doctor                     check that everything AgentSpace needs is in place
  $ agentspace agents discover            find agent manifests under ~/Projects
  $ agentspace agents install <git-url>   install an agent (runs none of its code)
  $ agentspace config get                 show the configuration
  $ agentspace audit list --since 1d      what happened in the last day
  $ agentspace audit verify               check the audit log has not been tampered with
  $ agentspace events tail                follow the event log as it grows

Environment:
  AGENTSPACE_HOME   the home directory (overridden by --home)
  AGENTSPACE_LOG    log level on stderr: debug, info, warn (default), error, silent
  NO_COLOR          disable colour

Exit codes are listed in specs/cli.md.`,
		)
		// Set before the subcommands exist: commander copies these settings into
		// each subcommand when it is created.
		.exitOverride()
		.configureOutput({
			outputError: (message, write) => {
				if (!log.enabled('error')) return;
				write(message.replace(/^error: /, 'error[USAGE]: '));
				write('hint: run the command with --help to see its usage and examples\n');
			},
		});
	registerDoctorCommand(program, run);
	registerConfigCommands(program, run);
	registerAuditCommands(program, run);
	registerEventsCommands(program, run);
	registerAgentsCommands(program, run);
	registerToolsCommands(program, run);
	registerMcpCommand(program, run);
	registerKeysCommands(program, run);
	registerSecretsCommands(program, run);
	registerDaemonCommands(program, run);
	registerUiCommand(program, run);
	return program;
}

/** The global options as seen from any (sub)command. */
export function globalOptions(command: Command): GlobalOptions {
	return command.optsWithGlobals<GlobalOptions>();
}
