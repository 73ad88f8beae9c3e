/** One (agent, provider) limit, as set by `agentspace keys limit`; null = no limit on that measure. */
export interface KeyLimitSetting {
	readonly rpm: number | null;
	readonly tokensPerDay: number | null;
}

/** Why a request is over its limit, and when to try again. */
export interface LimitExceeded {
	readonly limit: 'rpm' | 'tokens_per_day';
	/** Whole seconds until the request would pass (at least 1): the `Retry-After` header. */
	readonly retryAfterSeconds: number;
	readonly message: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface Usage {
	/** Request start times in the last minute, oldest first. */
	requests: number[];
	/** Tokens by the minute they were counted in, oldest first: at most 1440 buckets a pair. */
	tokens: { minute: number; count: number }[];
}

/**
 * Counts each (agent, provider)'s requests over a sliding minute and tokens
 * over a rolling day, in memory (the day is seeded from the audit log at the
 * start so a daemon restart keeps it), and says whether one more request is
 * over the limit set. The clock is injectable for tests.
 */
export class LimitTracker {
	readonly #usage = new Map<string, Usage>();

	constructor(private readonly now: () => number = Date.now) {}

	/**
	 * Checks a request against `limit` and, when it passes, counts it toward
	 * the minute; undefined means it may go on.
	 */
	admit(
		agentId: string,
		provider: string,
		limit: KeyLimitSetting | undefined,
	): LimitExceeded | undefined {
		const now = this.now();
		const usage = this.#trimmed(agentId, provider, now);
		if (limit?.rpm != null && usage.requests.length >= limit.rpm) {
			const freeAt = (usage.requests[usage.requests.length - limit.rpm] ?? now) + MINUTE;
			return {
				limit: 'rpm',
				retryAfterSeconds: seconds(freeAt - now),
				message: `agent ${agentId} is over its limit of ${limit.rpm} requests a minute to ${provider}; change it with \`agentspace keys limit ${agentId} ${provider} --rpm <n>\``,
			};
		}
		if (limit?.tokensPerDay != null) {
			let total = usage.tokens.reduce((sum, b) => sum + b.count, 0);
			if (total >= limit.tokensPerDay) {
				let freeAt = now + DAY;
				for (const bucket of usage.tokens) {
					total -= bucket.count;
					if (total < limit.tokensPerDay) {
						freeAt = bucket.minute + MINUTE + DAY;
						break;
					}
				}
				return {
					limit: 'tokens_per_day',
					retryAfterSeconds: seconds(freeAt - now),
					message: `agent ${agentId} is over its limit of ${limit.tokensPerDay} tokens a day to ${provider}; change it with \`agentspace keys limit ${agentId} ${provider} --tokens-per-day <n>\``,
				};
			}
		}
		usage.requests.push(now);
		return undefined;
	}

	/** Counts tokens (input + output) used by a finished request; `at` defaults to now. */
	addTokens(agentId: string, provider: string, tokens: number, at: number = this.now()): void {
		if (!(tokens > 0)) return;
		const now = this.now();
		if (at <= now - DAY) return;
		const usage = this.#trimmed(agentId, provider, now);
		const minute = at - (at % MINUTE);
		const last = usage.tokens[usage.tokens.length - 1];
		if (last !== undefined && last.minute === minute) last.count += tokens;
		else if (last === undefined || last.minute < minute)
			usage.tokens.push({ minute, count: tokens });
		else {
			// Seeding may arrive out of order: keep the buckets sorted.
			const index = usage.tokens.findIndex((b) => b.minute >= minute);
			const at2 = usage.tokens[index];
			if (at2 !== undefined && at2.minute === minute) at2.count += tokens;
			else usage.tokens.splice(index, 0, { minute, count: tokens });
		}
	}

	/** Tokens counted for the pair over the last day. */
	tokensToday(agentId: string, provider: string): number {
		return this.#trimmed(agentId, provider, this.now()).tokens.reduce((sum, b) => sum + b.count, 0);
	}

	#trimmed(agentId: string, provider: string, now: number): Usage {
		const key = `${agentId}\u0000${provider}`;
		let usage = this.#usage.get(key);
		if (usage === undefined) {
			usage = { requests: [], tokens: [] };
			this.#usage.set(key, usage);
		}
		while ((usage.requests[0] ?? now) <= now - MINUTE) usage.requests.shift();
		while ((usage.tokens[0]?.minute ?? now) + MINUTE <= now - DAY) usage.tokens.shift();
		return usage;
	}
}

function seconds(ms: number): number {
	return Math.max(1, Math.ceil(ms / 1000));
}
