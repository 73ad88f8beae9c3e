import { type AgentSpaceDb, appendAuditRecord, withImmediateTransaction } from '@agentspace/db';
import type { ProviderId } from '../providers.js';
import type { LlmCaller } from './llmCaller.js';
import {
	auditActorOf,
	auditText,
	MAX_AUDIT_MODEL,
	MAX_AUDIT_PATH,
	writeAuditEntry,
} from './proxyAudit.js';

/** The metadata of one `key_accessed` entry (one per proxied request, written when it ends). */
export interface KeyAccess {
	readonly provider: ProviderId;
	readonly caller: LlmCaller;
	readonly model?: string;
	readonly status: number;
	readonly durationMs: number;
	readonly inputTokens?: number;
	readonly outputTokens?: number;
	readonly stream: boolean;
	readonly path: string;
}

/** How long a finished request's `key_accessed` entry may wait to be written with others. */
export const KEY_ACCESS_GROUP_MS = 10;
/** The most entries written in one transaction: a full group is written at once. */
export const MAX_KEY_ACCESS_GROUP = 128;

/**
 * The `key_accessed` entry of a finished request (metadata as in specs/keys.md
 * "Audit"). The token counts are `inputCount` / `outputCount` and a key
 * token's id `mintedId`, not the contract's `inputTokens` / `outputTokens` /
 * `tokenId`: the audit log redacts every field whose name contains "token"
 * (core's isSecretKey), which would store "[REDACTED]" for each.
 */
function keyAccessedEntry(access: KeyAccess, at: Date, sourceApp: string | undefined) {
	const { caller } = access;
	return {
		eventType: 'key_accessed',
		severity: 'info' as const,
		actor: auditActorOf(caller),
		subject: { type: 'provider', id: access.provider },
		// When the request ended, not when its group was written.
		timestamp: at.toISOString(),
		...(sourceApp === undefined ? {} : { sourceApp }),
		metadata: {
			provider: access.provider,
			...(caller.kind === 'run'
				? { agentId: caller.agentId, runId: caller.runId }
				: { mintedId: caller.tokenId }),
			...(access.model === undefined ? {} : { model: auditText(access.model, MAX_AUDIT_MODEL) }),
			status: access.status,
			durationMs: access.durationMs,
			...(access.inputTokens === undefined ? {} : { inputCount: access.inputTokens }),
			...(access.outputTokens === undefined ? {} : { outputCount: access.outputTokens }),
			stream: access.stream,
			path: auditText(access.path, MAX_AUDIT_PATH),
		},
	};
}

/**
 * Writes the endpoint's `key_accessed` entries, one per finished request, in
 * groups: an entry waits at most {@link KEY_ACCESS_GROUP_MS} and its group is
 * written in one transaction. A commit touches the same few pages (the log
 * and its indexes) whether it holds one entry or a hundred, and a commit per
 * request was half of what the endpoint added to a request. The entries keep
 * the time their request ended. `flush` (the endpoint's close, a daemon stop)
 * writes what waits; a daemon killed outright loses at most the last group.
 */
export class KeyAccessLog {
	#waiting: { readonly access: KeyAccess; readonly at: Date }[] = [];
	#timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly db: AgentSpaceDb,
		private readonly options: {
			readonly log?: (line: string) => void;
			readonly sourceApp?: string;
			readonly groupMs?: number;
			readonly now?: () => number;
		} = {},
	) {}

	/** Records a finished request: written within the group time. */
	record(access: KeyAccess): void {
		this.#waiting.push({ access, at: new Date((this.options.now ?? Date.now)()) });
		if (this.#waiting.length >= MAX_KEY_ACCESS_GROUP) {
			this.flush();
			return;
		}
		if (this.#timer === undefined) {
			this.#timer = setTimeout(() => this.flush(), this.options.groupMs ?? KEY_ACCESS_GROUP_MS);
			this.#timer.unref();
		}
	}

	/** Writes every waiting entry now, in one transaction. */
	flush(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		const group = this.#waiting;
		if (group.length === 0) return;
		this.#waiting = [];
		const { sourceApp, log } = this.options;
		const entries = group.map(({ access, at }) => keyAccessedEntry(access, at, sourceApp));
		try {
			withImmediateTransaction(this.db, (tx) => {
				for (const entry of entries) appendAuditRecord(tx, entry);
			});
		} catch (error) {
			// Nothing of the group was written: each on its own, so one bad entry costs only itself.
			log?.(
				`could not audit ${entries.length} key_accessed entries at once: ${(error as Error).message}`,
			);
			for (const entry of entries) writeAuditEntry(this.db, log, entry, undefined);
		}
	}
}
