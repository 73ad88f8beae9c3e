import type { Command } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';
import { CONFIG_KEYS } from './configKeys.js';

const KEYS = CONFIG_KEYS.join(', ');

/** `agentspace config get|set|path`. */
export function registerConfigCommands(program: Command, run: RunAction): void {
	const config = program
		.command('config')
		.description('show and change config.json')
		.addHelpText(
			'after',
			`
Keys: ${KEYS}

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
		.addHelpText(
			'after',
			`
Keys: ${KEYS}

Examples:
  $ agentspace config get
  $ agentspace config get apiEndpoint.port
  $ agentspace config get --json`,
		)
		.action(lazyAction(run, () => import('./configGet.js'), 'configGet'));
	config
		.command('set <key> <value>')
		.description('change one key (validated, written atomically, audited)')
		.addHelpText(
			'after',
			`
Keys and values:
  securityMode         full-control | limited-control   (audited as mode_changed)
  apiEndpoint.port     1-65535
  apiEndpoint.host     127.0.0.1 only
  scanRoots            comma-separated paths, or a JSON list
  tools.callTimeoutMs  1000-3600000: a tool call's default timeout, ms (daemon's next start)
  tools.callLogRetentionDays
                       1-3650: days the tool call log keeps (pruned daily by the daemon)
  tools.pingIntervalMs 1000-600000: ms between the daemon's health pings of an
                       MCP agent; 3 missed make it unhealthy (agents connected after the change)
  onboardingComplete   true | false
  createdAt            read-only

Examples:
  $ agentspace config set securityMode full-control
  $ agentspace config set apiEndpoint.port 4000
  $ agentspace config set tools.callTimeoutMs 120000
  $ agentspace config set scanRoots ~/Projects,~/agents
  $ agentspace config set scanRoots '["~/Projects","~/work agents"]'`,
		)
		.action(lazyAction(run, () => import('./configSet.js'), 'configSet'));
	config
		.command('path')
		.description('print the path of config.json')
		.action(lazyAction(run, () => import('./configPath.js'), 'configPathCommand'));
}
