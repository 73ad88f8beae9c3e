import { ActorSchema } from '@agentspace/events';
import { z } from 'zod';
import { method } from './methodTable.js';
import { GraceMsSchema } from './paramSchemas.js';

/** What the daemon itself says in `status`, before its services' parts. */
export interface HostStatus {
	readonly pid: number;
	readonly startedAt: string;
	readonly socket: string;
	readonly rssBytes: number;
}

/**
 * The methods the host answers itself, whatever services it composes:
 * `status` (its own part, then each service's) and `shutdown` (closes every
 * service, then the socket). `S` and `C` are what its services add to them.
 */
export function hostMethods<S extends object = object, C extends object = object>() {
	return {
		status: method<HostStatus & S>()(z.strictObject({})),
		shutdown: method<C>()(z.strictObject({ graceMs: GraceMsSchema, actor: ActorSchema })),
	};
}
