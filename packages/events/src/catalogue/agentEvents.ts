import { z } from 'zod';
import { defineEvent } from './defineEvent.js';
import { AgentId, CommandStep, PermissionString, Sha256, Text, Title } from './fields.js';

const agentStream = ({ agent_id }: { agent_id: string }) => `agent:${agent_id}`;

const manifestState = {
	agent_id: AgentId,
	name: Title,
	version: z.string().min(1).max(128),
	description: Text.optional(),
	manifest_path: z.string().min(1).max(4096),
	manifest_hash: Sha256,
	permissions_hash: Sha256,
	requested_permissions: z.array(PermissionString).max(256),
	source_url: z.string().min(1).max(4096).optional(),
};

const runEnd = {
	agent_id: AgentId,
	run_id: z.string().min(1).max(128),
	exit_code: z.int().nullable(),
	signal: z.string().max(32).nullable(),
	reason: Text.optional(),
};

/** Agent lifecycle: discovered → installed → built → enabled → running ⇄ stopped (+ crashed, errored). */
export const AGENT_EVENTS = [
	defineEvent('agent_discovered', manifestState, agentStream),
	defineEvent('agent_updated', { ...manifestState, previous_manifest_hash: Sha256 }, agentStream),
	defineEvent(
		'agent_installed',
		{
			...manifestState,
			source: z.string().min(1).max(4096),
			ref: z.string().min(1).max(256).optional(),
			commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a full git commit id'),
			install_path: z.string().min(1).max(4096),
			permissions_changed: z.boolean(),
		},
		agentStream,
	),
	defineEvent(
		'agent_build_started',
		{
			agent_id: AgentId,
			build_id: z.string().min(1).max(128),
			steps: z.array(CommandStep).max(64),
		},
		agentStream,
	),
	defineEvent(
		'agent_built',
		{
			agent_id: AgentId,
			build_id: z.string().min(1).max(128),
			duration_ms: z.int().nonnegative(),
			log_path: z.string().max(4096).optional(),
		},
		agentStream,
	),
	defineEvent(
		'agent_build_failed',
		{
			agent_id: AgentId,
			build_id: z.string().min(1).max(128),
			step_index: z.int().nonnegative().optional(),
			exit_code: z.int().nullable(),
			signal: z.string().max(32).nullable(),
			error: Text,
			duration_ms: z.int().nonnegative(),
		},
		agentStream,
	),
	defineEvent(
		'agent_enabled',
		{
			agent_id: AgentId,
			approved_permissions: z.array(PermissionString).max(256),
			manifest_hash: Sha256,
			permissions_hash: Sha256,
			// The approved `llm:` permissions approved "remembered" (`--remember`):
			// their first use in a run needs no approval in limited-control.
			// Optional: events written before it had none.
			remembered: z.array(PermissionString).max(256).optional(),
		},
		agentStream,
	),
	defineEvent(
		'agent_permissions_revoked',
		{ agent_id: AgentId, reason: Text.optional() },
		agentStream,
	),
	defineEvent(
		'agent_run_started',
		{
			agent_id: AgentId,
			run_id: z.string().min(1).max(128),
			pid: z.int().positive(),
			sandboxed: z.boolean(),
			restart_policy: z.enum(['no', 'on-failure', 'always']),
			attempt: z.int().nonnegative().default(0),
			// Optional so v1 events written before it still parse: a run with no
			// supervisor pid has no owner to ask, and reconciliation treats it as such.
			supervisor_pid: z.int().positive().optional(),
		},
		agentStream,
	),
	defineEvent('agent_run_stopped', runEnd, agentStream),
	defineEvent('agent_run_crashed', runEnd, agentStream),
	defineEvent(
		'agent_run_unhealthy',
		{ agent_id: AgentId, run_id: z.string().min(1).max(128), reason: Text },
		agentStream,
	),
	defineEvent(
		'agent_errored',
		{
			agent_id: AgentId,
			run_id: z.string().min(1).max(128).optional(),
			reason: Text,
			restarts: z.int().nonnegative(),
		},
		agentStream,
	),
	defineEvent('agent_uninstalled', { agent_id: AgentId, reason: Text.optional() }, agentStream),
] as const;
