// "The approval still matches the manifest", written once. The agents
// projection owns the `agents` row, so the rule lives beside it: the
// projection's SQL is built from it (approvalHoldsSql), and the catalogue
// reads each row through it (approvalState), so `agents list`, the launcher's
// gate and the status an install or build leaves cannot disagree.
// approvalState.test.ts pins its cases through the real projection.

/** Whether an agent may run as far as permissions go. */
export type ApprovalState =
	/** Never enabled, or revoked. */
	| 'none'
	/** Enabled, and the manifest is the one that was approved. */
	| 'approved'
	/** Enabled, but the manifest changed since: the next run needs re-approval. */
	| 'drifted';

/** The columns of an `agents` row the rule reads. */
export interface ApprovalColumns {
	/** The approved permissions (JSON); null when never enabled, or revoked. */
	readonly approved_permissions: string | null;
	/** The manifest's hashes when it was approved. */
	readonly approved_manifest_hash: string | null;
	readonly approved_permissions_hash: string | null;
	/** The manifest's hashes now (as last discovered or installed). */
	readonly manifest_hash: string;
	readonly permissions_hash: string;
}

/**
 * The rule: an approval holds while every hash it was given for is still the
 * manifest's — the whole manifest (a change that touches no permission still
 * drifts) and its permissions.
 */
const BOUND_HASHES = [
	['approved_manifest_hash', 'manifest_hash'],
	['approved_permissions_hash', 'permissions_hash'],
] as const satisfies readonly (readonly [keyof ApprovalColumns, keyof ApprovalColumns])[];

/** The approval state of one `agents` row. */
export function approvalState(row: ApprovalColumns): ApprovalState {
	if (row.approved_permissions === null) return 'none';
	return BOUND_HASHES.every(([approved, current]) => row[approved] === row[current])
		? 'approved'
		: 'drifted';
}

/**
 * The same rule as an SQL condition, true exactly when {@link approvalState}
 * says `approved`. `approval` qualifies the approval's columns and `manifest`
 * the manifest's hashes (in an upsert: `agents` and `excluded`, the new
 * manifest); unqualified when not given.
 */
export function approvalHoldsSql(
	tables: { readonly approval?: string; readonly manifest?: string } = {},
): string {
	const approval = tables.approval === undefined ? '' : `${tables.approval}.`;
	const manifest = tables.manifest === undefined ? '' : `${tables.manifest}.`;
	return [
		`${approval}approved_permissions IS NOT NULL`,
		...BOUND_HASHES.map(([approved, current]) => `${approval}${approved} = ${manifest}${current}`),
	].join(' AND ');
}
