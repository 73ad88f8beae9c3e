import { z } from 'zod';
import { IsoTime } from './fields.js';

/**
 * Who caused an event: a person at the CLI or UI, AgentSpace itself, an
 * agent, or an MCP client (id: the name it gave at initialize) acting through
 * `agentspace mcp` — a program, often a model, not the person who runs it.
 */
export const ActorSchema = z.strictObject({
	type: z.enum(['human', 'system', 'agent', 'mcp-client']),
	id: z.string().min(1).max(256),
});
/** An event's actor. */
export type Actor = z.infer<typeof ActorSchema>;

/** Who caused an event and how it links to others (a request's correlation id, the event that caused it). */
export const EventMetadataSchema = z.strictObject({
	actor: ActorSchema,
	correlation_id: z.string().min(1).max(256).optional(),
	causation_id: z.string().min(1).max(256).optional(),
});
/** An event's metadata. */
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

/** `evt_` followed by 8-64 URL-safe characters. */
export const EventIdSchema = z
	.string()
	.regex(
		/^evt_[A-Za-z0-9_-]{8,64}$/,
		'must be "evt_" followed by 8-64 letters, digits, "_" or "-"',
	);

/** Envelope fields every event carries before it is stored. */
export const pendingEnvelopeShape = {
	id: EventIdSchema,
	project_key: z.string().min(1).max(1024),
	stream_id: z.string().min(1).max(1024),
	timestamp: IsoTime,
	schema_version: z.int().positive(),
	metadata: EventMetadataSchema,
};

/** Envelope fields of a stored event: the pending ones plus the positions the store assigned. */
export const storedEnvelopeShape = {
	...pendingEnvelopeShape,
	/** Global position in the log (1, 2, 3… in commit order). */
	sequence: z.int().positive(),
	/** Position within the stream (1, 2, 3…). */
	stream_version: z.int().positive(),
};
