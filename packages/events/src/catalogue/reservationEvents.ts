import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { Callsign, Glob, Identifier, IsoTime, Text } from './fields.js';

const reservationStream = ({ reservation_id }: { reservation_id: string }) =>
	`reservation:${reservation_id}`;

/** A reservation lasts from one second to a week. */
const TtlSeconds = z
	.int()
	.min(1)
	.max(7 * 24 * 3600);

/** Advisory file reservations: granted, with conflicts reported, and expiring on their own. */
export const RESERVATION_EVENTS = [
	defineEvent(
		'file_reserved',
		{
			reservation_id: Identifier,
			holder: Callsign,
			paths: z.array(Glob).min(1).max(256),
			exclusive: z.boolean().default(true),
			reason: Text.optional(),
			ttl_seconds: TtlSeconds,
			expires_at: IsoTime,
		},
		reservationStream,
	),
	defineEvent(
		'file_released',
		{ reservation_id: Identifier, holder: Callsign, released_by: Callsign.optional() },
		reservationStream,
	),
	defineEvent(
		'file_conflict',
		{
			reservation_id: Identifier,
			holder: Callsign,
			conflicting_reservation_id: Identifier,
			conflicting_holder: Callsign,
			paths: z.array(Glob).min(1).max(256),
		},
		reservationStream,
	),
	defineEvent(
		'file_reservation_renewed',
		{ reservation_id: Identifier, holder: Callsign, ttl_seconds: TtlSeconds, expires_at: IsoTime },
		reservationStream,
	),
] as const;
