import { ValidationError } from '@agentspace/core';
import { setKeyLimit } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';

/** Options of `keys limit`. */
export interface KeysLimitOptions {
	readonly rpm?: string;
	readonly tokensPerDay?: string;
	readonly clear?: boolean;
}

function whole(flag: string, text: string | undefined): number | undefined {
	if (text === undefined) return undefined;
	if (!/^[0-9]{1,10}$/.test(text)) {
		throw new ValidationError(`invalid ${flag} ${JSON.stringify(text.slice(0, 40))}`, {
			hint: `give a whole number, e.g. ${flag} 60`,
		});
	}
	return Number(text);
}

/**
 * `agentspace keys limit <agent> <provider> --rpm N --tokens-per-day N`
 * (or `--clear`): the endpoint answers 429 past them; audited.
 */
export async function keysLimit(
	ctx: CommandContext,
	agentId: string,
	provider: string,
	options: KeysLimitOptions,
): Promise<ActionResult> {
	const rpm = whole('--rpm', options.rpm);
	const tokensPerDay = whole('--tokens-per-day', options.tokensPerDay);
	if (options.clear === true && (rpm !== undefined || tokensPerDay !== undefined)) {
		throw new ValidationError('--clear takes no limits', {
			hint: `either agentspace keys limit ${agentId} ${provider} --clear, or give --rpm / --tokens-per-day`,
		});
	}
	const db = openExistingHomeDb(ctx.home);
	try {
		const set = setKeyLimit(db, {
			agentId,
			provider,
			actor: cliActor(),
			sourceApp: CLI_SOURCE_APP,
			...(options.clear === true ? { rpm: null, tokensPerDay: null } : {}),
			...(rpm === undefined ? {} : { rpm }),
			...(tokensPerDay === undefined ? {} : { tokensPerDay }),
		});
		ctx.output.data({
			agentId: set.agentId,
			provider: set.provider,
			rpm: set.rpm,
			tokensPerDay: set.tokensPerDay,
			auditId: set.audit.id,
		});
		ctx.output.line(
			set.rpm === null && set.tokensPerDay === null
				? `${set.agentId} has no limit on ${set.provider}.`
				: `${set.agentId} on ${set.provider}: ${set.rpm ?? 'no limit of'} requests a minute, ${set.tokensPerDay ?? 'no limit of'} tokens a day.`,
		);
	} finally {
		db.$client.close();
	}
}
