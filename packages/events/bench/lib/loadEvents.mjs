// Events for the large store (targets 3 and 4). A batch is one work session of
// a project: 50 rounds of the same 20 event types (a pilot registers, messages,
// runs a mission's sortie with a work order, reserves files, checkpoints…), all
// on the session's own stream. With 10 projects and 20 types, one project and
// type picks 0.5% of the log: a selective filter, as in real use.
//
// Events are built as plain objects rather than through createEvent: the
// store validates every event on append anyway, and validating twice would
// double the build time without exercising anything new.
import { generateId } from '@agentspace/core';
import { eventDefinition } from '@agentspace/events';

/** The event types of the large store, in the order each round writes them. */
export const LOAD_TYPES = [
	'pilot_registered',
	'pilot_active',
	'thread_created',
	'message_sent',
	'message_read',
	'mission_created',
	'mission_started',
	'sortie_created',
	'sortie_assigned',
	'sortie_started',
	'sortie_progress',
	'sortie_completed',
	'work_order_created',
	'work_order_status_changed',
	'work_order_completed',
	'file_reserved',
	'file_released',
	'checkpoint_created',
	'cursor_moved',
	'coordinator_decision',
];

/** The projects of the large store. */
export const LOAD_PROJECTS = Array.from({ length: 10 }, (_, p) => `/bench/project-${p}`);

const EPOCH = Date.parse('2025-01-01T00:00:00.000Z');

function payloads(key, callsign, other, n) {
	const sortie = `s-${key}`;
	const workOrder = `wo-${key}`;
	const reservation = `r-${key}`;
	return [
		{ callsign, program: 'bench', model: 'model-1', task_description: 'load the event store' },
		{ callsign, activity: 'editing src/store' },
		{ thread_id: `t-${key}`, subject: `plan ${key}`, created_by: callsign },
		{
			message_id: `m-${key}`,
			from: callsign,
			to: [other],
			subject: `plan ${key}`,
			body: 'Taking the store module; the projections are yours. Shout if the schema moves.',
			thread_id: `t-${key}`,
			importance: 'normal',
			ack_required: false,
		},
		{ message_id: `m-${key}`, callsign: other },
		{ mission_id: `mi-${key}`, title: `mission ${key}`, priority: 'normal' },
		{ mission_id: `mi-${key}` },
		{
			sortie_id: sortie,
			title: `sortie ${key}`,
			mission_id: `mi-${key}`,
			priority: 'high',
			files: ['src/store/**'],
			depends_on: [],
		},
		{ sortie_id: sortie, assignee: callsign },
		{ sortie_id: sortie, callsign },
		{ sortie_id: sortie, percent: 50, note: 'half way' },
		{ sortie_id: sortie, outcome: 'succeeded', summary: 'done, tests green' },
		{ work_order_id: workOrder, title: `work order ${key}`, sortie_id: sortie, assignee: callsign },
		{ work_order_id: workOrder, status: 'in_progress' },
		{ work_order_id: workOrder, result: 'merged' },
		{
			reservation_id: reservation,
			holder: callsign,
			paths: ['src/store/**'],
			exclusive: true,
			ttl_seconds: 600,
			expires_at: new Date(EPOCH + n * 10 + 600_000).toISOString(),
		},
		{ reservation_id: reservation, holder: callsign },
		{
			checkpoint_id: `cp-${key}`,
			callsign,
			summary: 'store module half done',
			context: { files: ['src/store/appendToStream.ts'], step: n },
			trigger: 'manual',
			sortie_id: sortie,
		},
		{ cursor_id: `inbox-${callsign}`, owner: callsign, position: n },
		{ decision_id: `d-${key}`, decided_by: callsign, decision: 'ship it', rationale: 'green' },
	];
}

/**
 * Batch `b` of the large store: `size` events (a multiple of 20) of one
 * project, all on one new stream, global event numbers from `b * size`.
 */
export function loadBatch(b, size) {
	const project = LOAD_PROJECTS[b % LOAD_PROJECTS.length];
	const stream = `session:${project}:${b}`;
	const events = [];
	for (let round = 0; round < size / LOAD_TYPES.length; round++) {
		const key = `${b}-${round}`;
		const callsign = `pilot-${key}`;
		const n = b * size + events.length;
		const data = payloads(key, callsign, `pilot-${b}-${(round + 1) % 50}`, n);
		for (const [t, type] of LOAD_TYPES.entries()) {
			events.push({
				id: generateId('evt'),
				type,
				project_key: project,
				stream_id: stream,
				timestamp: new Date(EPOCH + (n + t) * 10).toISOString(),
				schema_version: eventDefinition(type).schemaVersion,
				metadata: { actor: { type: 'agent', id: callsign } },
				...data[t],
			});
		}
	}
	return events;
}
