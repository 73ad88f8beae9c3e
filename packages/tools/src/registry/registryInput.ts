import { NotFoundError, ValidationError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { type ApprovalColumns, approvalState } from '@agentspace/events';
import { MAX_TOOL_NAME_LENGTH } from '../limits.js';

// Input checks shared by the registry's commands and reads: every bad input is
// a clear error with a hint, before anything is written.

const AGENT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const TOOL_NAME = new RegExp(`^[A-Za-z0-9_.-]{1,${MAX_TOOL_NAME_LENGTH}}$`);

/** The tool policies a user may set. */
export const TOOL_POLICIES = ['allow', 'deny'] as const;
/** A tool policy: whether the router lets calls of a tool through. */
export type ToolPolicy = (typeof TOOL_POLICIES)[number];

const show = (value: unknown) => JSON.stringify(value)?.slice(0, 80) ?? String(value);

/** Throws `VALIDATION_FAILED` unless `agentId` has the shape of an agent id. */
export function checkAgentId(agentId: unknown): asserts agentId is string {
	if (typeof agentId !== 'string' || !AGENT_ID.test(agentId)) {
		throw new ValidationError(`invalid agent id ${show(agentId)}`, {
			hint: 'an agent id is 1-64 lowercase letters, digits, ".", "_" or "-" (see `agentspace agents list`); nothing was changed',
			issues: [
				{ path: 'agentId', message: 'must be 1-64 lowercase letters, digits, ".", "_" or "-"' },
			],
		});
	}
}

/** Throws `VALIDATION_FAILED` unless `tool` is an MCP tool name (or `*` when `star` is allowed). */
export function checkToolName(
	tool: unknown,
	options: { star?: boolean } = {},
): asserts tool is string {
	if (options.star === true && tool === '*') return;
	if (typeof tool !== 'string' || !TOOL_NAME.test(tool)) {
		throw new ValidationError(`invalid tool name ${show(tool)}`, {
			hint: `a tool name is 1-${MAX_TOOL_NAME_LENGTH} letters, digits, "_", "." or "-"${options.star === true ? ', or * for every tool of the agent' : ''} (see \`agentspace tools list\`); nothing was changed`,
			issues: [{ path: 'tool', message: `must be 1-${MAX_TOOL_NAME_LENGTH} of A-Z a-z 0-9 _ . -` }],
		});
	}
}

/** Throws `VALIDATION_FAILED` unless `policy` is `allow` or `deny`. */
export function checkPolicy(policy: unknown): asserts policy is ToolPolicy {
	if (!TOOL_POLICIES.includes(policy as ToolPolicy)) {
		throw new ValidationError(`invalid tool policy ${show(policy)}`, {
			hint: 'the policy is allow or deny; nothing was changed',
			issues: [{ path: 'policy', message: 'must be "allow" or "deny"' }],
		});
	}
}

/** The catalogue columns the registry reads about an agent. */
export interface CataloguedAgent extends ApprovalColumns {
	readonly agent_id: string;
	readonly status: string;
	readonly current_run_id: string | null;
}

/** The agent's catalogue row, or undefined. */
export function findAgent(db: AgentSpaceDb, agentId: string): CataloguedAgent | undefined {
	return db.$client
		.prepare(
			`SELECT agent_id, status, current_run_id, approved_permissions, approved_manifest_hash,
				approved_permissions_hash, manifest_hash, permissions_hash FROM agents WHERE agent_id = ?`,
		)
		.get(agentId) as CataloguedAgent | undefined;
}

/** The agent's catalogue row; `NOT_FOUND` with a hint when the catalogue has no such agent. */
export function requireAgent(db: AgentSpaceDb, agentId: string): CataloguedAgent {
	const agent = findAgent(db, agentId);
	if (agent === undefined) {
		throw new NotFoundError(`no agent "${agentId}" in the catalogue`, {
			hint: 'run `agentspace agents list` to see the catalogue; nothing was changed',
		});
	}
	return agent;
}

/** True when the agent is enabled and its approval still matches its manifest. */
export function isApproved(agent: CataloguedAgent): boolean {
	return approvalState(agent) === 'approved';
}

/** Throws `VALIDATION_FAILED` unless `runId` is a run id (1-128 characters). */
export function checkRunId(runId: unknown): asserts runId is string {
	if (typeof runId !== 'string' || runId.length === 0 || runId.length > 128) {
		throw new ValidationError(`invalid run id ${show(runId)}`, {
			hint: 'pass the id of the agent run (see `agentspace agents status`); nothing was changed',
			issues: [{ path: 'runId', message: 'must be 1-128 characters' }],
		});
	}
}
