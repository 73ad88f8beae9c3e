import { type AgentRecord, buildNeeded, buildState } from '@agentspace/agents';
import type { Styles } from '../../output.js';
import { printable } from '../../output.js';

/** The `--json` form of a catalogue entry (stable field names for scripts). */
export function agentJson(agent: AgentRecord): Record<string, unknown> {
	return {
		id: agent.id,
		name: agent.name,
		version: agent.version,
		description: agent.description,
		status: agent.status,
		buildStatus: agent.buildStatus,
		buildNeeded: buildNeeded(agent),
		buildState: buildState(agent),
		approval: agent.approval,
		requestedPermissions: agent.requestedPermissions,
		approvedPermissions: agent.approvedPermissions,
		manifestPath: agent.manifestPath,
		manifestHash: agent.manifestHash,
		permissionsHash: agent.permissionsHash,
		sourceUrl: agent.sourceUrl,
		installPath: agent.installPath,
		installedRef: agent.installedRef,
		installedCommit: agent.installedCommit,
		builtAt: agent.builtAt,
		buildError: agent.buildError,
		enabledAt: agent.enabledAt,
		runCount: agent.runCount,
		discoveredAt: agent.discoveredAt,
		updatedAt: agent.updatedAt,
	};
}

/** The approval state as a person reads it. */
export function approvalLabel(agent: AgentRecord, style: Styles): string {
	switch (agent.approval) {
		case 'approved':
			return style.green(
				`approved (${agent.approvedPermissions?.length ?? 0}/${agent.requestedPermissions.length})`,
			);
		case 'drifted':
			return style.yellow('drifted: re-enable');
		default:
			return style.dim('not approved');
	}
}

/** The build state as a person reads it (the same states as the admin UI's). */
export function buildLabel(agent: AgentRecord, style: Styles): string {
	const state = buildState(agent);
	switch (state) {
		case 'built':
			return style.green(state);
		case 'build failed':
			return style.red('failed');
		case 'building':
			return style.yellow(state);
		case 'not installed':
			return style.dim('-');
		default:
			return style.dim(state);
	}
}

/** A string from an agent's manifest, made safe for the terminal. */
export function safe(text: string | null | undefined): string {
	return text === null || text === undefined ? '-' : printable(text);
}

/** The longest reason `agents status` shows, in characters once escaped (the JSON has it whole). */
export const MAX_REASON_SHOWN = 100;

/**
 * Why a run ended, for one table cell: escaped (a reason can quote what an
 * agent sent, e.g. a protocol error) and cut at {@link MAX_REASON_SHOWN}.
 */
export function reasonLabel(reason: string | null | undefined): string {
	if (reason === null || reason === undefined || reason === '') return '-';
	const shown = printable(reason);
	return shown.length > MAX_REASON_SHOWN ? `${shown.slice(0, MAX_REASON_SHOWN - 1)}…` : shown;
}

/**
 * A run state as a person reads it: running green; crashed, errored and
 * unhealthy (an MCP agent whose pings went unanswered, being stopped) red;
 * restarting yellow; a running or unhealthy run whose process is gone red.
 */
export function runStateLabel(
	status: string,
	alive: boolean | null | undefined,
	style: Styles,
): string {
	if (alive === false)
		return style.red(`${status === 'unhealthy' ? 'unhealthy' : 'running'} (process gone)`);
	switch (status) {
		case 'running':
			return style.green('running');
		case 'crashed':
		case 'errored':
		case 'unhealthy':
			return style.red(status);
		case 'restarting':
			return style.yellow('restarting');
		default:
			return safe(status);
	}
}
