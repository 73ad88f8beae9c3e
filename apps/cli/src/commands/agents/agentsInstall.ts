import { installAgent, validateRef } from '@agentspace/agents';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openHomeDb } from '../../homeDb.js';
import { interruptible, withSpinner } from '../../interactive.js';
import { safe } from './describeAgent.js';

/** Options of `agents install`. */
export interface AgentsInstallOptions {
	readonly ref?: string;
}

/** `agents install <git-url|path|id>`: clones at a ref into the home. Runs no code from the repository. */
export async function agentsInstall(
	ctx: CommandContext,
	source: string,
	options: AgentsInstallOptions,
): Promise<ActionResult> {
	// A bad ref is refused before the home (or its database) is created.
	if (options.ref !== undefined) validateRef(options.ref);
	const db = openHomeDb(ctx.home);
	try {
		const result = await interruptible(ctx.output, (signal) =>
			withSpinner(ctx.output, `installing ${safe(source)}`, (update) =>
				installAgent({
					signal,
					db,
					home: ctx.home,
					source,
					...(options.ref === undefined ? {} : { ref: options.ref }),
					actor: cliActor(),
					sourceApp: CLI_SOURCE_APP,
					path: ctx.env.PATH,
					...(ctx.env.SSH_AUTH_SOCK === undefined ? {} : { sshAuthSock: ctx.env.SSH_AUTH_SOCK }),
					onProgress: (phase) => update(safe(phase)),
				}),
			),
		);
		const { manifest, audit, ...rest } = result;
		const hasBuild = manifest.manifest.build !== undefined;
		ctx.output.data({ ...rest, hasBuildSteps: hasBuild, auditId: audit.id });
		const { style } = ctx.output;
		const upgraded = result.previousCommit !== undefined;
		ctx.output.line(
			`${style.green('✓')} ${upgraded ? 'Reinstalled' : 'Installed'} ${safe(result.id)} ${safe(result.version)} at ${result.commit.slice(0, 12)}${
				upgraded && result.previousCommit !== result.commit
					? ` (was ${result.previousCommit?.slice(0, 12)})`
					: ''
			}`,
		);
		ctx.output.line(
			`  from ${safe(result.source)}${result.ref === undefined ? '' : ` (ref ${safe(result.ref)})`}`,
		);
		ctx.output.line(`  into ${safe(result.installPath)}`);
		if (result.previousSource !== undefined) {
			ctx.output.line(
				`${style.yellow('!')} ${safe(result.id)} was installed from ${safe(result.previousSource)}: this repository replaced it`,
			);
		}
		if (result.needsReapproval) {
			ctx.output.line(
				`${style.yellow('!')} ${
					result.permissionsChanged ? 'the requested permissions changed' : 'the manifest changed'
				} since it was approved: the next run needs re-approval (agentspace agents enable ${result.id})`,
			);
		} else if (result.permissionsChanged) {
			ctx.output.line(
				`${style.yellow('!')} the requested permissions changed since the previous install`,
			);
		}
		ctx.output.line(
			style.dim(
				`No code from the repository was run. Audited as agents.installed (entry ${audit.id}).`,
			),
		);
		ctx.output.note(
			hasBuild
				? `next: agentspace agents build ${result.id}   (shows its build steps before running them)`
				: `next: agentspace agents enable ${result.id}`,
		);
	} finally {
		db.$client.close();
	}
}
