import { recordDenial } from '@agentspace/agents';
import { type AgentSpaceDb, FoldedDenials } from '@agentspace/db';
import { DAEMON_ACTOR } from './daemonProtocol.js';

/** Options of {@link FoldedRefusals}. */
export interface FoldedRefusalsOptions {
	readonly db: AgentSpaceDb;
	readonly sourceApp?: string;
	/** The folding window (default 10 s, as the admin UI's). */
	readonly windowMs?: number;
	/** Told when an audit write fails (the daemon's log). */
	readonly log?: (line: string) => void;
	/** Which door refused, in every entry after the refusal's own fields (`{ interface: 'daemon-socket' }`). */
	readonly where: Readonly<Record<string, string>>;
	/** Names the door in the log line of a failed write ("a socket refusal"). */
	readonly what: string;
}

/**
 * Audits one door's refusals (the daemon's socket, the MCP HTTP endpoint) as
 * `security.denied`, folded by kind as db's {@link FoldedDenials} folds
 * (specs/audit-log.md); a write that fails is told to the daemon's log.
 */
export class FoldedRefusals {
	readonly #folded: FoldedDenials;

	constructor(private readonly options: FoldedRefusalsOptions) {
		this.#folded = new FoldedDenials({
			...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
			where: options.where,
			write: (metadata) => this.#record(metadata),
		});
	}

	/** Records (or folds) one refusal of `kind`, with its reason and bounded fields (recorded in that order). */
	refuse(kind: string, reason: string, fields: Readonly<Record<string, unknown>> = {}): void {
		this.#folded.refuse(kind, reason, fields);
	}

	/** Records every count still folded and stops the timer: the door is closing. */
	close(): void {
		this.#folded.close();
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
			// The refusal stands either way; a failed write (a full disk) must not take the daemon down, but is said.
			this.options.log?.(
				`could not audit ${this.options.what} (${String(metadata.kind)}): ${(error as Error).message}`,
			);
		}
	}
}
