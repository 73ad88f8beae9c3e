import { assertSecretSettable, setSecret } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openHomeDb } from '../../homeDb.js';
import { openHomeVault, storageLabel } from '../keys/openHomeVault.js';
import { readSecretValue, refuseValueArgument } from '../keys/readSecretValue.js';

/** `agentspace secrets set <name>`: the value from a prompt (echo off) or stdin, into the vault. */
export async function secretsSet(
	ctx: CommandContext,
	name: string,
	options: { readonly extra?: number },
): Promise<ActionResult> {
	refuseValueArgument(options.extra ?? 0, `printf %s "$VALUE" | agentspace secrets set ${name}`);
	const db = openHomeDb(ctx.home);
	try {
		// The name first: a bad one is refused before a value is typed for it.
		assertSecretSettable(db, name);
		const value = await readSecretValue(`${name}: `, false);
		const vault = await openHomeVault(ctx.home);
		const set = await setSecret(db, vault, {
			name,
			value,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
		});
		ctx.output.data({
			name: set.name,
			fingerprint: set.fingerprint,
			storage: set.storage,
			replaced: set.replaced,
			auditId: set.audit.id,
		});
		ctx.output.line(
			`${set.replaced ? 'Replaced' : 'Set'} secret ${set.name} (${set.fingerprint}), stored in ${storageLabel(set.storage)}.`,
		);
		ctx.output.line(
			ctx.output.style.dim(
				`Agents approved secret:read:${set.name} get it as AGENTSPACE_SECRET_${set.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}.`,
			),
		);
	} finally {
		db.$client.close();
	}
}
