import { z } from 'zod';
import { pendingEnvelopeShape, storedEnvelopeShape } from './envelope.js';

/** What a stream-naming function sees: the payload plus the project it belongs to. */
export type StreamSource<P> = P & { readonly project_key: string };

/**
 * One event type: its name, the current version of its payload, the Zod schemas
 * for the payload, the event before it is stored and the stored event, and the
 * stream an event of this type goes to unless the caller names one.
 */
export interface EventDefinition<T extends string, S extends z.core.$ZodLooseShape> {
	readonly type: T;
	readonly schemaVersion: number;
	readonly payload: z.ZodObject<S, z.core.$strict>;
	readonly pending: z.ZodObject<
		typeof pendingEnvelopeShape & { type: z.ZodLiteral<T> } & S,
		z.core.$strict
	>;
	readonly stored: z.ZodObject<
		typeof storedEnvelopeShape & { type: z.ZodLiteral<T> } & S,
		z.core.$strict
	>;
	readonly streamOf: (source: StreamSource<z.output<z.ZodObject<S>>>) => string;
}

/**
 * Declares an event type. Payload fields sit flat on the event next to the
 * envelope, so `isEventType(e, 'pilot_registered')` narrows `e.callsign`.
 * Bump `version` when the payload's shape changes, and register an upcaster
 * from the previous version (see `upcasting/upcasters.ts`).
 */
export function defineEvent<const T extends string, const S extends z.core.$ZodLooseShape>(
	type: T,
	shape: S,
	streamOf: (source: StreamSource<z.output<z.ZodObject<S>>>) => string,
	options: { readonly version?: number } = {},
): EventDefinition<T, S> {
	const schemaVersion = options.version ?? 1;
	// Only the current version is accepted on write: older shapes reach the log
	// through upcasters on read, never by being stored under a wrong version.
	const typeShape = { type: z.literal(type), schema_version: z.literal(schemaVersion) };
	return {
		type,
		schemaVersion,
		payload: z.strictObject(shape),
		pending: z.strictObject({ ...pendingEnvelopeShape, ...typeShape, ...shape }),
		stored: z.strictObject({ ...storedEnvelopeShape, ...typeShape, ...shape }),
		streamOf,
	} as unknown as EventDefinition<T, S>;
}
