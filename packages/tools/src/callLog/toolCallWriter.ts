import type { AgentSpaceDb } from '@agentspace/db';
import { withImmediateTransaction, withSavepoint } from '@agentspace/db';
import { type PreparedToolCall, prepareToolCall, writeToolCall } from './recordToolCall.js';
import type { ToolCallInput, ToolCallRecord } from './types.js';

interface Pending {
	readonly prepared: PreparedToolCall;
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
	#pending: Pending[] = [];

	constructor(db: AgentSpaceDb) {
		this.#db = db;
	}

	/** Records one call; rejects with a ValidationError (every bad field) without writing, or with the write's error. */
	record(input: ToolCallInput): Promise<ToolCallRecord> {
		let prepared: PreparedToolCall;
		try {
			prepared = prepareToolCall(input);
		} catch (error) {
			return Promise.reject(error);
		}
		return new Promise((resolve, reject) => {
			// The first call of a turn schedules the commit, after the turn's I/O
			// callbacks (answers read in one chunk) have added theirs.
			if (this.#pending.length === 0) setImmediate(() => this.#flush());
			this.#pending.push({ prepared, resolve, reject });
		});
	}

	#flush(): void {
		const batch = this.#pending;
		this.#pending = [];
		const failures = new Map<Pending, unknown>();
		try {
			withImmediateTransaction(this.#db, (tx) => {
				for (const item of batch) {
					try {
						withSavepoint(tx, (inner) => writeToolCall(inner, item.prepared));
					} catch (error) {
						failures.set(item, error);
					}
				}
			});
		} catch (error) {
			// The commit itself failed: nothing of the batch is on disk.
			for (const item of batch) item.reject(error);
			return;
		}
		for (const item of batch) {
			if (failures.has(item)) item.reject(failures.get(item));
			else item.resolve(item.prepared.record);
		}
	}
}
