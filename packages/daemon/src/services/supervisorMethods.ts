import { RESTART_POLICIES, type StoppedAgent, type SupervisedAgent } from '@agentspace/agents';
import { ActorSchema } from '@agentspace/events';
import { z } from 'zod';
import { MAX_REQUEST_BYTES } from '../maxRequestBytes.js';
import { method } from '../methodTable.js';
import { AgentIdSchema, GraceMsSchema } from '../paramSchemas.js';

/** The supervisor's methods: `agents run` / `agents stop` through the daemon. */
export const SUPERVISOR_METHODS = {
	run: method<SupervisedAgent>()(
		z.strictObject({
			id: AgentIdSchema,
			restart: z.enum(RESTART_POLICIES),
			unsandboxed: z.boolean(),
			env: z.record(z.string().max(256), z.string().max(MAX_REQUEST_BYTES)),
			actor: ActorSchema,
		}),
	),
	stop: method<StoppedAgent>()(
		z.strictObject({ id: AgentIdSchema, graceMs: GraceMsSchema, actor: ActorSchema }),
	),
	stopAll: method<readonly StoppedAgent[]>()(
		z.strictObject({ graceMs: GraceMsSchema, actor: ActorSchema }),
	),
};

/** The supervisor's part of `status`. */
export interface SupervisorStatus {
	readonly agents: readonly SupervisedAgent[];
}

/** The supervisor's part of the `shutdown` answer: every agent it stopped. */
export interface SupervisorClosed {
	readonly stopped: readonly StoppedAgent[];
}
