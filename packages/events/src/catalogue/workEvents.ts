import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { Callsign, Glob, Identifier, Priority, Text, Title } from './fields.js';

const sortieStream = ({ sortie_id }: { sortie_id: string }) => `sortie:${sortie_id}`;
const missionStream = ({ mission_id }: { mission_id: string }) => `mission:${mission_id}`;
const workOrderStream = ({ work_order_id }: { work_order_id: string }) =>
	`work_order:${work_order_id}`;

/** Sorties: single pieces of work, with dependencies between them. */
export const SORTIE_EVENTS = [
	defineEvent(
		'sortie_created',
		{
			sortie_id: Identifier,
			title: Title,
			description: Text.optional(),
			mission_id: Identifier.optional(),
			priority: Priority.default('normal'),
			files: z.array(Glob).max(256).default([]),
			depends_on: z.array(Identifier).max(256).default([]),
		},
		sortieStream,
	),
	defineEvent('sortie_assigned', { sortie_id: Identifier, assignee: Callsign }, sortieStream),
	defineEvent('sortie_started', { sortie_id: Identifier, callsign: Callsign }, sortieStream),
	defineEvent(
		'sortie_progress',
		{ sortie_id: Identifier, percent: z.int().min(0).max(100), note: Text.optional() },
		sortieStream,
	),
	defineEvent('sortie_blocked', { sortie_id: Identifier, reason: Text }, sortieStream),
	defineEvent('sortie_resumed', { sortie_id: Identifier, note: Text.optional() }, sortieStream),
	defineEvent(
		'sortie_completed',
		{
			sortie_id: Identifier,
			outcome: z.enum(['succeeded', 'failed', 'cancelled']),
			summary: Text.optional(),
		},
		sortieStream,
	),
] as const;

/** Missions: large pieces of work made of sorties. */
export const MISSION_EVENTS = [
	defineEvent(
		'mission_created',
		{
			mission_id: Identifier,
			title: Title,
			description: Text.optional(),
			priority: Priority.default('normal'),
		},
		missionStream,
	),
	defineEvent('mission_started', { mission_id: Identifier }, missionStream),
	defineEvent(
		'mission_completed',
		{ mission_id: Identifier, summary: Text.optional() },
		missionStream,
	),
	defineEvent(
		'mission_updated',
		{
			mission_id: Identifier,
			title: Title.optional(),
			description: Text.optional(),
			priority: Priority.optional(),
		},
		missionStream,
	),
] as const;

/** Work orders: small tasks inside a sortie. */
export const WORK_ORDER_EVENTS = [
	defineEvent(
		'work_order_created',
		{
			work_order_id: Identifier,
			title: Title,
			description: Text.optional(),
			sortie_id: Identifier.optional(),
			assignee: Callsign.optional(),
		},
		workOrderStream,
	),
	defineEvent(
		'work_order_status_changed',
		{
			work_order_id: Identifier,
			status: z.enum(['pending', 'in_progress', 'blocked', 'cancelled']),
			reason: Text.optional(),
		},
		workOrderStream,
	),
	defineEvent(
		'work_order_completed',
		{ work_order_id: Identifier, result: Text.optional() },
		workOrderStream,
	),
] as const;
