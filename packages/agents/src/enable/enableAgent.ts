import { ConflictError, PermissionDeniedError, ValidationError } from '@agentspace/core';
import type { AgentSpaceDb, AuditRecord } from '@agentspace/db';
import { readCataloguedManifest } from '../catalog/installedManifest.js';
import { type ChangeActor, recordChange, recordDenial } from '../catalog/recordChange.js';
import { requireInstalled } from '../catalog/requireAgent.js';
import { permissionCovers, uncoveredPermissions } from '../permissions/covers.js';
import { formatPermission, parsePermission } from '../permissions/parsePermission.js';
import type { Permission } from '../permissions/types.js';
import { approvalBases } from './approvalBases.js';

/** Options of {@link enableAgent}. */
export interface EnableOptions {
	readonly db: AgentSpaceDb;
	readonly id: string;
	/**
	 * What the user approves: every requested permission (`'all'`), or a list —
	 * each one requested, or a narrower form of one (a path below a requested
	 * path). An empty list approves nothing and still enables the agent.
	 */
	readonly approve: 'all' | readonly string[];
	readonly actor: ChangeActor;
	readonly sourceApp?: string;
	/** Base of `~` in permissions (default: the OS user's home). */
	readonly userHome?: string;
	/**
	 * The manifest hash the user reviewed: when the catalogue's differs (a new
	 * manifest was recorded meanwhile), nothing is approved (`CONFLICT`).
	 */
	readonly expectedManifestHash?: string;
	/**
	 * Approved `llm:` permissions to approve "remembered": in limited-control,
	 * their first use in a run then needs no approval. Each must be an `llm:`
	 * permission this enable approves; anything else is `VALIDATION_FAILED`.
	 */
	readonly remember?: readonly string[];
}

/** What an enable recorded. */
export interface EnableResult {
	readonly id: string;
	/** Canonical strings, paths resolved. */
	readonly approved: readonly string[];
	/** Requested permissions left unapproved: the agent runs without them. */
	readonly denied: readonly string[];
	/** The approved `llm:` permissions approved "remembered" (canonical). */
	readonly remembered: readonly string[];
	readonly manifestHash: string;
	readonly permissionsHash: string;
	readonly audit: AuditRecord;
}

/**
 * Approves a subset of the permissions an installed agent requests and
 * enables it (`agent_enabled` + `agents.enabled`). Deny by default: only what
 * is listed is approved. A permission the manifest does not request (or does
 * not cover) is refused by name and audited as `security.denied`; nothing is
 * recorded. The approval is bound to the manifest hash and the requested-
 * permissions hash: any later change to the manifest is drift.
 */
export function enableAgent(options: EnableOptions): EnableResult {
	const agent = requireInstalled(options.db, options.id);
	if (
		options.expectedManifestHash !== undefined &&
		options.expectedManifestHash !== agent.manifestHash
	) {
		throw new ConflictError(
			`the manifest of "${agent.id}" changed since you reviewed its permissions: nothing was approved`,
			{ hint: 'review the permissions it requests now, then enable it again' },
		);
	}
	readCataloguedManifest(
		agent,
		'to record the change, review the permissions it requests, then enable',
	);
	const bases = approvalBases(agent.installPath, options.userHome);
	const parse = (texts: readonly string[], field: string): Permission[] => {
		const issues: { path: string; message: string }[] = [];
		const parsed: Permission[] = [];
		for (const [index, text] of texts.entries()) {
			const result = parsePermission(text, bases);
			if (result.ok) parsed.push(result.value);
			else
				for (const error of result.errors)
					issues.push({ path: `${field}[${index}]`, message: `${text}: ${error.message}` });
		}
		if (issues.length > 0) {
			throw new ValidationError(
				`invalid permission${issues.length === 1 ? '' : 's'} to approve:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
				{
					hint: 'write permissions as domain:action[:scope] (specs/permissions.md); nothing was approved',
					issues,
				},
			);
		}
		return parsed;
	};
	const requested = parse(agent.requestedPermissions, 'requested');
	const approvedParsed = options.approve === 'all' ? requested : parse(options.approve, 'approve');
	const uncovered = uncoveredPermissions(requested, approvedParsed).map(formatPermission);
	if (uncovered.length > 0) {
		recordDenial(
			options.db,
			options.actor,
			{
				eventType: 'security.denied',
				agentId: agent.id,
				metadata: {
					action: 'agents.enable',
					reason: 'not requested by the manifest',
					permissions: uncovered,
				},
			},
			options.sourceApp,
		);
		throw new PermissionDeniedError(
			`the manifest of "${agent.id}" does not request: ${uncovered.join(', ')}`,
			{
				hint: `approve only requested permissions (or narrower ones): ${agent.requestedPermissions.join(', ') || '(it requests none)'}; nothing was approved`,
				issues: uncovered.map((p) => ({ path: 'approve', message: `${p} is not requested` })),
			},
		);
	}
	const approved = [...new Set(approvedParsed.map(formatPermission))];
	const remembered = rememberedOf(options.remember ?? [], approved, parse);
	// Requested permissions nothing was approved under (a narrower approval counts as approved).
	const denied = requested
		.filter((r) => !approvedParsed.some((a) => permissionCovers(r, a)))
		.map(formatPermission);
	const recorded = recordChange(options.db, {
		actor: options.actor,
		...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		events: [
			{
				type: 'agent_enabled',
				fields: {
					agent_id: agent.id,
					approved_permissions: approved,
					manifest_hash: agent.manifestHash,
					permissions_hash: agent.permissionsHash,
					...(remembered.length > 0 ? { remembered } : {}),
				},
			},
		],
		audit: {
			eventType: 'agents.enabled',
			agentId: agent.id,
			metadata: {
				approved,
				notApproved: denied,
				manifestHash: agent.manifestHash,
				...(remembered.length > 0 ? { remembered } : {}),
			},
		},
	});
	return {
		id: agent.id,
		approved,
		denied,
		remembered,
		manifestHash: agent.manifestHash,
		permissionsHash: agent.permissionsHash,
		audit: recorded.audit,
	};
}

/**
 * The canonical `llm:` permissions of `remember`, each checked to be an `llm:`
 * permission this enable approves: remembering what is not approved, or is
 * not an `llm:` permission, would record an approval nobody gave.
 */
function rememberedOf(
	remember: readonly string[],
	approved: readonly string[],
	parse: (texts: readonly string[], field: string) => Permission[],
): string[] {
	const issues: { path: string; message: string }[] = [];
	const canonical = parse(remember, 'remember').map(formatPermission);
	for (const [index, text] of canonical.entries()) {
		if (!text.startsWith('llm:'))
			issues.push({ path: `remember[${index}]`, message: `${text} is not an llm: permission` });
		else if (!approved.includes(text))
			issues.push({ path: `remember[${index}]`, message: `${text} is not approved` });
	}
	if (issues.length > 0) {
		throw new ValidationError(
			`cannot remember:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
			{
				hint: 'remember only llm:<provider> permissions you approve in the same enable; nothing was approved',
				issues,
			},
		);
	}
	return [...new Set(canonical)];
}
