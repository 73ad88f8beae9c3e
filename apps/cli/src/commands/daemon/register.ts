import type { Command } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';

/** `agentspace daemon start|stop|status|run`. */
export function registerDaemonCommands(program: Command, run: RunAction): void {
	const daemon = program
		.command('daemon')
		.description('the supervisor that runs agents in the background')
		.addHelpText(
			'after',
			`
One daemon per AgentSpace home owns every agent started with \`agents run\`
(which starts it when needed): it captures their output, records their exits,
restarts them by their policy, and starts again the \`--restart always\` ones
that were running when it (or the machine) went down. The CLI talks to it over
<home>/run/daemon.sock (mode 0600) with the home's auth token; a request
without it is refused and audited as security.denied (a flood of them is
folded into a few entries with counts). A connection that has not sent its
whole request within 5 s is closed. At 512 connections waiting for their
request or being answered, the oldest one still waiting for its request (idle
or half-sent) is closed to make room, and audited as security.denied like a
refusal; a connection being answered is never closed early, and one already
answered does not count. The CLI sends its request at once and retries a
connection closed before its answer.

Examples:
  $ agentspace daemon start            start it in the background (a running one is left as is)
  $ agentspace daemon status --json    pid, memory, supervised agents
  $ agentspace daemon stop             stop every agent (recorded as stopped), then the daemon
  $ agentspace daemon run              run it in this terminal (Ctrl-C stops it and its agents)`,
		);
	daemon
		.command('start')
		.description('start the daemon in the background (log: <home>/logs/daemon.log)')
		.action(lazyAction(run, () => import('./daemonStart.js'), 'daemonStart'));
	daemon
		.command('stop')
		.description(
			'stop every agent the daemon runs (SIGTERM, SIGKILL after --timeout), then the daemon',
		)
		.option('--timeout <seconds>', 'grace period for each agent before SIGKILL (default 5)')
		.action(lazyAction(run, () => import('./daemonStop.js'), 'daemonStop'));
	daemon
		.command('status')
		.description('say whether the daemon runs: pid, uptime, memory, agents')
		.action(lazyAction(run, () => import('./daemonStatus.js'), 'daemonStatus'));
	daemon
		.command('run')
		.description('run the daemon in the foreground (what `start` runs in the background)')
		.action(lazyAction(run, () => import('./daemonRun.js'), 'daemonRun'));
}
