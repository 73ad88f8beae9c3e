import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { Callsign, Identifier, Text } from './fields.js';

// A callsign is unique within a project, so the project is part of the stream.
const pilotStream = ({ project_key, callsign }: { project_key: string; callsign: string }) =>
	`pilot:${project_key}:${callsign}`;

const profile = {
	program: z.string().min(1).max(128).optional(),
	model: z.string().min(1).max(128).optional(),
	task_description: Text.optional(),
};

/** Pilots: agent sessions that take part in coordinated work. */
export const PILOT_EVENTS = [
	defineEvent('pilot_registered', { callsign: Callsign, ...profile }, pilotStream),
	defineEvent('pilot_active', { callsign: Callsign, activity: Text.optional() }, pilotStream),
	defineEvent('pilot_deregistered', { callsign: Callsign, reason: Text.optional() }, pilotStream),
	defineEvent(
		'pilot_spawned',
		{ callsign: Callsign, spawned_by: Callsign, sortie_id: Identifier.optional(), ...profile },
		pilotStream,
	),
	defineEvent(
		'pilot_terminated',
		{ callsign: Callsign, reason: Text, terminated_by: Callsign.optional() },
		pilotStream,
	),
] as const;
