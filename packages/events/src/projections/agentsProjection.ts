import type { EventOfType } from '../catalogue/catalogue.js';
import { approvalHoldsSql } from './approvalState.js';
import { defineProjection } from './defineProjection.js';
import { jsonColumn } from './json.js';
import type { ProjectionContext } from './projectionContext.js';

// The approval rule (approvalState.ts) as SQL: for the row as it is, and for
// the row an upsert is about to write (its approval, the new manifest's hashes).
const APPROVAL_HOLDS = approvalHoldsSql();
const REINSTALLED_AS_APPROVED = approvalHoldsSql({ approval: 'agents', manifest: 'excluded' });

type ManifestEvent = EventOfType<'agent_discovered' | 'agent_updated' | 'agent_installed'>;

// Discovery and install both describe the manifest; the row is created by
// whichever comes first.
function upsertManifest(
	context: ProjectionContext,
	e: ManifestEvent,
	status: string | null,
	install: { path: string; ref: string | null; commit: string } | null,
): void {
	context.run(
		`INSERT INTO agents (agent_id, project_key, name, version, description, manifest_path, source_url,
			manifest_hash, permissions_hash, requested_permissions, status, install_path, installed_ref,
			installed_commit, build_status, run_count, discovered_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'none', 0, ?, ?)
		ON CONFLICT (agent_id) DO UPDATE SET
			name = excluded.name, version = excluded.version, description = excluded.description,
			manifest_path = excluded.manifest_path, source_url = excluded.source_url,
			manifest_hash = excluded.manifest_hash, permissions_hash = excluded.permissions_hash,
			requested_permissions = excluded.requested_permissions,
			status = CASE WHEN ? IS NULL THEN (CASE WHEN agents.status = 'uninstalled' THEN 'discovered' ELSE agents.status END)
				WHEN agents.status = 'running' THEN 'running'
				-- Re-installed with the very manifest that was approved: still enabled.
				WHEN ${REINSTALLED_AS_APPROVED} THEN 'enabled'
				ELSE excluded.status END,
			install_path = CASE WHEN ? THEN excluded.install_path ELSE agents.install_path END,
			installed_ref = CASE WHEN ? THEN excluded.installed_ref ELSE agents.installed_ref END,
			installed_commit = CASE WHEN ? THEN excluded.installed_commit ELSE agents.installed_commit END,
			build_status = CASE WHEN ? THEN 'none' ELSE agents.build_status END,
			built_at = CASE WHEN excluded.install_path IS NOT NULL THEN NULL ELSE agents.built_at END,
			build_error = CASE WHEN excluded.install_path IS NOT NULL THEN NULL ELSE agents.build_error END,
			updated_at = excluded.updated_at`,
		e.agent_id,
		e.project_key,
		e.name,
		e.version,
		e.description,
		e.manifest_path,
		e.source_url,
		e.manifest_hash,
		e.permissions_hash,
		jsonColumn(e.requested_permissions),
		status ?? 'discovered',
		install?.path,
		install?.ref,
		install?.commit,
		e.timestamp,
		e.timestamp,
		status,
		install !== null,
		install !== null,
		install !== null,
		install !== null,
	);
}

function endRun(
	context: ProjectionContext,
	e: EventOfType<'agent_run_stopped' | 'agent_run_crashed'>,
	status: 'stopped' | 'crashed',
): void {
	context.run(
		`UPDATE agent_runs SET status = ?, ended_at = ?, exit_code = ?, signal = ?, reason = ?
		WHERE run_id = ? AND status = 'running'`,
		status,
		e.timestamp,
		e.exit_code,
		e.signal,
		e.reason,
		e.run_id,
	);
	context.run(
		`UPDATE agents SET status = ?, current_run_id = NULL, updated_at = ?
		WHERE agent_id = ? AND current_run_id = ?`,
		status,
		e.timestamp,
		e.agent_id,
		e.run_id,
	);
}

/** The agent catalogue (`agents`) and run history (`agent_runs`). */
export const agentsProjection = defineProjection({
	name: 'agents',
	tables: ['agents', 'agent_runs'],
	handlers: {
		agent_discovered: (context, e) => upsertManifest(context, e, null, null),
		agent_updated: (context, e) => upsertManifest(context, e, null, null),
		agent_installed: (context, e) =>
			upsertManifest(context, e, 'installed', {
				path: e.install_path,
				ref: e.ref ?? null,
				commit: e.commit,
			}),
		agent_build_started: (context, e) => {
			context.run(
				`UPDATE agents SET build_status = 'building', updated_at = ? WHERE agent_id = ?`,
				e.timestamp,
				e.agent_id,
			);
		},
		agent_built: (context, e) => {
			context.run(
				`UPDATE agents SET build_status = 'built', built_at = ?, build_error = NULL,
					status = CASE WHEN status NOT IN ('installed', 'build_failed') THEN status
						WHEN ${APPROVAL_HOLDS} THEN 'enabled'
						ELSE 'built' END,
					updated_at = ?
				WHERE agent_id = ?`,
				e.timestamp,
				e.timestamp,
				e.agent_id,
			);
		},
		agent_build_failed: (context, e) => {
			context.run(
				`UPDATE agents SET build_status = 'failed', build_error = ?,
					status = CASE WHEN status IN ('installed', 'built') THEN 'build_failed' ELSE status END,
					updated_at = ?
				WHERE agent_id = ?`,
				e.error,
				e.timestamp,
				e.agent_id,
			);
		},
		agent_enabled: (context, e) => {
			context.run(
				`UPDATE agents SET approved_permissions = ?, approved_manifest_hash = ?,
					approved_permissions_hash = ?, enabled_at = ?,
					status = CASE WHEN status = 'running' THEN status ELSE 'enabled' END, updated_at = ?
				WHERE agent_id = ?`,
				jsonColumn(e.approved_permissions),
				e.manifest_hash,
				e.permissions_hash,
				e.timestamp,
				e.timestamp,
				e.agent_id,
			);
		},
		agent_permissions_revoked: (context, e) => {
			context.run(
				`UPDATE agents SET approved_permissions = NULL, approved_manifest_hash = NULL,
					approved_permissions_hash = NULL, enabled_at = NULL,
					status = CASE WHEN status = 'running' THEN status
						WHEN build_status = 'built' THEN 'built'
						WHEN install_path IS NOT NULL THEN 'installed' ELSE 'discovered' END,
					updated_at = ?
				WHERE agent_id = ?`,
				e.timestamp,
				e.agent_id,
			);
		},
		agent_run_started: (context, e) => {
			// A repeated run id is the same run: it must not count twice.
			const inserted = context.run(
				`INSERT INTO agent_runs (run_id, agent_id, status, pid, sandboxed, started_at,
					supervisor_pid, restart_policy)
				VALUES (?, ?, 'running', ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING`,
				e.run_id,
				e.agent_id,
				e.pid,
				e.sandboxed,
				e.timestamp,
				e.supervisor_pid,
				e.restart_policy,
			);
			if (inserted === 0) return;
			context.run(
				`UPDATE agents SET status = 'running', current_run_id = ?, run_count = run_count + 1,
					updated_at = ?
				WHERE agent_id = ?`,
				e.run_id,
				e.timestamp,
				e.agent_id,
			);
		},
		agent_run_stopped: (context, e) => endRun(context, e, 'stopped'),
		agent_run_crashed: (context, e) => endRun(context, e, 'crashed'),
		// While the run is being stopped; its end (agent_run_crashed) follows.
		// The run's row stays `running`, as its process still is.
		agent_run_unhealthy: (context, e) => {
			context.run(
				`UPDATE agents SET status = 'unhealthy', updated_at = ?
				WHERE agent_id = ? AND current_run_id = ? AND status = 'running'`,
				e.timestamp,
				e.agent_id,
				e.run_id,
			);
		},
		agent_errored: (context, e) => {
			// The supervisor records the crash first; should it not have, the named run
			// ends here, so an agent without a current run never has a run still running.
			if (e.run_id !== undefined) {
				context.run(
					`UPDATE agent_runs SET status = 'crashed', ended_at = ?, reason = ?
					WHERE run_id = ? AND agent_id = ? AND status = 'running'`,
					e.timestamp,
					e.reason,
					e.run_id,
					e.agent_id,
				);
			}
			// A run another supervisor started since is not this one's to end; nor is an
			// uninstalled agent errored.
			context.run(
				`UPDATE agents SET status = 'errored', current_run_id = NULL, updated_at = ?
				WHERE agent_id = ? AND status <> 'uninstalled'
					AND (current_run_id IS NULL OR current_run_id = ?)`,
				e.timestamp,
				e.agent_id,
				e.run_id,
			);
		},
		agent_uninstalled: (context, e) => {
			context.run(
				`UPDATE agents SET status = 'uninstalled', install_path = NULL, installed_ref = NULL,
					installed_commit = NULL, build_status = 'none', built_at = NULL, build_error = NULL,
					approved_permissions = NULL, approved_manifest_hash = NULL,
					approved_permissions_hash = NULL, enabled_at = NULL, current_run_id = NULL,
					updated_at = ?
				WHERE agent_id = ?`,
				e.timestamp,
				e.agent_id,
			);
		},
	},
});
