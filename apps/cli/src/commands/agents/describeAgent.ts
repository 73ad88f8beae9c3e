import { join } from 'node:path';
import { type AgentRecord, MANIFEST_FILE, readManifestFile } from '@agentspace/agents';
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

/** The build state as a person reads it. */
export function buildLabel(agent: AgentRecord, style: Styles): string {
	switch (agent.buildStatus) {
		case 'built':
			return style.green('built');
		case 'failed':
			return style.red('failed');
		case 'building':
			return style.yellow('building');
		default:
			// An agent without build steps needs none: "not built" would send the user to build it.
			if (buildNeeded(agent) === false) return style.dim('no build');
			return style.dim(agent.installPath === null ? '-' : 'not built');
	}
}

const neededByRecord = new WeakMap<AgentRecord, boolean | null>();

/**
 * Whether the manifest the catalogue recorded has build steps (`build`):
 * read from the checkout (or, not installed, where it was discovered); null
 * when it cannot be read or is no longer the one recorded (its hash differs).
 */
export function buildNeeded(agent: AgentRecord): boolean | null {
	const known = neededByRecord.get(agent);
	if (known !== undefined) return known;
	const path =
		agent.installPath === null ? agent.manifestPath : join(agent.installPath, MANIFEST_FILE);
	const parsed = path === null ? undefined : readManifestFile(path);
	const needed =
		parsed?.ok === true && parsed.value.manifestHash === agent.manifestHash
			? parsed.value.manifest.build !== undefined
			: null;
	neededByRecord.set(agent, needed);
	return needed;
}

/** A string from an agent's manifest, made safe for the terminal. */
export function safe(text: string | null | undefined): string {
	return text === null || text === undefined ? '-' : printable(text);
}
