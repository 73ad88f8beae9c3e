import type { Command } from 'commander';
import { lazyAction, type RunAction } from '../../action.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** `agentspace audit list|verify|head`. */
export function registerAuditCommands(program: Command, run: RunAction): void {
	const audit = program
		.command('audit')
		.description('read and verify the tamper-evident audit log');
	audit
		.command('list')
		.description('show audit entries, newest first')
		.option('--type <type>', 'only this event type (repeat for several)', collect)
		.option('--subject <type[:id]>', 'only entries about this subject, e.g. config:securityMode')
		.option('--since <time>', 'only entries at or after this time (ISO 8601, or 30m, 2h, 7d ago)')
		.option('--until <time>', 'only entries at or before this time (same forms as --since)')
		.option('--limit <n>', 'at most this many entries (1-10000)', '50')
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace audit list
  $ agentspace audit list --type mode_changed --since 7d
  $ agentspace audit list --subject config:securityMode --json`,
		)
		.action(lazyAction(run, () => import('./auditList.js'), 'auditList'));
	audit
		.command('verify')
		.description('check every entry against the hash chain; exit 8 naming the first bad row')
		.option(
			'--expect <head>',
			'also require this head, kept from `audit head` (<position>:<hash>, or the hash alone)',
		)
		.addHelpText(
			'after',
			`
Examples:
  $ agentspace audit verify
  $ agentspace audit verify --expect 42:3f5c…   (as \`audit head\` printed it)
  $ agentspace audit verify --json`,
		)
		.action(lazyAction(run, () => import('./auditVerify.js'), 'auditVerify'));
	audit
		.command('head')
		.description("print the audit log's head (<position>:<hash>) to keep elsewhere")
		.addHelpText(
			'after',
			`
Keep the head outside this machine (a note, a ticket, a commit); later,
\`agentspace audit verify --expect <head>\` fails if history was rewritten.

Examples:
  $ agentspace audit head
  $ agentspace audit head --json`,
		)
		.action(lazyAction(run, () => import('./auditHead.js'), 'auditHead'));
}
