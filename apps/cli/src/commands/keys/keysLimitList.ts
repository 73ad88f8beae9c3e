import { listKeyLimits } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';

/** `agentspace keys limit list`. */
export async function keysLimitList(ctx: CommandContext): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	try {
		const limits = listKeyLimits(db);
		ctx.output.data({ limits });
		if (limits.length === 0) {
			ctx.output.line('No limits. Set one: agentspace keys limit <agent> <provider> --rpm 60');
			return;
		}
		ctx.output.table(limits, [
			{ header: 'AGENT', value: (l) => l.agentId },
			{ header: 'PROVIDER', value: (l) => l.provider },
			{ header: 'RPM', value: (l) => (l.rpm === null ? '-' : String(l.rpm)) },
			{
				header: 'TOKENS/DAY',
				value: (l) => (l.tokensPerDay === null ? '-' : String(l.tokensPerDay)),
			},
			{ header: 'SET', value: (l) => l.setAt },
		]);
	} finally {
		db.$client.close();
	}
}
