import type { EventOfType } from '../catalogue/catalogue.js';
import { defineProjection } from './defineProjection.js';
import type { ProjectionContext } from './projectionContext.js';

function register(
	context: ProjectionContext,
	e: EventOfType<'pilot_registered' | 'pilot_spawned'>,
	spawnedBy: string | undefined,
): void {
	context.run(
		`INSERT INTO pilots (project_key, callsign, program, model, task_description, status, spawned_by,
			registered_at, last_active_at)
		VALUES (?, ?, ?, ?, ?, 'registered', ?, ?, ?)
		ON CONFLICT (project_key, callsign) DO UPDATE SET
			program = excluded.program, model = excluded.model,
			task_description = excluded.task_description, status = 'registered',
			spawned_by = excluded.spawned_by, registered_at = excluded.registered_at,
			last_active_at = excluded.last_active_at, ended_at = NULL, end_reason = NULL`,
		e.project_key,
		e.callsign,
		e.program,
		e.model,
		e.task_description,
		spawnedBy,
		e.timestamp,
		e.timestamp,
	);
}

function end(
	context: ProjectionContext,
	e: EventOfType<'pilot_deregistered' | 'pilot_terminated'>,
	status: string,
): void {
	context.run(
		`UPDATE pilots SET status = ?, ended_at = ?, end_reason = ?, last_active_at = ?
		WHERE project_key = ? AND callsign = ?`,
		status,
		e.timestamp,
		e.reason,
		e.timestamp,
		e.project_key,
		e.callsign,
	);
}

/** Pilots by project and callsign, with their status and last activity. */
export const pilotsProjection = defineProjection({
	name: 'pilots',
	tables: ['pilots'],
	handlers: {
		pilot_registered: (context, e) => register(context, e, undefined),
		pilot_spawned: (context, e) => register(context, e, e.spawned_by),
		pilot_active: (context, e) => {
			context.run(
				`UPDATE pilots SET status = 'active', last_active_at = ?
				WHERE project_key = ? AND callsign = ? AND status IN ('registered', 'active')`,
				e.timestamp,
				e.project_key,
				e.callsign,
			);
		},
		pilot_deregistered: (context, e) => end(context, e, 'deregistered'),
		pilot_terminated: (context, e) => end(context, e, 'terminated'),
	},
});
