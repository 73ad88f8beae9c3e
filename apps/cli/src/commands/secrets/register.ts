import type { Command } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';

/** `agentspace secrets set|list|remove`: credentials passed to runs approved `secret:read:<name>`. */
export function registerSecretsCommands(program: Command, run: RunAction): void {
	const secrets = program
		.command('secrets')
		.description(
			'credentials other than provider keys, passed to agents approved secret:read:<name>',
		)
		.addHelpText(
			'after',
			`
A secret lives where provider keys do (the OS keychain, or <home>/vault.json,
mode 0600, not encrypted at rest). A run approved secret:read:<name> gets it
as AGENTSPACE_SECRET_<NAME>, hidden in its log. The value is read from a
prompt with echo off, or stdin — never from the command line.

Examples:
  $ agentspace secrets set GITHUB_TOKEN                  prompt, echo off
  $ gh auth token | agentspace secrets set GITHUB_TOKEN  from stdin
  $ agentspace secrets list
  $ agentspace secrets remove GITHUB_TOKEN`,
		);
	const setSecret = lazyAction(run, () => import('./secretsSet.js'), 'secretsSet');
	secrets
		.command('set')
		.description('set or replace a secret (read from a prompt or stdin, never an argument)')
		.argument('<name>', 'letters, digits, ".", "_" or "-" (as in secret:read:<name>)')
		.allowExcessArguments(true)
		.addHelpText(
			'after',
			'\nExample:\n  $ printf %s "$TOKEN" | agentspace secrets set GITHUB_TOKEN',
		)
		.action((...args: unknown[]) => {
			const command = args.at(-1) as Command;
			const options = args.at(-2) as Record<string, unknown>;
			return setSecret(args[0], { ...options, extra: command.args.length - 1 }, command);
		});
	secrets
		.command('list')
		.alias('ls')
		.description('the secrets: name, storage, fingerprint, set (never a value)')
		.addHelpText('after', '\nExample:\n  $ agentspace secrets list --json')
		.action(lazyAction(run, () => import('./secretsList.js'), 'secretsList'));
	secrets
		.command('remove')
		.alias('rm')
		.description('remove a secret from the vault (audited)')
		.argument('<name>', 'the secret')
		.addHelpText('after', '\nExample:\n  $ agentspace secrets remove GITHUB_TOKEN')
		.action(lazyAction(run, () => import('./secretsRemove.js'), 'secretsRemove'));
}
