import { z } from 'zod';
import { RESTART_POLICIES } from '../launcher/restartPolicy.js';
import { MAX_REQUEST_BYTES } from './daemonProtocol.js';

const Actor = z.strictObject({
	type: z.enum(['human', 'system', 'agent']),
	id: z.string().min(1).max(256),
});
const AgentId = z.string().min(1).max(128);
const GraceMs = z.int().min(0).max(3_600_000);

/** Every request the daemon accepts, checked before anything runs. */
export const DaemonRequestSchema = z.discriminatedUnion('method', [
	z.strictObject({ token: z.string(), method: z.literal('status'), params: z.strictObject({}) }),
	z.strictObject({
		token: z.string(),
		method: z.literal('run'),
		params: z.strictObject({
			id: AgentId,
			restart: z.enum(RESTART_POLICIES as [string, ...string[]]),
			unsandboxed: z.boolean(),
			env: z.record(z.string().max(256), z.string().max(MAX_REQUEST_BYTES)),
			actor: Actor,
		}),
	}),
	z.strictObject({
		token: z.string(),
		method: z.literal('stop'),
		params: z.strictObject({ id: AgentId, graceMs: GraceMs, actor: Actor }),
	}),
	z.strictObject({
		token: z.string(),
		method: z.literal('stopAll'),
		params: z.strictObject({ graceMs: GraceMs, actor: Actor }),
	}),
	z.strictObject({
		token: z.string(),
		method: z.literal('shutdown'),
		params: z.strictObject({ graceMs: GraceMs, actor: Actor }),
	}),
]);

/** A checked request. */
export type CheckedDaemonRequest = z.infer<typeof DaemonRequestSchema>;
