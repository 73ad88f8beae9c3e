import { listProviderKeys } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';
import { storageLabel } from './openHomeVault.js';

/** `agentspace keys list`: provider, storage, base URL, fingerprint, added, last used — never a key. */
export async function keysList(ctx: CommandContext): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const keys = listProviderKeys(db).map((key) => ({
			...key,
			storageLabel: storageLabel(key.storage),
		}));
		ctx.output.data({ keys });
		if (keys.length === 0) {
			ctx.output.line('No provider keys. Add one: agentspace keys add anthropic');
			return;
		}
		ctx.output.table(keys, [
			{ header: 'PROVIDER', value: (k) => k.provider },
			{ header: 'STORAGE', value: (k) => k.storageLabel },
			{ header: 'BASE URL', value: (k) => k.baseUrl ?? '-' },
			{ header: 'FINGERPRINT', value: (k) => k.fingerprint },
			{ header: 'ADDED', value: (k) => k.addedAt },
			{ header: 'LAST USED', value: (k) => k.lastUsedAt ?? 'never' },
		]);
	} finally {
		db.$client.close();
	}
}
