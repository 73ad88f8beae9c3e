import { ActorSchema } from '@agentspace/events';
import { z } from 'zod';
import { method } from '../methodTable.js';
import { AgentIdSchema } from '../paramSchemas.js';
import type { LlmApprovalDecision, LlmPendingApproval } from './keysApprovals.js';

/** The LLM endpoint's state (`agentspace keys serve`, `daemon status`). */
export interface LlmEndpointStatus {
	/** `serving` once it listens; `failed` when it could not (see reason); `stopped` before it starts and once closed. */
	readonly state: 'serving' | 'failed' | 'stopped';
	/** `http://127.0.0.1:<port>`, where it serves (or would). */
	readonly url: string;
	readonly port: number;
	/** The Unix socket sandboxed runs reach it through. */
	readonly socketPath: string;
	/** Why it is not serving, when it failed. */
	readonly reason?: string;
	/** Requests it has received since the daemon started. */
	readonly requests: number;
	/** First uses waiting for `agentspace keys approve`. */
	readonly pending: number;
}

/** The LLM endpoint's part of `status`. */
export interface KeysStatus {
	readonly llmEndpoint: LlmEndpointStatus;
}

/** The LLM endpoint's methods: `keys serve`, `keys pending`, `keys approve`. */
export const KEYS_METHODS = {
	keysStatus: method<LlmEndpointStatus>()(z.strictObject({})),
	keysPending: method<{ readonly pending: readonly LlmPendingApproval[] }>()(z.strictObject({})),
	keysApprove: method<LlmApprovalDecision>()(
		z.strictObject({
			agentId: AgentIdSchema,
			// A provider id (`anthropic`, `openai-compatible:<name>`): matched as given against what is pending.
			provider: z.string().min(1).max(64),
			deny: z.boolean().optional(),
			actor: ActorSchema,
		}),
	),
};
