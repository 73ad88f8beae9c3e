import { recordDenial } from '@agentspace/agents';
import { type AgentSpaceDb, DenialThrottle } from '@agentspace/db';
import { DAEMON_ACTOR } from '../daemonProtocol.js';

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
 * Audits the endpoint's refusals as `security.denied` (interface `mcp-http`),
 * folded with a {@link DenialThrottle} as the daemon's socket and the admin
 * UI fold theirs: the first of a kind in each window is an entry, the rest a
 * count in the next entry's `foldedBefore` (or an entry of their own when
 * the window ends or the endpoint closes).
 */
export class McpHttpRefusals {
	readonly #throttle: DenialThrottle;
	readonly #timer: NodeJS.Timeout;

	constructor(
		private readonly options: {
			readonly db: AgentSpaceDb;
			readonly address: string;
			readonly sourceApp?: string;
			readonly windowMs?: number;
			readonly log?: (line: string) => void;
		},
	) {
		const windowMs = options.windowMs ?? 10_000;
		this.#throttle = new DenialThrottle(windowMs);
		this.#timer = setInterval(() => this.#recordCounts(this.#throttle.expired()), windowMs);
		this.#timer.unref();
	}

	/** Records (or folds) one refusal. */
	refuse(refusal: McpHttpRefusal): void {
		this.#recordCounts(this.#throttle.expired());
		const folded = this.#throttle.admit(refusal.kind);
		if (folded === undefined) return;
		this.#record({
			reason: refusal.reason,
			kind: refusal.kind,
			method: refusal.method.slice(0, 16),
			path: refusal.path.slice(0, 256),
			interface: 'mcp-http',
			address: this.options.address,
			...(folded === 0 ? {} : { foldedBefore: folded }),
		});
	}

	/** Records every count still folded and stops the timer: the endpoint is closing. */
	close(): void {
		clearInterval(this.#timer);
		this.#recordCounts(this.#throttle.drain());
	}

	#recordCounts(counts: readonly [key: string, folded: number][]): void {
		for (const [kind, folded] of counts) {
			this.#record({
				reason: 'refusals folded into a count (see specs/audit-log.md)',
				kind,
				interface: 'mcp-http',
				address: this.options.address,
				foldedBefore: folded,
			});
		}
	}

	#record(metadata: Record<string, unknown>): void {
		try {
			recordDenial(
				this.options.db,
				DAEMON_ACTOR,
				{ eventType: 'security.denied', metadata },
				this.options.sourceApp,
			);
		} catch (error) {
			// The refusal stands either way; a failed write must not take the daemon down.
			this.options.log?.(
				`could not audit an MCP HTTP refusal (${String(metadata.kind)}): ${(error as Error).message}`,
			);
		}
	}
}
