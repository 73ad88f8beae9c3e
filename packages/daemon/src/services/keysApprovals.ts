import type { ChangeActor } from '@agentspace/agents';
import { AgentSpaceError, type SecurityMode } from '@agentspace/core';
import { type AgentSpaceDb, recordAuditEvent } from '@agentspace/db';
import { DAEMON_ACTOR } from '../daemonProtocol.js';
import type { RegisteredRun } from './keysRunRegistry.js';

/** How long a run's first use of a provider waits for `agentspace keys approve` by default. */
export const DEFAULT_LLM_APPROVAL_TIMEOUT_MS = 120_000;

/** One first use waiting for the user (`agentspace keys pending`). */
export interface LlmPendingApproval {
	readonly agentId: string;
	readonly runId: string;
	readonly provider: string;
	/** ISO time of the request that asked. */
	readonly requestedAt: string;
	/** ISO time it is refused unless answered. */
	readonly expiresAt: string;
	/** Requests of the run waiting on it. */
	readonly waiting: number;
}

/** What `keysApprove` did. */
export interface LlmApprovalDecision {
	readonly agentId: string;
	readonly provider: string;
	readonly decision: 'approved' | 'denied';
	/** The runs whose waiting requests it answered. */
	readonly runs: readonly string[];
}

/** Options of {@link LlmUseApprovals}. */
export interface LlmUseApprovalsOptions {
	readonly db: AgentSpaceDb;
	/** The config's securityMode, read per request (the caller caches it briefly). */
	readonly securityMode: () => SecurityMode;
	/** DEFAULT_LLM_APPROVAL_TIMEOUT_MS unless given. */
	readonly timeoutMs?: number;
	readonly sourceApp?: string;
	readonly log?: (line: string) => void;
}

interface Pending {
	readonly agentId: string;
	readonly runId: string;
	readonly provider: string;
	readonly requestedAt: number;
	readonly expiresAt: number;
	readonly waiters: Set<(approved: boolean) => void>;
	readonly timer: NodeJS.Timeout;
}

const keyOf = (runId: string, provider: string) => `${runId}\n${provider}`;

/**
 * The limited-control gate of the LLM endpoint: in `limited-control`, a
 * run's first use of a provider it was approved for without `--remember`
 * waits for the user's `agentspace keys approve <agent> <provider>` (or
 * `--deny`). The concurrent requests of one run and provider share one
 * pending approval (one `llm_use_requested` entry); an approval holds for
 * the rest of the run, a denial too (its later requests are refused at once
 * rather than asking again); no answer within the timeout refuses the
 * waiting requests (`llm_use_denied` by the daemon) and the next request
 * asks again. A request whose client went away stops waiting; a pending
 * approval nobody waits on any more is dropped. `full-control` and
 * remembered grants pass without asking.
 */
export class LlmUseApprovals {
	readonly #options: LlmUseApprovalsOptions;
	readonly #timeoutMs: number;
	readonly #pending = new Map<string, Pending>();
	/** Decisions per run and provider, for the rest of the run. */
	readonly #decided = new Map<string, boolean>();

	constructor(options: LlmUseApprovalsOptions) {
		this.#options = options;
		this.#timeoutMs = options.timeoutMs ?? DEFAULT_LLM_APPROVAL_TIMEOUT_MS;
	}

	/** Resolves true when `run` may go on using `provider` (see the class). */
	async approveFirstUse(
		run: RegisteredRun,
		provider: string,
		signal: AbortSignal,
	): Promise<boolean> {
		const grant = run.llm.find((candidate) => candidate.provider === provider);
		// The proxy refuses a provider the run was not approved for before it asks; never pass one here either.
		if (grant === undefined) return false;
		if (grant.remembered) return true;
		if (this.#options.securityMode() === 'full-control') return true;
		const key = keyOf(run.runId, provider);
		const decided = this.#decided.get(key);
		if (decided !== undefined) return decided;
		if (signal.aborted) return false;
		let pending = this.#pending.get(key);
		if (pending === undefined) {
			pending = this.#ask(run, provider, key);
		}
		return this.#wait(pending, key, signal);
	}

	/** The approvals waiting now, oldest first. */
	pending(): LlmPendingApproval[] {
		return [...this.#pending.values()]
			.sort((a, b) => a.requestedAt - b.requestedAt)
			.map((pending) => ({
				agentId: pending.agentId,
				runId: pending.runId,
				provider: pending.provider,
				requestedAt: new Date(pending.requestedAt).toISOString(),
				expiresAt: new Date(pending.expiresAt).toISOString(),
				waiting: pending.waiters.size,
			}));
	}

	/**
	 * Answers every pending approval of `agentId` and `provider` (one per run
	 * waiting), audited as `llm_use_approved` / `llm_use_denied` by `actor`.
	 * NOT_FOUND when none is pending.
	 */
	async decide(input: {
		readonly agentId: string;
		readonly provider: string;
		readonly deny: boolean;
		readonly actor: ChangeActor;
	}): Promise<LlmApprovalDecision> {
		const matching = [...this.#pending.values()].filter(
			(pending) => pending.agentId === input.agentId && pending.provider === input.provider,
		);
		if (matching.length === 0) {
			throw new AgentSpaceError(
				`no request of ${input.agentId} to use ${input.provider} is waiting for approval`,
				{
					code: 'NOT_FOUND',
					hint: 'see what is waiting: agentspace keys pending (a request waits at most 120 s, then asks again on its next one)',
				},
			);
		}
		const approved = !input.deny;
		for (const pending of matching) {
			const key = keyOf(pending.runId, pending.provider);
			this.#decided.set(key, approved);
			await this.#audit(approved ? 'llm_use_approved' : 'llm_use_denied', pending, input.actor);
			this.#settle(key, approved);
		}
		this.#options.log?.(
			`keys: ${input.actor.id} ${approved ? 'approved' : 'denied'} ${input.provider} for ${input.agentId} (${matching.map((p) => p.runId).join(', ')})`,
		);
		return {
			agentId: input.agentId,
			provider: input.provider,
			decision: approved ? 'approved' : 'denied',
			runs: matching.map((pending) => pending.runId),
		};
	}

	/** Forgets a run that ended: its waiting requests are refused, its decisions dropped. */
	endRun(runId: string): void {
		for (const [key, pending] of this.#pending) {
			if (pending.runId === runId) this.#settle(key, false);
		}
		for (const key of this.#decided.keys()) {
			if (key.startsWith(`${runId}\n`)) this.#decided.delete(key);
		}
	}

	/** Refuses every waiting request (the daemon is shutting down). */
	close(): void {
		for (const key of [...this.#pending.keys()]) this.#settle(key, false);
	}

	#ask(run: RegisteredRun, provider: string, key: string): Pending {
		const now = Date.now();
		const pending: Pending = {
			agentId: run.agentId,
			runId: run.runId,
			provider,
			requestedAt: now,
			expiresAt: now + this.#timeoutMs,
			waiters: new Set(),
			timer: setTimeout(() => void this.#expire(key, pending), this.#timeoutMs),
		};
		pending.timer.unref();
		this.#pending.set(key, pending);
		void this.#audit('llm_use_requested', pending, { type: 'agent', id: run.agentId });
		this.#options.log?.(
			`keys: ${run.agentId} (run ${run.runId}) asks to use ${provider}: agentspace keys approve ${run.agentId} ${provider}`,
		);
		return pending;
	}

	#wait(pending: Pending, key: string, signal: AbortSignal): Promise<boolean> {
		return new Promise<boolean>((resolve) => {
			const waiter = (approved: boolean) => {
				signal.removeEventListener('abort', onAbort);
				resolve(approved);
			};
			const onAbort = () => {
				pending.waiters.delete(waiter);
				// Nobody waits on it any more: nothing left to approve.
				if (pending.waiters.size === 0 && this.#pending.get(key) === pending) {
					clearTimeout(pending.timer);
					this.#pending.delete(key);
					this.#options.log?.(
						`keys: ${pending.agentId} (run ${pending.runId}) stopped waiting for ${pending.provider}`,
					);
				}
				resolve(false);
			};
			pending.waiters.add(waiter);
			signal.addEventListener('abort', onAbort, { once: true });
		});
	}

	async #expire(key: string, pending: Pending): Promise<void> {
		if (this.#pending.get(key) !== pending) return;
		this.#options.log?.(
			`keys: no answer for ${pending.agentId}'s use of ${pending.provider} within ${Math.round(this.#timeoutMs / 1000)} s: refused`,
		);
		this.#settle(key, false);
		await this.#audit('llm_use_denied', pending, DAEMON_ACTOR, {
			reason: `no answer within ${Math.round(this.#timeoutMs / 1000)} s`,
		});
	}

	#settle(key: string, approved: boolean): void {
		const pending = this.#pending.get(key);
		if (pending === undefined) return;
		this.#pending.delete(key);
		clearTimeout(pending.timer);
		for (const waiter of pending.waiters) waiter(approved);
		pending.waiters.clear();
	}

	async #audit(
		eventType: 'llm_use_requested' | 'llm_use_approved' | 'llm_use_denied',
		pending: Pending,
		actor: ChangeActor,
		extra: Record<string, string> = {},
	): Promise<void> {
		try {
			await recordAuditEvent(this.#options.db, {
				eventType,
				actor: { type: actor.type, id: actor.id },
				subject: { type: 'provider', id: pending.provider },
				severity: 'security',
				metadata: {
					provider: pending.provider,
					agentId: pending.agentId,
					runId: pending.runId,
					...extra,
				},
				...(this.#options.sourceApp === undefined ? {} : { sourceApp: this.#options.sourceApp }),
			});
		} catch (error) {
			// The decision stands either way; a failed write (a full disk) is said, not thrown.
			this.#options.log?.(`keys: could not audit ${eventType}: ${(error as Error).message}`);
		}
	}
}
