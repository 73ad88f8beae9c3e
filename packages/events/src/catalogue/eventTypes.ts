import type { EventType } from './catalogue.js';

/**
 * Every event type and the current version of its payload, as plain data. The
 * read path (queries, upcasting, replay) needs only this, so reading the log
 * does not load the Zod catalogue — that keeps `agentspace events list` fast.
 * A test checks it against the definitions.
 */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<EventType, number>> = {
	agent_discovered: 1,
	agent_updated: 1,
	agent_installed: 1,
	agent_build_started: 1,
	agent_built: 1,
	agent_build_failed: 1,
	agent_enabled: 1,
	agent_permissions_revoked: 1,
	agent_run_started: 1,
	agent_run_stopped: 1,
	agent_run_crashed: 1,
	agent_run_unhealthy: 1,
	agent_errored: 1,
	agent_uninstalled: 1,
	pilot_registered: 1,
	pilot_active: 1,
	pilot_deregistered: 1,
	pilot_spawned: 1,
	pilot_terminated: 1,
	message_sent: 2,
	message_read: 1,
	message_acknowledged: 1,
	message_deleted: 1,
	thread_created: 1,
	file_reserved: 1,
	file_released: 1,
	file_conflict: 1,
	file_reservation_renewed: 1,
	sortie_created: 1,
	sortie_assigned: 1,
	sortie_started: 1,
	sortie_progress: 1,
	sortie_blocked: 1,
	sortie_resumed: 1,
	sortie_completed: 1,
	mission_created: 1,
	mission_started: 1,
	mission_completed: 1,
	mission_updated: 1,
	work_order_created: 1,
	work_order_status_changed: 1,
	work_order_completed: 1,
	checkpoint_created: 1,
	context_compacted: 1,
	checkpoint_restored: 1,
	checkpoint_deleted: 1,
	coordinator_decision: 1,
	lock_acquired: 1,
	lock_released: 1,
	cursor_moved: 1,
	review_started: 1,
	review_completed: 1,
	agent_mcp_connected: 1,
	agent_tools_listed: 1,
	agent_tools_cleared: 1,
	tool_pinned: 1,
	tool_drifted: 1,
	tool_accepted: 1,
	tool_policy_set: 1,
	mcp_token_minted: 1,
	mcp_token_revoked: 1,
	key_added: 1,
	key_updated: 1,
	key_removed: 1,
	secret_set: 1,
	secret_removed: 1,
	key_limit_set: 1,
	key_token_minted: 1,
	key_token_revoked: 1,
};

/** Every event type name, in catalogue order. */
export const EVENT_TYPES: readonly EventType[] = Object.keys(EVENT_SCHEMA_VERSIONS) as EventType[];

/** True when `type` names an event in the catalogue. */
export function isKnownEventType(type: unknown): type is EventType {
	return typeof type === 'string' && Object.hasOwn(EVENT_SCHEMA_VERSIONS, type);
}

/** The fields every event has besides its payload (`type` included). */
export const ENVELOPE_FIELDS: ReadonlySet<string> = new Set([
	'id',
	'type',
	'project_key',
	'stream_id',
	'stream_version',
	'sequence',
	'timestamp',
	'schema_version',
	'metadata',
]);
