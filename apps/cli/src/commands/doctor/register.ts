import type { Command } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';

/** `agentspace doctor`. */
export function registerDoctorCommand(program: Command, run: RunAction): void {
	program
		.command('doctor')
		.description('set up the home if needed and check everything AgentSpace needs')
		.addHelpText(
			'after',
			`
Checks: node, home, config, database (schema version), keychain (or file fallback),
keys (where provider keys and secrets are kept), git, and the OS sandbox
(bubblewrap + socat + ripgrep on Linux, Seatbelt on macOS).
Exits 0 when nothing failed (warnings allowed), 11 when a check failed.

Examples:
  $ agentspace doctor
  $ agentspace doctor --json | jq '.checks[] | select(.status != "ok")'`,
		)
		.action(lazyAction(run, () => import('./runDoctor.js'), 'runDoctor'));
}
