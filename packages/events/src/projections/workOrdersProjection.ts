import { defineProjection } from './defineProjection.js';

/** Work orders and their status. */
export const workOrdersProjection = defineProjection({
	name: 'work_orders',
	tables: ['work_orders'],
	handlers: {
		work_order_created: (context, e) => {
			context.run(
				`INSERT INTO work_orders (work_order_id, project_key, sortie_id, title, description, status,
					assignee, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (work_order_id) DO NOTHING`,
				e.work_order_id,
				e.project_key,
				e.sortie_id,
				e.title,
				e.description,
				e.assignee,
				e.timestamp,
				e.timestamp,
			);
		},
		work_order_status_changed: (context, e) => {
			context.run(
				`UPDATE work_orders SET status = ?, updated_at = ?
				WHERE work_order_id = ? AND status != 'completed'`,
				e.status,
				e.timestamp,
				e.work_order_id,
			);
		},
		work_order_completed: (context, e) => {
			context.run(
				`UPDATE work_orders SET status = 'completed', result = ?, completed_at = ?, updated_at = ?
				WHERE work_order_id = ? AND status != 'completed'`,
				e.result,
				e.timestamp,
				e.timestamp,
				e.work_order_id,
			);
		},
	},
});
