import { RESTART_POLICIES } from '@agentspace/agents';
import { ActorSchema } from '@agentspace/events';
import { z } from 'zod';
import { MAX_REQUEST_BYTES } from './maxRequestBytes.js';

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
			restart: z.enum(RESTART_POLICIES),
			unsandboxed: z.boolean(),
			env: z.record(z.string().max(256), z.string().max(MAX_REQUEST_BYTES)),
			actor: ActorSchema,
		}),
	}),
	z.strictObject({
		token: z.string(),
		method: z.literal('stop'),
		params: z.strictObject({ id: AgentId, graceMs: GraceMs, actor: ActorSchema }),
	}),
	z.strictObject({
		token: z.string(),
		method: z.literal('stopAll'),
		params: z.strictObject({ graceMs: GraceMs, actor: ActorSchema }),
	}),
	z.strictObject({
		token: z.string(),
		method: z.literal('ui'),
		params: z.strictObject({ port: z.int().min(1).max(65_535), actor: ActorSchema }),
	}),
	z.strictObject({
		token: z.string(),
		method: z.literal('uiClose'),
		params: z.strictObject({ actor: ActorSchema }),
	}),
	z.strictObject({
		token: z.string(),
		method: z.literal('shutdown'),
		params: z.strictObject({ graceMs: GraceMs, actor: ActorSchema }),
	}),
]);

/** A checked request. */
export type CheckedDaemonRequest = z.infer<typeof DaemonRequestSchema>;

/** The parameters of each method, as the schema checks them. */
export type DaemonParams = {
	readonly [R in CheckedDaemonRequest as R['method']]: R['params'];
};

/** Every method name. */
export type DaemonMethod = keyof DaemonParams;
