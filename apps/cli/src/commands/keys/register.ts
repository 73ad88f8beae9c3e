import type { Command } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';

/**
 * `agentspace keys`: provider keys agents use without seeing them. Returns
 * the command so the daemon's subcommands (serve, pending, approve) join it.
 */
export function registerKeysCommands(program: Command, run: RunAction): Command {
	const keys = program
		.command('keys')
		.description(
			'provider keys (Anthropic, OpenAI, Ollama…) agents use through the local LLM endpoint without seeing them',
		)
		.addHelpText(
			'after',
			`
A key lives in the OS keychain or, where there is none (headless Linux, CI),
in <home>/vault.json (mode 0600, not encrypted at rest: keys list says so).
The database, the event log, the audit log and every output keep only its
fingerprint (sha256: and 12 hex characters). A key is read from a prompt
with echo off, or from stdin — never from the command line.

Providers: anthropic, openai, ollama (a URL, no key), openai-compatible:<name>
(with --base-url). The commands work on the home directly: no daemon needed.

Examples:
  $ agentspace keys add anthropic                     prompts for the key
  $ printf %s "$OPENAI_API_KEY" | agentspace keys add openai
  $ agentspace keys add ollama --base-url http://127.0.0.1:11434
  $ agentspace keys add openai-compatible:groq --base-url https://api.groq.com/openai
  $ agentspace keys list
  $ agentspace keys usage --since 24h`,
		);

	// A key typed as a second argument is refused (with a hint), never stored.
	const withExtra =
		(action: (...args: unknown[]) => Promise<void>) =>
		(...args: unknown[]) => {
			const command = args.at(-1) as Command;
			const options = args.at(-2) as Record<string, unknown>;
			return action(args[0], { ...options, extra: command.args.length - 1 }, command);
		};
	keys
		.command('add')
		.description('add a provider key (read from a prompt or stdin, never an argument)')
		.argument('<provider>', 'anthropic, openai, ollama or openai-compatible:<name>')
		.option(
			'--base-url <url>',
			'where requests go (required for openai-compatible and used for ollama)',
		)
		.allowExcessArguments(true)
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace keys add anthropic                        prompt, echo off
  $ printf %s "$KEY" | agentspace keys add openai        from stdin
  $ agentspace keys add ollama --base-url http://10.0.0.5:11434   no key
  $ agentspace keys add openai-compatible:groq --base-url https://api.groq.com/openai`,
		)
		.action(withExtra(lazyAction(run, () => import('./keysAdd.js'), 'keysAdd')));
	keys
		.command('list')
		.alias('ls')
		.description(
			'the keys: provider, storage, base URL, fingerprint, added, last used (never a key)',
		)
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace keys list
  $ agentspace keys list --json | jq '.keys[] | {provider, storage}'`,
		)
		.action(lazyAction(run, () => import('./keysList.js'), 'keysList'));
	keys
		.command('rotate')
		.description('replace a provider key (prompt or stdin) and/or its base URL')
		.argument('<provider>', 'a provider with a key')
		.option('--base-url <url>', 'a new base URL (with it, an empty key keeps the current one)')
		.allowExcessArguments(true)
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace keys rotate anthropic
  $ printf %s "$NEW_KEY" | agentspace keys rotate openai
  $ agentspace keys rotate ollama --base-url http://10.0.0.6:11434`,
		)
		.action(withExtra(lazyAction(run, () => import('./keysRotate.js'), 'keysRotate')));
	keys
		.command('remove')
		.alias('rm')
		.description('remove a provider key from the vault (audited)')
		.argument('<provider>', 'a provider with a key')
		.addHelpText('after', '\nExample:\n  $ agentspace keys remove openai')
		.action(lazyAction(run, () => import('./keysRemove.js'), 'keysRemove'));

	const token = keys
		.command('token')
		.description(
			'mint a token for the LLM endpoint, for your own scripts (printed once, stored as its hash)',
		)
		.option('--expires <lifetime>', 'how long it works: 90m, 24h, 30d… (default 30d, at most 365d)')
		.option('--name <name>', 'a name to recognise it by')
		.addHelpText(
			'after',
			`
A running agent needs none (it gets its run's session token). The token is
printed once: only its sha256 is kept (key_token_minted, audited).

Examples:
  $ agentspace keys token --name notebook --expires 24h
  $ ANTHROPIC_API_KEY=$(agentspace keys token --json | jq -r .token) \\
    ANTHROPIC_BASE_URL=http://127.0.0.1:3271/anthropic python my_script.py
  $ agentspace keys token list
  $ agentspace keys token revoke askey_…`,
		)
		.action(lazyAction(run, () => import('./keysToken.js'), 'keysToken'));
	token
		.command('list')
		.alias('ls')
		.description(
			'the minted key tokens: id, name, active/expired/revoked, expiry (never the token)',
		)
		.action(lazyAction(run, () => import('./keysTokenList.js'), 'keysTokenList'));
	token
		.command('revoke')
		.description('revoke a key token: the endpoint refuses it from its next request (audited)')
		.argument('<id>', 'the token id (askey_…) as keys token list shows it')
		.action(lazyAction(run, () => import('./keysTokenRevoke.js'), 'keysTokenRevoke'));

	const limit = keys
		.command('limit')
		.description(
			"set an agent's limits on a provider: requests a minute, tokens a day (429 past them)",
		)
		.argument('<agent>', 'the agent id')
		.argument('<provider>', 'the provider')
		.option('--rpm <n>', 'requests a minute')
		.option('--tokens-per-day <n>', 'input plus output tokens a UTC day')
		.option('--clear', 'remove both limits')
		.addHelpText(
			'after',
			`
A limit not given keeps its value. Limits survive a daemon restart.

Examples:
  $ agentspace keys limit writer anthropic --rpm 30 --tokens-per-day 2000000
  $ agentspace keys limit writer anthropic --clear
  $ agentspace keys limit list`,
		)
		.action(lazyAction(run, () => import('./keysLimit.js'), 'keysLimit'));
	limit
		.command('list')
		.alias('ls')
		.description('every limit, by agent and provider')
		.action(lazyAction(run, () => import('./keysLimitList.js'), 'keysLimitList'));

	keys
		.command('usage')
		.description('requests and tokens through the LLM endpoint, by agent and provider')
		.option('--agent <id>', 'one agent')
		.option('--provider <provider>', 'one provider')
		.option('--since <when>', 'from a time on: 90m, 24h, 7d or an ISO time')
		.addHelpText(
			'after',
			`
Sums the key_accessed audit entries (one per request).

Examples:
  $ agentspace keys usage --since 24h
  $ agentspace keys usage --agent writer --provider anthropic --json`,
		)
		.action(lazyAction(run, () => import('./keysUsage.js'), 'keysUsage'));

	// The daemon's side: the endpoint's state, and the first-use approvals of limited-control.
	keys
		.command('serve')
		.description(
			"the local LLM endpoint's state and address (the daemon serves it; started when needed)",
		)
		.addHelpText(
			'after',
			`
The daemon serves http://127.0.0.1:3271 (config apiEndpoint) from its start;
this prints whether it serves, or why not (a port in use), and how SDKs are
pointed at it. daemon status shows the same line.

Examples:
  $ agentspace keys serve
  $ agentspace keys serve --json | jq -r .url`,
		)
		.action(lazyAction(run, () => import('./keysServe.js'), 'keysServe'));
	keys
		.command('pending')
		.description(
			'runs waiting for your approval of their first use of a provider (limited-control)',
		)
		.addHelpText(
			'after',
			`
In limited-control a run's first request to a provider waits (at most 120 s)
unless llm:<provider> was approved with agents enable --remember.

Example:
  $ agentspace keys pending`,
		)
		.action(lazyAction(run, () => import('./keysPending.js'), 'keysPending'));
	keys
		.command('approve')
		.description('let a waiting run use a provider for the rest of the run (or --deny)')
		.argument('<agent>', 'the agent id')
		.argument('<provider>', 'the provider it asks for')
		.option('--deny', 'refuse it instead (403), for the rest of the run')
		.addHelpText(
			'after',
			`
Audited llm_use_approved / llm_use_denied, with you as the actor.

Examples:
  $ agentspace keys approve writer anthropic
  $ agentspace keys approve writer openai --deny`,
		)
		.action(lazyAction(run, () => import('./keysApprove.js'), 'keysApprove'));
	return keys;
}
