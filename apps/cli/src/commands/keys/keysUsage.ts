import { ValidationError } from '@agentspace/core';
import { keyUsage } from '@agentspace/keys';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';

/** Options of `keys usage`. */
export interface KeysUsageOptions {
	readonly agent?: string;
	readonly provider?: string;
	readonly since?: string;
}

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from now (`90m`, `24h`, `7d`) or an ISO time. */
export function parseSince(text: string, now = Date.now()): string {
	const duration = /^([1-9][0-9]{0,5})([mhd])$/.exec(text);
	if (duration !== null) {
		return new Date(
			now - Number(duration[1]) * (UNITS[duration[2] as string] as number),
		).toISOString();
	}
	if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(text) && !Number.isNaN(Date.parse(text))) {
		return new Date(text).toISOString();
	}
	throw new ValidationError(`invalid --since ${JSON.stringify(text.slice(0, 40))}`, {
		hint: 'give a duration (90m, 24h, 7d) or an ISO time (2026-12-01 or 2026-12-01T09:00:00Z)',
	});
}

/** `agentspace keys usage [--agent A] [--provider P] [--since 24h]`: requests and tokens through the endpoint. */
export async function keysUsage(
	ctx: CommandContext,
	options: KeysUsageOptions,
): Promise<ActionResult> {
	const since = options.since === undefined ? undefined : parseSince(options.since);
	const db = openExistingHomeDb(ctx.home);
	try {
		const usage = keyUsage(db, {
			...(options.agent === undefined ? {} : { agentId: options.agent }),
			...(options.provider === undefined ? {} : { provider: options.provider }),
			...(since === undefined ? {} : { since }),
		});
		ctx.output.data({ ...(since === undefined ? {} : { since }), ...usage });
		if (usage.rows.length === 0) {
			ctx.output.line('No requests through the LLM endpoint match.');
			return;
		}
		ctx.output.table(usage.rows, [
			{ header: 'AGENT', value: (r) => r.agentId ?? '(key token)' },
			{ header: 'PROVIDER', value: (r) => r.provider },
			{ header: 'REQUESTS', value: (r) => String(r.requests) },
			{ header: 'INPUT', value: (r) => String(r.inputTokens) },
			{ header: 'OUTPUT', value: (r) => String(r.outputTokens) },
			{ header: 'ERRORS', value: (r) => String(r.errors) },
		]);
		const t = usage.totals;
		ctx.output.line(
			`Total: ${t.requests} requests, ${t.inputTokens} input and ${t.outputTokens} output tokens, ${t.errors} errors.`,
		);
	} finally {
		db.$client.close();
	}
}
