import type { Command } from 'commander';
import { loadCommand, type RunAction } from '../../program.js';

/** `agentspace config get|set|path`. */
export function registerConfigCommands(program: Command, run: RunAction): void {
	const config = program
		.command('config')
		.description('show and change config.json')
		.addHelpText(
			'after',
			`
Keys: securityMode, apiEndpoint.host, apiEndpoint.port, scanRoots, onboardingComplete, createdAt

Examples:
  $ agentspace config get
  $ agentspace config get securityMode
  $ agentspace config set securityMode full-control     (audited as mode_changed)
  $ agentspace config set scanRoots ~/Projects,~/agents
  $ agentspace config path`,
		);
	config
		.command('get [key]')
		.description('print the whole configuration, or one key')
		.action((key: string | undefined, _options, command: Command) =>
			run(command, async (ctx) =>
				(
					await loadCommand<typeof import('./configGet.js')>('commands/config/configGet.js')
				).configGet(ctx, key),
			),
		);
	config
		.command('set <key> <value>')
		.description('change one key (validated, written atomically, audited)')
		.action((key: string, value: string, _options, command: Command) =>
			run(command, async (ctx) =>
				(
					await loadCommand<typeof import('./configSet.js')>('commands/config/configSet.js')
				).configSet(ctx, key, value),
			),
		);
	config
		.command('path')
		.description('print the path of config.json')
		.action((_options, command: Command) =>
			run(command, async (ctx) =>
				(
					await loadCommand<typeof import('./configPath.js')>('commands/config/configPath.js')
				).configPathCommand(ctx),
			),
		);
}
