import type { Command } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';

/** `agentspace ui`. */
export function registerUiCommand(program: Command, run: RunAction): void {
	program
		.command('ui')
		.description('open the admin web UI on 127.0.0.1 and print a one-time login link')
		.option('--port <port>', 'port on 127.0.0.1 to listen on (default 6767)')
		.option('--close', 'stop serving the UI (the daemon and its agents keep running)')
		.addHelpText(
			'after',
			`
The daemon hosts the UI (it is started when needed), on 127.0.0.1 only —
never another interface. Open the printed link in a browser on this machine:
it logs in once and expires after 5 minutes; run \`agentspace ui\` again for a
new one. Sessions end after 30 idle minutes, 8 hours, \`ui --close\` or a
daemon restart. Every action in the UI is the same library call as in the
CLI and is audited the same way; refused requests (no session, no CSRF token,
a foreign Origin or Host) are audited as security.denied.

Examples:
  $ agentspace ui                   serve on http://127.0.0.1:6767/ and print a login link
  $ agentspace ui --port 7000       serve on another port instead
  $ agentspace ui --json            the URL and login link for scripts
  $ agentspace ui --close           stop serving it`,
		)
		.action(lazyAction(run, () => import('./uiOpen.js'), 'uiOpen'));
}
