import type { Command } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** `agentspace tools list|show|call|log|allow|deny|accept`. */
export function registerToolsCommands(program: Command, run: RunAction): void {
	const tools = program
		.command('tools')
		.description('the tools running MCP agents offer: list, inspect, call, allow, deny, accept')
		.addHelpText(
			'after',
			`
An agent whose manifest says "protocol": "mcp" offers tools while it runs. The
first definition of each tool is pinned; a changed one is held back (drifted)
until you accept it. Each tool is allowed or denied: by its own policy, its
agent's '*' policy, or the securityMode default (full-control: every tool;
limited-control: read-only tools only). Every call goes through the daemon,
is checked (policy, pin, input schema) and recorded in the call log.

Examples:
  $ agentspace tools list
  $ agentspace tools show files/read_file
  $ agentspace tools call files/read_file --arg path=notes.txt
  $ agentspace tools deny files/write_file
  $ agentspace tools log --agent files --since 1h`,
		);

	tools
		.command('list')
		.alias('ls')
		.description('show the offered tools: name, agent, policy, pinned/drifted, annotations')
		.option('--agent <id>', "only this agent's tools")
		.addHelpText(
			'after',
			`
Reads the registry in the home's database (no daemon needed). Descriptions are
the agents' own text (escaped): read them as claims, not facts.

Examples:
  $ agentspace tools list
  $ agentspace tools list --agent files
  $ agentspace tools list --json | jq -r '.tools[] | select(.drifted) | .target'`,
		)
		.action(lazyAction(run, () => import('./toolsList.js'), 'toolsList'));

	tools
		.command('show')
		.description("show one tool: its schemas, annotations, policy, pin, and a drifted tool's diff")
		.argument('<agent/tool>', 'the tool, as <agent>/<tool>')
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace tools show files/read_file
  $ agentspace tools show files/read_file --json | jq .inputSchema`,
		)
		.action(lazyAction(run, () => import('./toolsShow.js'), 'toolsShow'));

	tools
		.command('call')
		.description('call a tool through the daemon (checked, recorded); Ctrl-C cancels it')
		.argument('<agent/tool>', 'the tool, as <agent>/<tool>')
		.option('--args <json>', 'the arguments as one JSON object')
		.option(
			'--arg <key=value>',
			'one argument (repeatable); a value that parses as JSON is that JSON, else a string',
			collect,
		)
		.option('--timeout <seconds>', 'give up (and cancel at the agent) after this long (default 60)')
		.addHelpText(
			'after',
			`
Starts the daemon when it is not running. Arguments are checked against the
tool's input schema before anything reaches the agent; a bad call lists every
bad field (exit 7). Progress is drawn on stderr on a terminal. Ctrl-C cancels
the call at the agent and exits 130. Prints the tool's text (else its
structured content); --json prints the whole outcome. A tool that reports an
error exits 12.

Examples:
  $ agentspace tools call files/read_file --arg path=notes.txt
  $ agentspace tools call calc/add --args '{"a": 2, "b": 3}'
  $ agentspace tools call calc/add --arg a=2 --arg b=3 --json | jq .structuredContent
  $ agentspace tools call slow/build --timeout 600`,
		)
		.action(lazyAction(run, () => import('./toolsCall.js'), 'toolsCall'));

	tools
		.command('log')
		.description('show the call log, newest first: caller, tool, status, duration')
		.option('--agent <id>', "only this agent's calls")
		.option('--tool <name>', 'only calls of this tool (its name, without the agent)')
		.option('--status <status>', 'only ok, error, denied, invalid, cancelled or timeout calls')
		.option('--since <time>', 'only calls at or after this time (ISO 8601, or 30m, 2h, 7d ago)')
		.option('--limit <n>', 'at most this many calls (1-10000)', '50')
		.addHelpText(
			'after',
			`
The log keeps a hash of each call's arguments and a short redacted summary,
never the full arguments or results.

Examples:
  $ agentspace tools log
  $ agentspace tools log --agent files --status denied --since 1d
  $ agentspace tools log --json | jq '.calls[] | select(.status != "ok")'`,
		)
		.action(lazyAction(run, () => import('./toolsLog.js'), 'toolsLog'));

	tools
		.command('allow')
		.description("allow a tool, or every tool of an agent ('<agent>/*'); audited")
		.argument('<agent/tool>', "the tool, as <agent>/<tool>, or <agent>/* for all of the agent's")
		.addHelpText(
			'after',
			`
A tool's own policy beats its agent's '*' policy, which beats the securityMode
default. A policy may be set before the agent runs.

Examples:
  $ agentspace tools allow files/write_file
  $ agentspace tools allow 'files/*'`,
		)
		.action(lazyAction(run, () => import('./toolsAllow.js'), 'toolsAllow'));

	tools
		.command('deny')
		.description("deny a tool, or every tool of an agent ('<agent>/*'); audited")
		.argument('<agent/tool>', "the tool, as <agent>/<tool>, or <agent>/* for all of the agent's")
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace tools deny files/write_file
  $ agentspace tools deny 'files/*'`,
		)
		.action(lazyAction(run, () => import('./toolsDeny.js'), 'toolsDeny'));

	tools
		.command('accept')
		.description(
			"accept a drifted tool's new definition, exactly as reviewed (the pin moves to it); audited",
		)
		.argument('<agent/tool>', 'the tool, as <agent>/<tool>')
		.option(
			'--hash <definitionHash>',
			'the offered definition you reviewed (required when not on a terminal)',
		)
		.option('-y, --yes', 'on a terminal: accept the definition shown without asking')
		.addHelpText(
			'after',
			`
The agent may change a tool again at any moment, so only a definition you saw
is accepted. On a terminal the diff is shown (pinned -, offered +) and you are
asked; the accept is bound to the hash of what was shown. Off a terminal pass
--hash: the definitionHash of the definition you reviewed. When the agent
offers another definition by then, nothing is accepted (CONFLICT, exit 4).

Examples:
  $ agentspace tools accept files/read_file        on a terminal: shows the diff, asks
  $ agentspace tools show files/read_file --json > reviewed.json   (review it)
  $ agentspace tools accept files/read_file --hash "$(jq -r .definitionHash reviewed.json)"`,
		)
		.action(lazyAction(run, () => import('./toolsAccept.js'), 'toolsAccept'));
}
