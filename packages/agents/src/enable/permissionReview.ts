import type { AgentRecord } from '../catalog/agentRecord.js';
import { formatPermission, parsePermission } from '../permissions/parsePermission.js';
import { approvalBases } from './approvalBases.js';

/** One requested permission and whether the current approval includes it. */
export interface PermissionReviewRow {
	readonly requested: string;
	readonly approved: boolean;
}

/** Each requested permission and whether it is approved, comparing resolved forms (`~` expanded against `userHome`, default the OS user's). */
export function permissionRows(agent: AgentRecord, userHome?: string): PermissionReviewRow[] {
	const approved = new Set(agent.approvedPermissions ?? []);
	const bases = approvalBases(agent.installPath ?? '/', userHome);
	return agent.requestedPermissions.map((requested) => {
		const parsed = parsePermission(requested, bases);
		return {
			requested,
			approved:
				approved.has(requested) || (parsed.ok && approved.has(formatPermission(parsed.value))),
		};
	});
}

/** Approved permissions that are narrower forms of requested ones (not listed as requested). */
export function narrowerApprovals(agent: AgentRecord, userHome?: string): string[] {
	const bases = approvalBases(agent.installPath ?? '/', userHome);
	const requested = new Set(
		agent.requestedPermissions.flatMap((text) => {
			const parsed = parsePermission(text, bases);
			return parsed.ok ? [text, formatPermission(parsed.value)] : [text];
		}),
	);
	return (agent.approvedPermissions ?? []).filter((p) => !requested.has(p));
}
