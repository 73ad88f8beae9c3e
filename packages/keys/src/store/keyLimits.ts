import { NotFoundError, ValidationError } from '@agentspace/core';
import {
	type AgentSpaceDb,
	type AuditRecord,
	prepared,
	withImmediateTransaction,
} from '@agentspace/db';
import type { Actor } from '@agentspace/events';
import { type ProviderId, parseProvider } from '../providers.js';
import { appendKeyChange } from './recordKeyChange.js';

/** The most a limit may be. */
export const MAX_KEY_LIMIT = 1_000_000_000;

/** An agent's limits on a provider; null: none. */
export interface KeyLimit {
	readonly rpm: number | null;
	readonly tokensPerDay: number | null;
}

/** One row of `keys limit list`. */
export interface KeyLimitInfo extends KeyLimit {
	readonly agentId: string;
	readonly provider: ProviderId;
	readonly setAt: string;
}

/** Options of {@link setKeyLimit}: a limit left out keeps its value; null clears it. */
export interface SetKeyLimitOptions {
	readonly agentId: string;
	readonly provider: string;
	readonly rpm?: number | null;
	readonly tokensPerDay?: number | null;
	readonly actor: Actor;
	readonly sourceApp?: string;
}

function checkLimit(name: string, value: number | null | undefined): void {
	if (value === undefined || value === null) return;
	if (!Number.isInteger(value) || value < 1 || value > MAX_KEY_LIMIT) {
		throw new ValidationError(`invalid ${name} ${JSON.stringify(value)}`, {
			hint: `give a whole number from 1 to ${MAX_KEY_LIMIT}, or --clear to remove the limits`,
		});
	}
}

/**
 * Sets an agent's limits on a provider (requests a minute, tokens a UTC day):
 * `key_limit_set` and a `key_limit_set` audit entry. A limit not given keeps
 * its value; both null removes the limits. The agent must be known.
 */
export function setKeyLimit(
	db: AgentSpaceDb,
	options: SetKeyLimitOptions,
): KeyLimitInfo & { readonly audit: AuditRecord } {
	const provider = parseProvider(options.provider);
	if (options.rpm === undefined && options.tokensPerDay === undefined) {
		throw new ValidationError('no limit given', {
			hint: `agentspace keys limit ${options.agentId} ${provider} --rpm 60 --tokens-per-day 1000000 (or --clear)`,
		});
	}
	checkLimit('requests a minute (--rpm)', options.rpm);
	checkLimit('tokens a day (--tokens-per-day)', options.tokensPerDay);
	let result: KeyLimit = { rpm: null, tokensPerDay: null };
	const audit = withImmediateTransaction(db, (tx) => {
		const known = prepared(tx.$client, 'SELECT 1 FROM agents WHERE agent_id = ?').get(
			options.agentId,
		);
		if (known === undefined) {
			throw new NotFoundError(`no agent ${JSON.stringify(options.agentId.slice(0, 80))}`, {
				hint: 'see the agents: agentspace agents list',
			});
		}
		const current = keyLimitFor(tx, options.agentId, provider) ?? { rpm: null, tokensPerDay: null };
		result = {
			rpm: options.rpm === undefined ? current.rpm : options.rpm,
			tokensPerDay:
				options.tokensPerDay === undefined ? current.tokensPerDay : options.tokensPerDay,
		};
		return appendKeyChange(tx, {
			actor: options.actor,
			event: 'key_limit_set',
			fields: {
				agent_id: options.agentId,
				provider,
				rpm: result.rpm,
				tokens_per_day: result.tokensPerDay,
			},
			auditType: 'key_limit_set',
			severity: 'info',
			subject: { type: 'agent', id: options.agentId },
			// `tokensPerDay` would be redacted (the audit hides fields named like a token).
			metadata: { provider, rpm: result.rpm, perDay: result.tokensPerDay },
			...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		});
	});
	return {
		agentId: options.agentId,
		provider,
		...result,
		setAt: audit.timestamp,
		audit,
	};
}

interface Row {
	agent_id: string;
	provider: ProviderId;
	rpm: number | null;
	tokens_per_day: number | null;
	set_at: string;
}

/** Every limit, by agent and provider. */
export function listKeyLimits(db: AgentSpaceDb): readonly KeyLimitInfo[] {
	return (
		prepared(
			db.$client,
			'SELECT agent_id, provider, rpm, tokens_per_day, set_at FROM key_limits ORDER BY agent_id, provider',
		).all() as Row[]
	).map((row) => ({
		agentId: row.agent_id,
		provider: row.provider,
		rpm: row.rpm,
		tokensPerDay: row.tokens_per_day,
		setAt: row.set_at,
	}));
}

/** An agent's limits on a provider, or undefined when it has none (read per request by the endpoint). */
export function keyLimitFor(
	db: AgentSpaceDb,
	agentId: string,
	provider: ProviderId,
): KeyLimit | undefined {
	const row = prepared(
		db.$client,
		'SELECT rpm, tokens_per_day FROM key_limits WHERE agent_id = ? AND provider = ?',
	).get(agentId, provider) as { rpm: number | null; tokens_per_day: number | null } | undefined;
	return row === undefined ? undefined : { rpm: row.rpm, tokensPerDay: row.tokens_per_day };
}
