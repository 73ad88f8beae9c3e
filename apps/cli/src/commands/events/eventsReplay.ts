import { appendAuditRecord, withImmediateTransaction } from '@agentspace/db';
import {
	getLatestSequence,
	projectionDigest,
	rebuildProjections,
	type TableDigest,
} from '@agentspace/events';
import type { ActionResult } from '../../action.js';
import { CLI_SOURCE_APP, cliActor } from '../../actor.js';
import type { CommandContext } from '../../context.js';
import { openExistingHomeDb } from '../../homeDb.js';

// Events per page of the replay; progress may be redrawn after each.
const BATCH = 1000;
// Progress is drawn at most this often, so a replay quicker than this shows none.
const PROGRESS_EVERY_MS = 100;

/** One projection table before and after the rebuild. */
interface TableComparison {
	readonly table: string;
	readonly rowsBefore: number;
	readonly rowsAfter: number;
	readonly sha256Before: string;
	readonly sha256After: string;
	readonly identical: boolean;
}

/**
 * `events replay`: empties every projection table and replays the whole log
 * into them, then reports which tables differ from before (a correct
 * projection gives byte-identical tables). The digests, the rebuild and the
 * `events.replayed` audit entry share one write transaction, so no write can
 * slip in between "before" and "after", and the rebuild is never committed
 * without its audit entry.
 */
export async function eventsReplay(ctx: CommandContext): Promise<ActionResult> {
	const db = openExistingHomeDb(ctx.home);
	let outcome: Outcome;
	try {
		let drawn = performance.now();
		outcome = withImmediateTransaction(db, (tx) => {
			const before = projectionDigest(tx);
			let tables: TableComparison[] = [];
			let lastSequence = 0;
			let auditId = 0;
			// Inside a transaction already, the rebuild's own becomes a savepoint.
			const result = rebuildProjections(tx, {
				batchSize: BATCH,
				onProgress: (replayed, total) => {
					if (performance.now() - drawn >= PROGRESS_EVERY_MS) {
						drawn = performance.now();
						ctx.output.progress(
							`replaying events: ${replayed}/${total} (${Math.floor((replayed / total) * 100)}%)`,
						);
					}
				},
				beforeCommit: (inner, events) => {
					tables = compare(before, projectionDigest(inner));
					lastSequence = getLatestSequence(inner);
					const changedTables = tables.filter((t) => !t.identical).map((t) => t.table);
					auditId = appendAuditRecord(inner, {
						eventType: 'events.replayed',
						actor: cliActor(),
						subject: { type: 'projections' },
						// A table that changes on a rebuild had drifted from the log: worth a look.
						severity: changedTables.length === 0 ? 'info' : 'warning',
						sourceApp: CLI_SOURCE_APP,
						metadata: { events, lastSequence, tables: tables.length, changedTables },
					}).id;
				},
			});
			return {
				events: result.events,
				durationMs: result.durationMs,
				tables,
				lastSequence,
				auditId,
			};
		});
	} finally {
		ctx.output.progress(undefined);
		db.$client.close();
	}
	report(ctx, outcome);
}

/** What a replay did and found. */
interface Outcome {
	readonly events: number;
	readonly durationMs: number;
	readonly tables: readonly TableComparison[];
	readonly lastSequence: number;
	readonly auditId: number;
}

function compare(
	before: Record<string, TableDigest>,
	after: Record<string, TableDigest>,
): TableComparison[] {
	return Object.entries(after).map(([table, now]) => {
		const then = before[table] ?? { rows: 0, sha256: '' };
		return {
			table,
			rowsBefore: then.rows,
			rowsAfter: now.rows,
			sha256Before: then.sha256,
			sha256After: now.sha256,
			identical: then.sha256 === now.sha256,
		};
	});
}

function report(ctx: CommandContext, outcome: Outcome): void {
	const { events, durationMs, tables, lastSequence, auditId } = outcome;
	const changed = tables.filter((t) => !t.identical);
	ctx.output.data({
		events,
		lastSequence,
		durationMs,
		identical: changed.length === 0,
		changedTables: changed.map((t) => t.table),
		tables,
		auditId,
	});
	const { style } = ctx.output;
	const replayed = `${events} ${events === 1 ? 'event' : 'events'}`;
	ctx.output.line(
		`Replayed ${replayed}${events === 0 ? '' : ` (up to sequence ${lastSequence})`} into ${tables.length} projection tables in ${durationMs} ms.`,
	);
	if (changed.length === 0) {
		ctx.output.line(`${style.green('✓')} every table is byte-identical to before`);
	} else {
		ctx.output.line(
			`${style.yellow('!')} ${changed.length} of ${tables.length} tables changed; they had drifted from the event log and now match it:`,
		);
		ctx.output.table(changed, [
			{ header: 'TABLE', value: (t) => t.table },
			{ header: 'ROWS BEFORE', value: (t) => String(t.rowsBefore) },
			{ header: 'ROWS AFTER', value: (t) => String(t.rowsAfter) },
		]);
	}
	ctx.output.line(style.dim(`Audited as events.replayed (entry ${auditId}).`));
}
