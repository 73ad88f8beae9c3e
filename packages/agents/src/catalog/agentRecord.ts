import type { AgentSpaceDb } from '@agentspace/db';
import { type ApprovalState, approvalState } from '@agentspace/events';

// The rule behind `approval` is the agents projection's (approvalState in
// @agentspace/events): the catalogue only reads rows through it.
export type { ApprovalState };

/** One agent as the catalogue (the `agents` projection) knows it. */
export interface AgentRecord {
	readonly id: string;
	readonly name: string;
	readonly version: string;
	readonly description: string | null;
	/** discovered | installed | built | build_failed | enabled | running | stopped | crashed | uninstalled */
	readonly status: string;
	/** none | building | built | failed */
	readonly buildStatus: string;
	readonly buildError: string | null;
	readonly builtAt: string | null;
	readonly manifestPath: string | null;
	readonly manifestHash: string;
	readonly permissionsHash: string;
	readonly requestedPermissions: readonly string[];
	readonly sourceUrl: string | null;
	/** The checkout, when installed. */
	readonly installPath: string | null;
	readonly installedRef: string | null;
	readonly installedCommit: string | null;
	/** Null when not enabled. */
	readonly approvedPermissions: readonly string[] | null;
	readonly approvedManifestHash: string | null;
	readonly approvedPermissionsHash: string | null;
	readonly enabledAt: string | null;
	readonly approval: ApprovalState;
	readonly currentRunId: string | null;
	readonly runCount: number;
	readonly discoveredAt: string;
	readonly updatedAt: string;
}

interface AgentRow {
	agent_id: string;
	name: string;
	version: string;
	description: string | null;
	status: string;
	build_status: string;
	build_error: string | null;
	built_at: string | null;
	manifest_path: string | null;
	manifest_hash: string;
	permissions_hash: string;
	requested_permissions: string;
	source_url: string | null;
	install_path: string | null;
	installed_ref: string | null;
	installed_commit: string | null;
	approved_permissions: string | null;
	approved_manifest_hash: string | null;
	approved_permissions_hash: string | null;
	enabled_at: string | null;
	current_run_id: string | null;
	run_count: number;
	discovered_at: string;
	updated_at: string;
}

function toRecord(row: AgentRow): AgentRecord {
	const approved =
		row.approved_permissions === null ? null : (JSON.parse(row.approved_permissions) as string[]);
	return {
		id: row.agent_id,
		name: row.name,
		version: row.version,
		description: row.description,
		status: row.status,
		buildStatus: row.build_status,
		buildError: row.build_error,
		builtAt: row.built_at,
		manifestPath: row.manifest_path,
		manifestHash: row.manifest_hash,
		permissionsHash: row.permissions_hash,
		requestedPermissions: JSON.parse(row.requested_permissions) as string[],
		sourceUrl: row.source_url,
		installPath: row.install_path,
		installedRef: row.installed_ref,
		installedCommit: row.installed_commit,
		approvedPermissions: approved,
		approvedManifestHash: row.approved_manifest_hash,
		approvedPermissionsHash: row.approved_permissions_hash,
		enabledAt: row.enabled_at,
		approval: approvalState(row),
		currentRunId: row.current_run_id,
		runCount: row.run_count,
		discoveredAt: row.discovered_at,
		updatedAt: row.updated_at,
	};
}

/** The catalogue entry for `id`, or undefined when there is none. */
export function getAgent(db: AgentSpaceDb, id: string): AgentRecord | undefined {
	const row = db.$client.prepare('SELECT * FROM agents WHERE agent_id = ?').get(id) as
		| AgentRow
		| undefined;
	return row === undefined ? undefined : toRecord(row);
}

/** Every agent in the catalogue, by id; uninstalled ones only when asked for. */
export function listAgents(
	db: AgentSpaceDb,
	options: { readonly includeUninstalled?: boolean } = {},
): AgentRecord[] {
	const rows = db.$client
		.prepare(
			options.includeUninstalled === true
				? 'SELECT * FROM agents ORDER BY agent_id'
				: `SELECT * FROM agents WHERE status <> 'uninstalled' ORDER BY agent_id`,
		)
		.all() as AgentRow[];
	return rows.map(toRecord);
}
