import {
	type AgentSpaceDb,
	type AuditSeverity,
	appendAuditRecord,
	FoldedDenials,
	withImmediateTransaction,
} from '@agentspace/db';
import type { LimitTracker } from './limitTracker.js';
import type { LlmCaller } from './llmCaller.js';

/** The endpoint's refusals and denials are recorded as AgentSpace itself, as the daemon's other doors are. */
const ENDPOINT_ACTOR = { type: 'system', id: 'agentspace-daemon' } as const;

// Control and format characters (escapes, newlines, bidi overrides, zero-width): never in the audit log.
const UNPRINTABLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * An untrusted string (a model name, a path) as the audit log keeps it:
 * without control or format characters, at most `max` characters (cut with
 * `…`), so what an agent sends cannot forge lines or fill the log.
 */
export function auditText(value: string, max: number): string {
	const clean = value.replace(UNPRINTABLE, '');
	return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

/** The longest model name the audit log keeps. */
export const MAX_AUDIT_MODEL = 128;
/** The longest path the audit log keeps. */
export const MAX_AUDIT_PATH = 256;

/** Writes one audit entry in its own transaction; a failed write is logged, never thrown (the request already stands). */
export function writeAuditEntry(
	db: AgentSpaceDb,
	log: ((line: string) => void) | undefined,
	entry: {
		eventType: string;
		severity: AuditSeverity;
		actor: { type: 'system' | 'agent' | 'human'; id: string };
		subject?: { type: string; id: string };
		timestamp?: string;
		sourceApp?: string;
		metadata: Record<string, unknown>;
	},
	sourceApp: string | undefined,
): void {
	try {
		withImmediateTransaction(db, (tx) =>
			appendAuditRecord(tx, {
				...entry,
				...(sourceApp === undefined ? {} : { sourceApp }),
				metadata: JSON.parse(JSON.stringify(entry.metadata)) as Record<string, never>,
			}),
		);
	} catch (error) {
		log?.(`could not audit ${entry.eventType}: ${(error as Error).message}`);
	}
}

/** Who a `key_accessed` entry names as its actor: the run's agent, or the user by the token's name. */
export function auditActorOf(caller: LlmCaller): { type: 'agent' | 'human'; id: string } {
	return caller.kind === 'run'
		? { type: 'agent', id: caller.agentId }
		: { type: 'human', id: caller.name ?? caller.tokenId };
}

/**
 * Audits the endpoint's refusals as `eventType`, folded by kind as the
 * daemon's doors fold theirs (db's FoldedDenials; specs/audit-log.md). Kinds
 * are never chosen by the caller; strings are made printable and bounded.
 */
export class FoldedAudit {
	readonly #folded: FoldedDenials;

	constructor(
		private readonly db: AgentSpaceDb,
		private readonly eventType: string,
		private readonly severity: AuditSeverity,
		private readonly options: {
			windowMs?: number;
			log?: (line: string) => void;
			sourceApp?: string;
		} = {},
	) {
		this.#folded = new FoldedDenials({
			...(options.windowMs === undefined ? {} : { windowMs: options.windowMs }),
			where: { interface: 'llm-endpoint' },
			write: (fields) => this.#write(fields),
		});
	}

	/** Records (or folds) one refusal of `kind`. */
	record(kind: string, reason: string, fields: Readonly<Record<string, unknown>> = {}): void {
		this.#folded.refuse(kind, reason, fields);
	}

	/** Records the counts still folded and stops the timer. */
	close(): void {
		this.#folded.close();
	}

	#write(fields: Record<string, unknown>): void {
		const metadata = Object.fromEntries(
			Object.entries(fields).map(([name, value]) => [
				name,
				typeof value === 'string' ? auditText(value, MAX_AUDIT_PATH) : value,
			]),
		);
		writeAuditEntry(
			this.db,
			this.options.log,
			{ eventType: this.eventType, severity: this.severity, actor: ENDPOINT_ACTOR, metadata },
			this.options.sourceApp,
		);
	}
}

/**
 * Seeds the tracker's rolling day from the `key_accessed` entries of the last
 * 24 hours, so a daemon restart does not reset `--tokens-per-day`.
 */
export function seedLimitTracker(db: AgentSpaceDb, tracker: LimitTracker, now: number): void {
	const since = new Date(now - 24 * 60 * 60_000).toISOString();
	const rows = db.$client
		.prepare(
			"SELECT ts, metadata FROM audit_log WHERE event_type = 'key_accessed' AND ts >= ? ORDER BY id",
		)
		.all(since) as { ts: string; metadata: string }[];
	for (const row of rows) {
		try {
			const m = JSON.parse(row.metadata) as Record<string, unknown>;
			if (typeof m.agentId !== 'string' || typeof m.provider !== 'string') continue;
			const tokens = num(m.inputCount) + num(m.outputCount);
			tracker.addTokens(m.agentId, m.provider, tokens, Date.parse(row.ts));
		} catch {
			// A damaged entry is not counted; audit verify reports it.
		}
	}
}

function num(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
