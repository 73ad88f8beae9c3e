import type { ProviderId } from '../providers.js';

/** A run's approval to use one provider (`llm:<provider>`), and whether it was approved "remembered" (no first-use gate). */
export interface LlmGrant {
	readonly provider: ProviderId;
	readonly remembered: boolean;
}

/** Who is calling the endpoint: an agent's run (by its session token) or a user (by a minted key token). */
export type LlmCaller =
	| {
			readonly kind: 'run';
			readonly agentId: string;
			readonly runId: string;
			readonly providers: readonly LlmGrant[];
	  }
	| { readonly kind: 'user'; readonly tokenId: string; readonly name: string | null };

/** Why a presented credential was refused. */
export type LlmRefusal =
	| 'no-token'
	| 'wrong-token'
	| 'expired-token'
	| 'revoked-token'
	| 'ended-run';

/** The answer of the endpoint's `authenticate`: a caller, or why not. */
export type LlmAuth =
	| { readonly ok: true; readonly caller: LlmCaller }
	| { readonly ok: false; readonly refusal: LlmRefusal };

/** A run caller. */
export type LlmRunCaller = Extract<LlmCaller, { kind: 'run' }>;
