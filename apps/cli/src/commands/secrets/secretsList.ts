import { listSecrets } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { storageLabel } from '../keys/openHomeVault.js';

/** `agentspace secrets list`: name, storage, fingerprint, when set — never a value. */
export async function secretsList(ctx: CommandContext): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const secrets = listSecrets(db).map((s) => ({ ...s, storageLabel: storageLabel(s.storage) }));
		ctx.output.data({ secrets });
		if (secrets.length === 0) {
			ctx.output.line('No secrets. Set one: agentspace secrets set <name>');
			return;
		}
		ctx.output.table(secrets, [
			{ header: 'NAME', value: (s) => s.name },
			{ header: 'STORAGE', value: (s) => s.storageLabel },
			{ header: 'FINGERPRINT', value: (s) => s.fingerprint },
			{ header: 'SET', value: (s) => `${s.setAt} by ${s.setBy}` },
		]);
	} finally {
		db.$client.close();
	}
}
