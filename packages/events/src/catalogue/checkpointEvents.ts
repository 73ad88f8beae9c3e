import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { Callsign, Identifier, JsonObject, Text } from './fields.js';

const checkpointStream = ({ checkpoint_id }: { checkpoint_id: string }) =>
	`checkpoint:${checkpoint_id}`;

/** Checkpoints: what a pilot needs to pick its work up again after a restart or a compaction. */
export const CHECKPOINT_EVENTS = [
	defineEvent(
		'checkpoint_created',
		{
			checkpoint_id: Identifier,
			callsign: Callsign,
			summary: Text,
			context: JsonObject.default({}),
			trigger: z.enum(['manual', 'auto']).default('manual'),
			mission_id: Identifier.optional(),
			sortie_id: Identifier.optional(),
		},
		checkpointStream,
	),
	defineEvent(
		'context_compacted',
		{
			checkpoint_id: Identifier,
			callsign: Callsign,
			summary: Text,
			context: JsonObject.default({}),
			tokens_before: z.int().nonnegative(),
			tokens_after: z.int().nonnegative(),
		},
		checkpointStream,
	),
	defineEvent(
		'checkpoint_restored',
		{ checkpoint_id: Identifier, callsign: Callsign },
		checkpointStream,
	),
	defineEvent(
		'checkpoint_deleted',
		{ checkpoint_id: Identifier, deleted_by: Callsign.optional() },
		checkpointStream,
	),
] as const;
