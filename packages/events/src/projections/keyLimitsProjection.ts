import { defineProjection } from './defineProjection.js';

/**
 * The key limits projection: `key_limits`, one row per agent and provider
 * with a limit. Both limits null means none: the row goes.
 */
export const keyLimitsProjection = defineProjection({
	name: 'key-limits',
	tables: ['key_limits'],
	handlers: {
		key_limit_set: (context, e) => {
			if (e.rpm === null && e.tokens_per_day === null) {
				context.run(
					'DELETE FROM key_limits WHERE agent_id = ? AND provider = ?',
					e.agent_id,
					e.provider,
				);
				return;
			}
			context.run(
				`INSERT INTO key_limits (agent_id, provider, rpm, tokens_per_day, set_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (agent_id, provider) DO UPDATE SET rpm = excluded.rpm,
				tokens_per_day = excluded.tokens_per_day, set_at = excluded.set_at`,
				e.agent_id,
				e.provider,
				e.rpm,
				e.tokens_per_day,
				e.timestamp,
			);
		},
	},
});
