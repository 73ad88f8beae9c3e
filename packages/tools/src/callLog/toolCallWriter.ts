import type { AgentSpaceDb } from '@agentspace/db';
import { DenialThrottle, withImmediateTransaction, withSavepoint } from '@agentspace/db';
import {
	type DenialAudit,
	denialKind,
	type PreparedToolCall,
	prepareToolCall,
	writeFoldedDenials,
	writeToolCall,
} from './recordToolCall.js';
import type { ToolCallInput, ToolCallRecord } from './types.js';

/** The default window in which repeated denials of one kind are folded (as the socket's and the UI's). */
export const DENIAL_FOLD_WINDOW_MS = 10_000;

/** Options of {@link ToolCallWriter}. */
export interface ToolCallWriterOptions {
	/** The window denials of one kind are folded in (default {@link DENIAL_FOLD_WINDOW_MS}). */
	readonly denialWindowMs?: number;
	/** The clock the windows are measured on (tests). */
	readonly now?: () => number;
}

interface Pending {
	readonly prepared: PreparedToolCall;
	readonly denial: DenialAudit | undefined;
	readonly resolve: (record: ToolCallRecord) => void;
	readonly reject: (error: unknown) => void;
}

/**
 * Records tool calls as {@link recordToolCall} does, but commits the calls
 * recorded in the same turn of the event loop together, in one write
 * transaction: with many calls in flight the commit — most of a record's
 * cost — is shared. Each call still gets its own savepoint (one that fails
 * takes only itself back) and a denial its audit entry in that transaction;
 * `record` resolves once the call is committed, so a caller that awaited it
 * knows the call is on disk.
 */
export class ToolCallWriter {
	readonly #db: AgentSpaceDb;
	readonly #throttle: DenialThrottle;
	readonly #windowMs: number;
	#pending: Pending[] = [];
	/** Folded counts whose window ended, to be written with the next commit. */
	#counts: [kind: string, folded: number][] = [];
	#countTimer: NodeJS.Timeout | undefined;
	#foldedSinceTimer = false;
	#flushScheduled = false;

	constructor(db: AgentSpaceDb, options: ToolCallWriterOptions = {}) {
		this.#db = db;
		this.#windowMs = options.denialWindowMs ?? DENIAL_FOLD_WINDOW_MS;
		this.#throttle = new DenialThrottle(this.#windowMs, options.now ?? Date.now);
	}

	/** Records one call; rejects with a ValidationError (every bad field) without writing, or with the write's error. */
	record(input: ToolCallInput): Promise<ToolCallRecord> {
		let prepared: PreparedToolCall;
		try {
			prepared = prepareToolCall(input);
		} catch (error) {
			return Promise.reject(error);
		}
		// Every call is in the call log; its denial audit is folded: the first
		// denial of a kind (caller, agent/tool, code) in a window is an entry,
		// the rest are counted into the next entry of that kind, or into a count
		// entry once the window has ended — a script hammering a denied tool
		// adds a row per window to the audit log, not a row per call.
		const denial = prepared.record.status === 'denied' ? this.#admit(prepared) : undefined;
		return new Promise((resolve, reject) => {
			this.#pending.push({ prepared, denial, resolve, reject });
			this.#scheduleFlush();
		});
	}

	/**
	 * Writes every denial count still folded (one audit entry per kind) and
	 * stops the writer's timer: the router is closing. Calls recorded before
	 * are committed first.
	 */
	close(): void {
		clearTimeout(this.#countTimer);
		this.#countTimer = undefined;
		this.#counts.push(...this.#throttle.drain());
		this.#flush();
	}

	#admit(prepared: PreparedToolCall): DenialAudit {
		const folded = this.#throttle.admit(denialKind(prepared.record));
		if (folded !== undefined) return { foldedBefore: folded };
		this.#foldedSinceTimer = true;
		// Counts of a flood that stopped are written when their window ends, not only at the next denial.
		if (this.#countTimer === undefined) this.#startCountTimer();
		return 'folded';
	}

	#startCountTimer(): void {
		this.#foldedSinceTimer = false;
		this.#countTimer = setTimeout(() => {
			this.#countTimer = undefined;
			this.#counts.push(...this.#throttle.expired());
			if (this.#counts.length > 0) this.#scheduleFlush();
			// Windows folded into since this timer started end within one more window.
			if (this.#foldedSinceTimer) this.#startCountTimer();
		}, this.#windowMs);
		this.#countTimer.unref();
	}

	#scheduleFlush(): void {
		// The first call of a turn schedules the commit, after the turn's I/O
		// callbacks (answers read in one chunk) have added theirs.
		if (this.#flushScheduled) return;
		this.#flushScheduled = true;
		setImmediate(() => this.#flush());
	}

	#flush(): void {
		this.#flushScheduled = false;
		const batch = this.#pending;
		this.#pending = [];
		const counts = [...this.#counts, ...this.#throttle.expired()];
		this.#counts = [];
		if (batch.length === 0 && counts.length === 0) return;
		const failures = new Map<Pending, unknown>();
		try {
			withImmediateTransaction(this.#db, (tx) => {
				for (const item of batch) {
					try {
						withSavepoint(tx, (inner) => writeToolCall(inner, item.prepared, item.denial));
					} catch (error) {
						failures.set(item, error);
					}
				}
				for (const [kind, folded] of counts) {
					try {
						withSavepoint(tx, (inner) => writeFoldedDenials(inner, kind, folded));
					} catch {
						// A count that cannot be written is lost, never the calls: they are in the log.
					}
				}
			});
		} catch (error) {
			// The commit itself failed: nothing of the batch is on disk (the counts are kept for the next).
			this.#counts.unshift(...counts);
			for (const item of batch) item.reject(error);
			return;
		}
		for (const item of batch) {
			if (failures.has(item)) item.reject(failures.get(item));
			else item.resolve(item.prepared.record);
		}
	}
}
