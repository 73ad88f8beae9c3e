import type { AgentSpaceDb } from '@agentspace/db';
import { FoldedRefusals } from '../foldedRefusals.js';

/**
 * Why the MCP HTTP endpoint refused a request. Folded by kind only (never by
 * anything the client chose), so a flood costs a handful of audit rows.
 */
export type McpHttpRefusalKind =
	| 'host'
	| 'foreign-origin'
	| 'no-token'
	| 'wrong-token'
	| 'expired-token'
	| 'revoked-token'
	| 'too-large'
	| 'unreadable'
	| 'malformed-json'
	| 'malformed-jsonrpc'
	| 'batch';

/** One refused request as audited: never its body or its Authorization header. */
export interface McpHttpRefusal {
	readonly kind: McpHttpRefusalKind;
	readonly reason: string;
	/** The HTTP method. */
	readonly method: string;
	/** Without the query string. */
	readonly path: string;
}

/**
 * Audits the endpoint's refusals as `security.denied` (interface `mcp-http`,
 * with its address), folded as the daemon's socket and the admin UI fold
 * theirs (see FoldedRefusals).
 */
export class McpHttpRefusals {
	readonly #folded: FoldedRefusals;

	constructor(options: {
		readonly db: AgentSpaceDb;
		readonly address: string;
		readonly sourceApp?: string;
		readonly windowMs?: number;
		readonly log?: (line: string) => void;
	}) {
		const { address, ...rest } = options;
		this.#folded = new FoldedRefusals({
			...rest,
			where: { interface: 'mcp-http', address },
			what: 'an MCP HTTP refusal',
		});
	}

	/** Records (or folds) one refusal. */
	refuse(refusal: McpHttpRefusal): void {
		this.#folded.refuse(refusal.kind, refusal.reason, {
			method: refusal.method.slice(0, 16),
			path: refusal.path.slice(0, 256),
		});
	}

	/** Records every count still folded and stops the timer: the endpoint is closing. */
	close(): void {
		this.#folded.close();
	}
}
