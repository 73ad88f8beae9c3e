import { type AppConfig, loadConfig } from '@agentspace/core';
import { pruneToolCalls } from '@agentspace/tools/call-log';
import type { DaemonServiceContext } from '../daemonService.js';

/** A day: how often the daemon applies the call log's retention after the prune at its start. */
export const CALL_LOG_PRUNE_INTERVAL_MS = 86_400_000;

/**
 * Calls deleted per transaction: between two, the prune yields to the event
 * loop (setImmediate), so a large backlog — ~860,000 calls a day at 10 calls/s
 * — never holds the daemon's socket for more than one batch (tens of ms).
 */
export const CALL_LOG_PRUNE_BATCH_ROWS = 10_000;

/** Options of {@link startCallLogRetention}. */
export interface CallLogRetentionOptions {
	/** Days the call log keeps; by default config.json's `tools.callLogRetentionDays`, read at each prune. */
	readonly retentionDays?: number;
	/** Time between prunes (a day by default). */
	readonly intervalMs?: number;
	/** Calls deleted per transaction ({@link CALL_LOG_PRUNE_BATCH_ROWS} by default). */
	readonly batchRows?: number;
	/** Called when a prune has ended, deleted or failed (tests). */
	readonly onPruned?: () => void;
}

/**
 * Applies the tool call log's retention now, then every `intervalMs` on an
 * unref'd timer (it never keeps the daemon alive); returns what stops it.
 * Each prune is pruneToolCalls in bounded batches of `batchRows` calls, one
 * transaction each, yielding to the event loop between batches so the
 * daemon keeps answering; one `tool_calls.pruned` audit entry with the total
 * count as the daemon at the end; the audit log is never pruned. The first
 * batch runs at once (a small log is pruned before start returns). A config
 * that does not load, or a prune that fails, is logged and skipped (nothing
 * is deleted on a guess): the daemon carries on and the next prune tries
 * again. Stopping ends a prune under way before its next batch.
 */
export function startCallLogRetention(
	context: DaemonServiceContext,
	options: CallLogRetentionOptions = {},
): () => void {
	let stopped = false;
	let pruning = false;
	const prune = () => {
		// A prune still under way (a huge backlog) is not started twice.
		if (pruning) return;
		let days = options.retentionDays;
		if (days === undefined) {
			let config: AppConfig;
			try {
				config = loadConfig({ home: context.home });
			} catch (error) {
				context.log(`tool call log: not pruned, config.json: ${(error as Error).message}`);
				options.onPruned?.();
				return;
			}
			days = config.tools.callLogRetentionDays;
		}
		const olderThanDays = days;
		// One cutoff for every batch of this prune.
		const now = new Date();
		const limit = options.batchRows ?? CALL_LOG_PRUNE_BATCH_ROWS;
		let deletedEarlier = 0;
		const batch = () => {
			if (stopped) {
				pruning = false;
				return;
			}
			try {
				const step = pruneToolCalls(context.db, {
					olderThanDays,
					actor: context.actor,
					now,
					limit,
					deletedEarlier,
				});
				deletedEarlier += step.deleted;
				if (step.more) {
					setImmediate(batch);
					return;
				}
				context.log(
					`tool call log: pruned ${deletedEarlier} calls started before ${step.cutoff} (${olderThanDays} days kept)`,
				);
			} catch (error) {
				context.log(`tool call log: pruning failed: ${(error as Error).message}`);
			}
			pruning = false;
			options.onPruned?.();
		};
		pruning = true;
		batch();
	};
	prune();
	const timer = setInterval(prune, options.intervalMs ?? CALL_LOG_PRUNE_INTERVAL_MS);
	timer.unref();
	return () => {
		stopped = true;
		clearInterval(timer);
	};
}
