import { AgentSpaceError, ConflictError, PermissionDeniedError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import type { AgentRecord } from '../catalog/agentRecord.js';
import { readInstalledManifest } from '../catalog/installedManifest.js';
import { rememberedApprovals } from '../catalog/rememberedApprovals.js';
import { requireInstalled } from '../catalog/requireAgent.js';
import { approvalBases } from '../enable/approvalBases.js';
import type { ParsedManifest } from '../manifest/parseManifest.js';
import { formatPermission, parsePermission } from '../permissions/parsePermission.js';
import type { Permission } from '../permissions/types.js';

/** Everything the launcher needs to start an agent, checked. */
export interface RunnableAgent {
	readonly agent: AgentRecord & { readonly installPath: string };
	/** The checkout's manifest, read just now: its hash is the approved one. */
	readonly manifest: ParsedManifest;
	/** What the sandbox must enforce: the approved permissions, paths resolved. */
	readonly approved: readonly Permission[];
	/** The approved `llm:` permissions approved "remembered" (`agents enable --remember`), canonical. */
	readonly remembered: readonly string[];
}

/**
 * The launcher's gate: returns the agent, its manifest and its approved
 * permissions only when it may run — in the catalogue, installed, enabled,
 * its manifest (read from disk now, not from the catalogue) exactly the one
 * approved, and built when it has build steps. Otherwise throws, saying what
 * to do: `NOT_FOUND`, `CONFLICT` (not installed / not built),
 * `PERMISSION_DENIED` (not enabled) or `PERMISSION_DRIFT` (the manifest
 * changed since approval: enable again).
 */
export function assertRunnable(
	db: AgentSpaceDb,
	id: string,
	options: { readonly userHome?: string } = {},
): RunnableAgent {
	const agent = requireInstalled(db, id);
	const manifest = readInstalledManifest(agent);
	// `approval` is the catalogue's reading of the one approval rule
	// (approvalState in @agentspace/events); approvedPermissions is null exactly
	// when it is 'none', checked again only so the type says so.
	const approvedPermissions = agent.approval === 'none' ? null : agent.approvedPermissions;
	if (approvedPermissions === null) {
		throw new PermissionDeniedError(
			`agent "${id}" is not enabled: none of its permissions are approved`,
			{
				hint: `review and approve them: agentspace agents enable ${id}`,
			},
		);
	}
	const bases = approvalBases(agent.installPath, options.userHome);
	// Drifted by the rule, or the checkout's manifest (read now) is not the one
	// the catalogue knows: edited on disk since discovery last recorded it.
	if (agent.approval === 'drifted' || manifest.manifestHash !== agent.manifestHash) {
		// Only the message: which of the approval's hashes the checkout no longer has.
		const drift = [
			manifest.manifestHash !== agent.approvedManifestHash ? 'its manifest changed' : undefined,
			agent.permissionsHash !== agent.approvedPermissionsHash
				? 'it requests different permissions'
				: undefined,
		].filter((reason) => reason !== undefined);
		// Approvals are stored in canonical form (`~` resolved): compare the
		// manifest's permissions in that form too, or every path permission
		// would be named as newly requested.
		const approved = new Set(approvedPermissions);
		const unapproved = manifest.manifest.permissions.filter((p) => {
			const parsed = parsePermission(p, bases);
			return !approved.has(parsed.ok ? formatPermission(parsed.value) : p);
		});
		throw new AgentSpaceError(
			`agent "${id}" changed after its permissions were approved: ${drift.join(' and ') || 'its manifest changed'}${
				unapproved.length > 0 ? `; now requesting ${unapproved.join(', ')}` : ''
			}`,
			{
				code: 'PERMISSION_DRIFT',
				hint: `review the manifest and approve again: agentspace agents enable ${id}${
					manifest.manifestHash !== agent.manifestHash
						? ` (after \`agentspace agents discover\` records the change)`
						: ''
				}`,
			},
		);
	}
	if (manifest.manifest.build !== undefined && agent.buildStatus !== 'built') {
		throw new ConflictError(
			`agent "${id}" has build steps and is not built${agent.buildStatus === 'failed' ? ' (its last build failed)' : ''}`,
			{ hint: `build it: agentspace agents build ${id}` },
		);
	}
	const approved = approvedPermissions.map((text) => {
		const parsed = parsePermission(text, bases);
		if (!parsed.ok) {
			throw new ConflictError(
				`agent "${id}" has an approved permission that no longer parses: ${text}`,
				{
					hint: `approve again: agentspace agents enable ${id}`,
				},
			);
		}
		return parsed.value;
	});
	// Only what is still approved: an approval's own list, so always a subset.
	const remembered = rememberedApprovals(db, id).filter((text) =>
		approvedPermissions.includes(text),
	);
	return { agent, manifest, approved, remembered };
}
