import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { Callsign, Identifier, IsoTime, Text, Title } from './fields.js';

// A resource or cursor name is unique within a project, so the project is part of the stream.
const lockStream = ({ project_key, resource }: { project_key: string; resource: string }) =>
	`lock:${project_key}:${resource}`;
const reviewStream = ({ review_id }: { review_id: string }) => `review:${review_id}`;

/** Coordination: decisions, exclusive locks, read cursors and reviews. */
export const COORDINATION_EVENTS = [
	defineEvent(
		'coordinator_decision',
		{
			decision_id: Identifier,
			decided_by: Callsign,
			decision: Text,
			rationale: Text.optional(),
			subject: Identifier.optional(),
		},
		({ decision_id }) => `decision:${decision_id}`,
	),
	defineEvent(
		'lock_acquired',
		{
			lock_id: Identifier,
			resource: Title,
			holder: Callsign,
			ttl_seconds: z
				.int()
				.min(1)
				.max(24 * 3600),
			expires_at: IsoTime,
		},
		lockStream,
	),
	defineEvent(
		'lock_released',
		{ lock_id: Identifier, resource: Title, holder: Callsign },
		lockStream,
	),
	defineEvent(
		'cursor_moved',
		{
			cursor_id: Identifier,
			owner: Callsign.optional(),
			target_stream_id: z.string().min(1).max(1024).optional(),
			position: z.int().nonnegative(),
		},
		({ project_key, cursor_id }) => `cursor:${project_key}:${cursor_id}`,
	),
	defineEvent(
		'review_started',
		{ review_id: Identifier, reviewer: Callsign, subject: Identifier, note: Text.optional() },
		reviewStream,
	),
	defineEvent(
		'review_completed',
		{
			review_id: Identifier,
			reviewer: Callsign,
			verdict: z.enum(['approved', 'changes_requested', 'rejected']),
			notes: Text.optional(),
		},
		reviewStream,
	),
] as const;
