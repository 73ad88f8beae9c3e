import { createHash } from 'node:crypto';

/** One provider a run was approved for (`llm:<provider>`), and whether the approval was remembered. */
export interface RunLlmGrant {
	readonly provider: string;
	readonly remembered: boolean;
}

/** What the supervisor tells the daemon of a run before its process starts (K3's RunCredentials). */
export interface RegisteredRunCredentials {
	readonly agentId: string;
	readonly runId: string;
	readonly sessionToken: string;
	readonly llm: readonly RunLlmGrant[];
}

/** A run as the registry knows it (never its token). */
export interface RegisteredRun {
	readonly agentId: string;
	readonly runId: string;
	readonly llm: readonly RunLlmGrant[];
}

/** What a presented credential is to the registry. */
export type RunLookup =
	| { readonly found: 'live'; readonly run: RegisteredRun }
	| { readonly found: 'ended'; readonly agentId: string; readonly runId: string }
	| { readonly found: 'none' };

/**
 * How many ended runs' token hashes are kept to tell "this run has ended"
 * from "wrong token"; past it the oldest are forgotten (and refused as
 * wrong tokens, which they are as much).
 */
export const MAX_ENDED_RUNS = 4096;

const hashOf = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * The runs whose session tokens the LLM endpoint accepts: the supervisor
 * registers each run's token before its process starts and releases it when
 * the run ends (or fails to start). Only sha256 of each token is held; an
 * ended run's hash is remembered (bounded) so its token is refused as
 * `ended-run` rather than as a wrong token.
 */
export class RunRegistry {
	readonly #live = new Map<string, RegisteredRun>();
	readonly #ended = new Map<string, { agentId: string; runId: string }>();
	readonly #onEnded: ((run: RegisteredRun) => void)[] = [];

	/** Registers a run; the returned function releases it (once; later calls do nothing). */
	register(credentials: RegisteredRunCredentials): () => void {
		const hash = hashOf(credentials.sessionToken);
		const run: RegisteredRun = {
			agentId: credentials.agentId,
			runId: credentials.runId,
			llm: credentials.llm.map((grant) => ({
				provider: grant.provider,
				remembered: grant.remembered,
			})),
		};
		this.#live.set(hash, run);
		this.#ended.delete(hash);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			if (this.#live.get(hash) !== run) return;
			this.#live.delete(hash);
			this.#ended.set(hash, { agentId: run.agentId, runId: run.runId });
			if (this.#ended.size > MAX_ENDED_RUNS) {
				const oldest = this.#ended.keys().next().value;
				if (oldest !== undefined) this.#ended.delete(oldest);
			}
			for (const listener of this.#onEnded) listener(run);
		};
	}

	/** What `presented` (a caller's credential) is: a live run's token, an ended run's, or neither. */
	lookup(presented: string): RunLookup {
		const hash = hashOf(presented);
		const run = this.#live.get(hash);
		if (run !== undefined) return { found: 'live', run };
		const ended = this.#ended.get(hash);
		if (ended !== undefined) return { found: 'ended', ...ended };
		return { found: 'none' };
	}

	/** Calls `listener` with each run released from now on. */
	onEnded(listener: (run: RegisteredRun) => void): void {
		this.#onEnded.push(listener);
	}

	/** Runs registered now. */
	get size(): number {
		return this.#live.size;
	}
}
