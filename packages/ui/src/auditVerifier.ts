import {
	type AgentSpaceDb,
	type AuditChainVerification,
	type AuditHead,
	verifyAuditChain,
} from '@agentspace/db';

/** What the audit page shows about the chain: the result, and how much of it this load walked. */
export interface AuditPageVerification {
	readonly result: AuditChainVerification;
	/** `full`: every row walked; `incremental`: only the rows after the head verified before. */
	readonly mode: 'full' | 'incremental';
	/** Where this load started walking (0 for a full walk). */
	readonly from: number;
}

/**
 * Verifies the audit chain for the audit page without walking the whole log
 * on every load (20,000 entries took ~115 ms, growing with the log): it
 * keeps the head it last verified (in memory, per UI host) and walks only the
 * rows after it, re-checking that head's row — a rewrite of history that
 * recomputes hashes changes it and is caught. An edit before the head that
 * leaves the head row alone is not: a full verification (on demand, and on the
 * first load after the daemon starts) walks every row, and still requires the
 * head verified before. A failure never forgets that head, so a rewritten log
 * keeps failing.
 */
export class AuditVerifier {
	#verified: AuditHead | undefined;

	/** The head last verified, if any. */
	get verified(): AuditHead | undefined {
		return this.#verified;
	}

	/** Verifies: in full when asked or when nothing was verified yet, else from the last head. */
	async verify(db: AgentSpaceDb, options: { full?: boolean } = {}): Promise<AuditPageVerification> {
		const kept = this.#verified;
		const full = options.full === true || kept === undefined;
		const result = await verifyAuditChain(
			db,
			kept === undefined ? {} : full ? { expect: kept } : { from: kept },
		);
		// Only forward: a concurrent load that saw fewer rows must not move the head back.
		if (result.ok && result.count >= (this.#verified?.position ?? 0)) {
			this.#verified = { position: result.count, hash: result.headHash };
		}
		return { result, mode: full ? 'full' : 'incremental', from: full ? 0 : (kept?.position ?? 0) };
	}
}
