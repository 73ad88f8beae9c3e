import { type AppConfig, loadConfig } from '@agentspace/core';
import { pruneToolCalls } from '@agentspace/tools/call-log';
import type { DaemonServiceContext } from '../daemonService.js';

/** A day: how often the daemon applies the call log's retention after the prune at its start. */
export const CALL_LOG_PRUNE_INTERVAL_MS = 86_400_000;

/** Options of {@link startCallLogRetention}. */
export interface CallLogRetentionOptions {
	/** Days the call log keeps; by default config.json's `tools.callLogRetentionDays`, read at each prune. */
	readonly retentionDays?: number;
	/** Time between prunes (a day by default). */
	readonly intervalMs?: number;
}

/**
 * Applies the tool call log's retention now, then every `intervalMs` on an
 * unref'd timer (it never keeps the daemon alive); returns what stops it.
 * Each prune is pruneToolCalls: batched deletes, audited
 * `tool_calls.pruned` with the count as the daemon; the audit log is never
 * pruned. A config that does not load, or a prune that fails, is logged and
 * skipped (nothing is deleted on a guess): the daemon carries on and the next
 * prune tries again.
 */
export function startCallLogRetention(
	context: DaemonServiceContext,
	options: CallLogRetentionOptions = {},
): () => void {
	const prune = () => {
		let days = options.retentionDays;
		if (days === undefined) {
			let config: AppConfig;
			try {
				config = loadConfig({ home: context.home });
			} catch (error) {
				context.log(`tool call log: not pruned, config.json: ${(error as Error).message}`);
				return;
			}
			days = config.tools.callLogRetentionDays;
		}
		try {
			const pruned = pruneToolCalls(context.db, {
				olderThanDays: days,
				actor: context.actor,
			});
			context.log(
				`tool call log: pruned ${pruned.deleted} calls started before ${pruned.cutoff} (${days} days kept)`,
			);
		} catch (error) {
			context.log(`tool call log: pruning failed: ${(error as Error).message}`);
		}
	};
	prune();
	const timer = setInterval(prune, options.intervalMs ?? CALL_LOG_PRUNE_INTERVAL_MS);
	timer.unref();
	return () => clearInterval(timer);
}
