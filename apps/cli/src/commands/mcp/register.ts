import type { Command } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';
import { type McpHttpOptions, wantsHttp } from './mcpHttpOptions.js';

/**
 * `agentspace mcp`: AgentSpace as one MCP server. Returns the command so
 * other ways of serving (options) and subcommands join it; each
 * implementation stays its own lazily loaded module, chosen in the action.
 */
export function registerMcpCommand(program: Command, run: RunAction): Command {
	const serveStdio = lazyAction(run, () => import('./mcpStdio.js'), 'mcpStdio');
	const serveHttp = lazyAction(run, () => import('./mcpHttp.js'), 'mcpHttp');
	const mcp = program
		.command('mcp')
		.description(
			"serve the tools of every running MCP agent, and AgentSpace's own, as one MCP server on stdin/stdout",
		)
		.addHelpText(
			'after',
			`
An MCP client (Claude Desktop, Claude Code, Cursor, VS Code, any MCP SDK
client) starts \`agentspace mcp\` and speaks MCP over its stdin and stdout.
It reaches the daemon (started when needed) and serves, as one server:
  - the allowed, non-drifted tools of every running MCP agent, named
    <agent>__<tool> (a name over 64 characters is shortened, and its
    description says so), the list changing as agents start and stop;
  - AgentSpace's own tools, agentspace__… and fleet__….
Every call goes through the daemon's tool router: checked (policy, pin,
input schema) and recorded with the client as the caller (tools log).
Progress, cancellation and errors pass through. stdout carries the protocol
only; anything else goes to stderr. It exits when the client closes stdin.

A client's configuration entry (Claude Desktop: claude_desktop_config.json):
  {"mcpServers": {"agentspace": {"command": "agentspace", "args": ["mcp"]}}}
Another home: add "env": {"AGENTSPACE_HOME": "/path/to/home"} to the entry.

Examples:
  $ claude mcp add agentspace -- agentspace mcp      add it to Claude Code
  $ agentspace tools log --since 1h                  what MCP clients called`,
		)
		.option(
			'--http',
			'serve MCP Streamable HTTP on 127.0.0.1 through the daemon instead, then exit',
		)
		.option('--port <port>', 'with --http: the port on 127.0.0.1 (default 3272)')
		.option('--stop', 'with --http: stop serving HTTP (the daemon and its agents keep running)')
		.addHelpText(
			'after',
			`
HTTP (--http): the daemon serves the same over MCP Streamable HTTP at
http://127.0.0.1:3272/mcp (127.0.0.1 only; no CORS) and keeps serving after
this command exits. Every request needs Authorization: Bearer <token> — the
home's token or one minted by \`agentspace mcp token\` — and a Host and Origin
of that address; refusals are audited (security.denied).
  $ agentspace mcp --http                              serve, print the URL
  $ agentspace mcp token --name cursor --expires 30d   mint a token (shown once)
  $ agentspace mcp token list                          minted tokens, never the secret
  $ agentspace mcp token revoke asmcp_…                refused from its next request
  $ agentspace mcp --http --stop                       stop serving HTTP`,
		)
		.action((...args: unknown[]) =>
			wantsHttp(args[0] as McpHttpOptions) ? serveHttp(...args) : serveStdio(...args),
		);

	const token = mcp
		.command('token')
		.description('mint a bearer token for the MCP HTTP endpoint (printed once, stored as its hash)')
		.option('--expires <lifetime>', 'how long it works: 90m, 24h, 30d… (default 30d, at most 365d)')
		.option('--name <name>', 'a name to recognise it by, e.g. the client it is for')
		.addHelpText(
			'after',
			`
The token is printed once: only its sha256 is kept (event mcp_token_minted,
audited), so it cannot be shown again. It works with agentspace mcp --http until
it expires or is revoked.

Examples:
  $ agentspace mcp token --name claude-code --expires 24h
  $ agentspace mcp token --json | jq -r .token`,
		)
		.action(lazyAction(run, () => import('./mcpToken.js'), 'mcpToken'));
	token
		.command('list')
		.alias('ls')
		.description(
			'show the minted tokens: id, name, active/expired/revoked, expiry (never the token)',
		)
		.action(lazyAction(run, () => import('./mcpTokenList.js'), 'mcpTokenList'));
	token
		.command('revoke')
		.description('revoke a token: the HTTP endpoint refuses it from its next request (audited)')
		.argument('<id>', 'the token id (asmcp_…) as mcp token list shows it')
		.action(lazyAction(run, () => import('./mcpTokenRevoke.js'), 'mcpTokenRevoke'));
	return mcp;
}
