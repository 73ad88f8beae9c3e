import { ValidationError } from '@agentspace/core';
import { type AgentSpaceDb, prepared } from '@agentspace/db';
import { type ProviderId, parseProvider } from '../providers.js';

/** Requests and tokens of one agent (null: a user's token) on one provider. */
export interface KeyUsageRow {
	readonly agentId: string | null;
	readonly provider: ProviderId;
	readonly requests: number;
	readonly inputTokens: number;
	readonly outputTokens: number;
	/** Requests answered with a status of 400 or more. */
	readonly errors: number;
}

/** What {@link keyUsage} sums. */
export interface KeyUsage {
	readonly rows: readonly KeyUsageRow[];
	readonly totals: Omit<KeyUsageRow, 'agentId' | 'provider'>;
}

/**
 * Sums the endpoint's `key_accessed` audit entries by agent and provider,
 * optionally for one agent, one provider, and from a time on. The token
 * counts are the entries' `inputCount` / `outputCount` (the audit redacts
 * fields named like a token).
 */
export function keyUsage(
	db: AgentSpaceDb,
	options: { readonly agentId?: string; readonly provider?: string; readonly since?: string } = {},
): KeyUsage {
	const provider = options.provider === undefined ? undefined : parseProvider(options.provider);
	if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) {
		throw new ValidationError(`invalid time ${JSON.stringify(options.since.slice(0, 60))}`, {
			hint: 'give an ISO time such as 2026-12-01T00:00:00Z, or (at the CLI) a duration such as 24h or 7d',
		});
	}
	const since = options.since === undefined ? undefined : new Date(options.since).toISOString();
	const rows = prepared(
		db.$client,
		`SELECT json_extract(metadata, '$.agentId') AS agentId, subject_id AS provider,
			count(*) AS requests,
			coalesce(sum(json_extract(metadata, '$.inputCount')), 0) AS inputTokens,
			coalesce(sum(json_extract(metadata, '$.outputCount')), 0) AS outputTokens,
			sum(CASE WHEN json_extract(metadata, '$.status') >= 400 THEN 1 ELSE 0 END) AS errors
		FROM audit_log
		WHERE event_type = 'key_accessed' AND subject_type = 'provider'
			AND (? IS NULL OR ts >= ?)
			AND (? IS NULL OR subject_id = ?)
			AND (? IS NULL OR json_extract(metadata, '$.agentId') = ?)
		GROUP BY agentId, provider ORDER BY provider, agentId`,
	).all(
		since ?? null,
		since ?? null,
		provider ?? null,
		provider ?? null,
		options.agentId ?? null,
		options.agentId ?? null,
	) as KeyUsageRow[];
	const totals = { requests: 0, inputTokens: 0, outputTokens: 0, errors: 0 };
	for (const row of rows) {
		totals.requests += row.requests;
		totals.inputTokens += row.inputTokens;
		totals.outputTokens += row.outputTokens;
		totals.errors += row.errors;
	}
	return { rows, totals };
}
