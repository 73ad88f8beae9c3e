import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Projection: the agent catalogue, one row per agent (written only by the agents projection). */
export const agents = sqliteTable(
	'agents',
	{
		agentId: text('agent_id').primaryKey(),
		projectKey: text('project_key').notNull(),
		name: text('name').notNull(),
		version: text('version').notNull(),
		description: text('description'),
		/** Where the manifest was found (discovery) or the checkout (install). */
		manifestPath: text('manifest_path'),
		sourceUrl: text('source_url'),
		manifestHash: text('manifest_hash').notNull(),
		permissionsHash: text('permissions_hash').notNull(),
		/** JSON array of permission strings the manifest requests. */
		requestedPermissions: text('requested_permissions').notNull(),
		/**
		 * discovered | installed | built | build_failed | enabled | running | stopped | crashed |
		 * errored (the supervisor gave up restarting it) | uninstalled
		 */
		status: text('status').notNull(),
		installPath: text('install_path'),
		installedRef: text('installed_ref'),
		installedCommit: text('installed_commit'),
		/** none | building | built | failed */
		buildStatus: text('build_status').notNull(),
		builtAt: text('built_at'),
		buildError: text('build_error'),
		/** JSON array of approved permission strings; null when not enabled. */
		approvedPermissions: text('approved_permissions'),
		approvedManifestHash: text('approved_manifest_hash'),
		approvedPermissionsHash: text('approved_permissions_hash'),
		enabledAt: text('enabled_at'),
		currentRunId: text('current_run_id'),
		runCount: integer('run_count').notNull(),
		discoveredAt: text('discovered_at').notNull(),
		updatedAt: text('updated_at').notNull(),
	},
	(table) => [index('agents_project_status_idx').on(table.projectKey, table.status)],
);

/** Projection: every run of every agent, with who supervised it and how it restarts. */
export const agentRuns = sqliteTable(
	'agent_runs',
	{
		runId: text('run_id').primaryKey(),
		agentId: text('agent_id').notNull(),
		/** running | stopped | crashed */
		status: text('status').notNull(),
		pid: integer('pid'),
		sandboxed: integer('sandboxed', { mode: 'boolean' }).notNull(),
		startedAt: text('started_at').notNull(),
		endedAt: text('ended_at'),
		exitCode: integer('exit_code'),
		signal: text('signal'),
		reason: text('reason'),
		/**
		 * The process that supervised the run (the daemon or a foreground CLI), so
		 * reconciliation can tell an orphan from a run a live supervisor owns. Null
		 * for runs recorded before it was.
		 */
		supervisorPid: integer('supervisor_pid'),
		/** no | on-failure | always; null for runs recorded before it was. */
		restartPolicy: text('restart_policy'),
	},
	(table) => [index('agent_runs_agent_idx').on(table.agentId, table.startedAt)],
);
