import { type Command, Option } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** `agentspace agents discover|list|info|install|build|enable|revoke|check|uninstall`. */
export function registerAgentsCommands(program: Command, run: RunAction): void {
	const agents = program
		.command('agents')
		.description('find, install, build, approve, run and stop agents')
		.addHelpText(
			'after',
			`
Lifecycle: discover → install → build → enable → run ⇄ stop.
Only build runs an agent's code, and only after you confirm it.

Examples:
  $ agentspace agents discover                         scan ~/Projects for agentspace.agent.json
  $ agentspace agents install https://example.com/me/echo.git --ref v1.2.0
  $ agentspace agents build echo --yes                  run its build steps (shown first)
  $ agentspace agents enable echo --approve filesystem:read:~/notes
  $ agentspace agents run echo                          in the sandbox, in the background
  $ agentspace agents logs echo --follow
  $ agentspace agents stop echo
  $ agentspace agents list`,
		);

	agents
		.command('discover')
		.description('scan for agent manifests and update the catalogue (runs no agent code)')
		.option(
			'--root <dir>',
			'scan this directory instead of the configured roots (repeatable)',
			collect,
		)
		.option('--max-depth <n>', 'how many directory levels below each root to look (default 6)')
		.addHelpText(
			'after',
			`
Scans the configured roots (config key scanRoots, default ~/Projects) and the
home's agents/ for agentspace.agent.json files. node_modules and .git are
skipped, symlinks out of a root are not followed, and an invalid manifest is
reported with every error without stopping the scan. New manifests are
recorded as agent_discovered, changed ones as agent_updated.

Examples:
  $ agentspace agents discover
  $ agentspace agents discover --root ~/work --max-depth 3
  $ agentspace agents discover --json | jq '.invalid'`,
		)
		.action(lazyAction(run, () => import('./agentsDiscover.js'), 'agentsDiscover'));

	agents
		.command('list')
		.alias('ls')
		.description('show the catalogue: id, name, version, status, build and approval state')
		.option('--all', 'include uninstalled agents')
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace agents list
  $ agentspace agents list --json | jq -r '.agents[] | select(.approval == "drifted") | .id'`,
		)
		.action(lazyAction(run, () => import('./agentsList.js'), 'agentsList'));

	agents
		.command('info')
		.description('show one agent: manifest, checkout, build, requested and approved permissions')
		.argument('<id>', 'the agent id')
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace agents info echo
  $ agentspace agents info echo --json | jq .approvedPermissions`,
		)
		.action(lazyAction(run, () => import('./agentsInfo.js'), 'agentsInfo'));

	agents
		.command('install')
		.description(
			'clone an agent into the home at a ref and record its commit (runs no code from it)',
		)
		.argument(
			'<source>',
			'a git URL (https://, ssh://, file://, user@host:path), a directory, or a catalogue id',
		)
		.option('--ref <ref>', 'branch, tag or commit to install (default: the default branch)')
		.addHelpText(
			'after',
			`
Clones into <home>/agents/<id>/src with hooks, ext:: transports and your git
config switched off; a failed install leaves the previous one (or nothing) in
place. Installing an installed agent again upgrades it in place, and says so
when the permissions it requests changed (it must then be enabled again).

Examples:
  $ agentspace agents install https://example.com/me/echo.git
  $ agentspace agents install ~/Projects/echo --ref main
  $ agentspace agents install echo --ref v2.0.0          upgrade from where it came from`,
		)
		.action(lazyAction(run, () => import('./agentsInstall.js'), 'agentsInstall'));

	agents
		.command('build')
		.description("run an agent's build steps: its own code (shown first, then confirmed)")
		.argument('<id>', 'the agent id')
		.option('-y, --yes', 'run the steps without asking (required when not on a terminal)')
		.option('--timeout <seconds>', 'kill a step that runs longer than this (default 600)')
		.option('--verbose', 'print the build output as it comes (it always goes to the build log)')
		.addHelpText(
			'after',
			`
This is the trust boundary: build steps execute the agent's code as you. They
run in the checkout with only PATH, LANG, TZ and a HOME and TMPDIR inside the
agent's directory; output goes to <home>/logs/<id>/build.log (bounded,
redacted). Audited as code execution.

Examples:
  $ agentspace agents build echo                  shows the steps and asks
  $ agentspace agents build echo --yes --verbose  in scripts and CI`,
		)
		.action(lazyAction(run, () => import('./agentsBuild.js'), 'agentsBuild'));

	agents
		.command('enable')
		.description('approve some or all of the permissions an agent requests')
		.argument('<id>', 'the agent id')
		.option('--all', 'approve every requested permission')
		.option(
			'--approve <permissions>',
			'approve these (comma-separated; repeatable); narrower paths allowed',
			collect,
		)
		.option('--none', 'enable with no permissions approved')
		.option(
			'--remember',
			'remember every approved llm:<provider>: in limited-control its first use in a run needs no approval',
		)
		.addHelpText(
			'after',
			`
Deny by default: only what you choose is approved. On a terminal, with no
option, you get a checklist. Approving a permission the manifest does not
request is refused and audited. The approval is bound to the manifest: if it
changes, the agent cannot run until you enable it again.

llm:<provider> lets the agent send requests to that provider through
AgentSpace's endpoint, with your key, which it never sees. In limited-control
each run's first use of a provider waits for \`agentspace keys approve\`,
unless you approved it with --remember.

Examples:
  $ agentspace agents enable echo
  $ agentspace agents enable echo --all
  $ agentspace agents enable echo --approve filesystem:read:~/notes/today.md,env:read:ECHO_GREETING
  $ agentspace agents enable writer --approve llm:anthropic --remember`,
		)
		.action(lazyAction(run, () => import('./agentsEnable.js'), 'agentsEnable'));

	agents
		.command('revoke')
		.description("withdraw an agent's approval (it cannot run until enabled again)")
		.argument('<id>', 'the agent id')
		.option('--reason <text>', 'why, for the audit log')
		.addHelpText(
			'after',
			'\nExamples:\n  $ agentspace agents revoke echo --reason "no longer needed"',
		)
		.action(lazyAction(run, () => import('./agentsRevoke.js'), 'agentsRevoke'));

	agents
		.command('check')
		.description(
			'say whether an agent may run now, and if not, what to do (the launcher runs the same check)',
		)
		.argument('<id>', 'the agent id')
		.addHelpText(
			'after',
			`
Exit codes: 0 ready; 3 unknown agent; 4 not installed or not built; 5 not
enabled, or PERMISSION_DRIFT (the manifest changed since approval).

Examples:
  $ agentspace agents check echo
  $ agentspace agents check echo --json`,
		)
		.action(lazyAction(run, () => import('./agentsCheck.js'), 'agentsCheck'));

	agents
		.command('run')
		.description(
			'run an agent in the OS sandbox (after the same checks as `check`): in the background, or --foreground',
		)
		.argument('<id>', 'the agent id')
		.option(
			'--foreground',
			'supervise it from this terminal until Ctrl-C, without the daemon (containers, CI)',
		)
		.addOption(
			new Option('--restart <policy>', 'when to start it again')
				.choices(['no', 'on-failure', 'always'])
				.default('no'),
		)
		.option(
			'--unsandboxed',
			'run without the OS sandbox (only when asked; audited with severity security)',
		)
		.option(
			'--grace <seconds>',
			'--foreground: on Ctrl-C, how long to wait after SIGTERM before SIGKILL (default 5)',
		)
		.addHelpText(
			'after',
			`
Runs the manifest's entrypoint as its own process group inside the OS sandbox
(bubblewrap on Linux, Seatbelt on macOS): it may write only to its data
directory (<home>/agents/<id>/data) and approved filesystem:write paths, cannot
read your credential stores (~/.ssh, ~/.aws, ~/.gnupg…) or the AgentSpace home,
and reaches only approved network:egress hosts (through a proxy: HTTPS_PROXY).
Its environment: PATH, LANG, TZ, a HOME and TMPDIR in its data directory,
AGENTSPACE_AGENT_ID, AGENTSPACE_RUN_ID, AGENTSPACE_SESSION_TOKEN,
AGENTSPACE_SOCKET, and only the env:read variables you approved.

Without --foreground the daemon runs it (started when needed) and this command
returns; output goes to <home>/logs/<id>/<run-id>.log (redacted, rotated at
10 MB keeping 5). Restarts back off x1.5 up to 15 s; more than 16 crashes
within a second of starting and it is given up as errored.

Examples:
  $ agentspace agents run hello-agent
  $ agentspace agents run hello-agent --restart always
  $ agentspace agents run hello-agent --foreground --restart on-failure --json
  $ agentspace agents run hello-agent --unsandboxed      (no sandbox here; audited)`,
		)
		.action(lazyAction(run, () => import('./agentsRun.js'), 'agentsRun'));

	agents
		.command('stop')
		.description('stop a running agent: SIGTERM to its process group, SIGKILL after --timeout')
		.argument('[id]', 'the agent id')
		.option('--all', 'stop every running agent')
		.option('--timeout <seconds>', 'grace period after SIGTERM before SIGKILL (default 5)')
		.addHelpText(
			'after',
			`
The run is recorded as stopped (agent_run_stopped, audited) with its exit code,
or the signal when it had to be killed. An agent that is not running is left as
it is (exit 0). A run attached to another terminal (--foreground) is stopped
through its supervisor, with that run's --grace.

Examples:
  $ agentspace agents stop hello-agent
  $ agentspace agents stop hello-agent --timeout 30
  $ agentspace agents stop --all --json`,
		)
		.action(lazyAction(run, () => import('./agentsStop.js'), 'agentsStop'));

	agents
		.command('status')
		.alias('ps')
		.description('show what runs: status, pid, uptime, runs, CPU, memory, sandboxed')
		.addHelpText(
			'after',
			`
CPU is the time the agent's process has used so far; MEM its resident memory
(read from /proc on Linux). A run recorded as running whose process no longer
exists shows as "running (process gone)".

Examples:
  $ agentspace agents status
  $ agentspace agents ps --json | jq '.agents[] | select(.status == "running") | .pid'`,
		)
		.action(lazyAction(run, () => import('./agentsStatus.js'), 'agentsStatus'));

	agents
		.command('logs')
		.description("show a run's log (the latest run by default); --follow for new lines")
		.argument('<id>', 'the agent id')
		.option('--run <run-id>', 'this run instead of the latest')
		.option('-n, --lines <n>', 'how many of the last lines (0-100000)', '100')
		.addOption(new Option('--stream <stream>', 'only this stream').choices(['stdout', 'stderr']))
		.option('-f, --follow', 'keep printing new lines until Ctrl-C')
		.addHelpText(
			'after',
			`
Lines are shown as logged: redacted, cut at 8 KB. With --json, one object per
line (NDJSON): {"runId", "time", "stream", "text"}.

Examples:
  $ agentspace agents logs echo
  $ agentspace agents logs echo -n 20 --stream stderr
  $ agentspace agents logs echo --follow`,
		)
		.action(lazyAction(run, () => import('./agentsLogs.js'), 'agentsLogs'));

	agents
		.command('uninstall')
		.description("remove an agent's checkout (its history and logs stay)")
		.argument('<id>', 'the agent id')
		.option('-y, --yes', 'do not ask (required when not on a terminal)')
		.addHelpText('after', '\nExamples:\n  $ agentspace agents uninstall echo --yes')
		.action(lazyAction(run, () => import('./agentsUninstall.js'), 'agentsUninstall'));
}
