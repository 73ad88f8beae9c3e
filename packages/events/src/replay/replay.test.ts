import { isConflictError } from '@agentspace/core';
import { createInMemoryDb, withImmediateTransaction } from '@agentspace/db';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvent } from '../createEvent.js';
import { PROJECTION_TABLES } from '../projections/projections.js';
import { appendToStream } from '../store/appendToStream.js';
import { queryEvents } from '../store/queryEvents.js';
import { dumpProjections } from '../testing/dumpProjections.js';
import { anyEventInput } from '../testing/eventArbitraries.js';
import { projectionDigest } from './projectionDigest.js';
import { rebuildProjections, replayEvents } from './rebuildProjections.js';

function appendAll(
	db: ReturnType<typeof createInMemoryDb>,
	inputs: { type: string; fields: object }[],
): number {
	let accepted = 0;
	for (const { type, fields } of inputs) {
		try {
			withImmediateTransaction(db, (tx) =>
				appendToStream(tx, [createEvent(type as never, fields as never)]),
			);
			accepted += 1;
		} catch (error) {
			// A lock held by another pilot is refused; nothing was written.
			if (!isConflictError(error)) throw error;
		}
	}
	return accepted;
}

describe('rebuildProjections', () => {
	it('live projections equal the rebuilt ones, table by table, for random event sequences', () => {
		fc.assert(
			fc.property(fc.array(anyEventInput, { minLength: 1, maxLength: 80 }), (inputs) => {
				const db = createInMemoryDb();
				const accepted = appendAll(db, inputs);
				const live = dumpProjections(db);
				const result = rebuildProjections(db);
				expect(result.events).toBe(accepted);
				const rebuilt = dumpProjections(db);
				for (const table of PROJECTION_TABLES) expect(rebuilt[table], table).toEqual(live[table]);
				db.$client.close();
			}),
			{ numRuns: 150 },
		);
	});

	it('the random sequences reach every projection table (the property above is not vacuous)', () => {
		const db = createInMemoryDb();
		// 1600 events: with the MCP token events in the catalogue, 1200 of seed 42 never pinned a tool
		// (a pin needs a listing of the same agent and hash before it).
		const [inputs] = fc.sample(fc.array(anyEventInput, { minLength: 1600, maxLength: 1600 }), {
			seed: 42,
			numRuns: 1,
		});
		// A table counts as reached when it had rows at some point: later events
		// (a run's end, an uninstall) may empty it again before the sample ends.
		const reached = new Set<string>();
		for (let start = 0; start < (inputs ?? []).length; start += 50) {
			appendAll(db, (inputs ?? []).slice(start, start + 50));
			const digest = projectionDigest(db);
			for (const table of PROJECTION_TABLES) if ((digest[table]?.rows ?? 0) > 0) reached.add(table);
		}
		expect([...PROJECTION_TABLES].filter((table) => !reached.has(table))).toEqual([]);
	});

	it('gives byte-identical tables (same digest) and reports progress', () => {
		const db = createInMemoryDb();
		const [inputs] = fc.sample(fc.array(anyEventInput, { minLength: 300, maxLength: 300 }), {
			seed: 3,
			numRuns: 1,
		});
		const accepted = appendAll(db, inputs ?? []);
		const before = projectionDigest(db);
		const progress: number[] = [];
		const result = rebuildProjections(db, {
			batchSize: 100,
			onProgress: (done, total) => progress.push(done, total),
		});
		expect(projectionDigest(db)).toEqual(before);
		expect(result).toMatchObject({ events: accepted, tables: PROJECTION_TABLES });
		expect(result.lastSequence).toBe(queryEvents(db, { order: 'desc', limit: 1 })[0]?.sequence);
		expect(progress.slice(-2)).toEqual([accepted, accepted]);
	});

	it('leaves the schema as it was (indexes rebuilt) and the database intact', () => {
		const db = createInMemoryDb();
		const [inputs] = fc.sample(fc.array(anyEventInput, { minLength: 200, maxLength: 200 }), {
			seed: 9,
			numRuns: 1,
		});
		appendAll(db, inputs ?? []);
		const schema = () =>
			db.$client.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name`).all();
		const before = schema();
		rebuildProjections(db);
		expect(schema()).toEqual(before);
		expect(db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
		const plan = db.$client
			.prepare(`EXPLAIN QUERY PLAN SELECT * FROM sorties WHERE project_key = ? AND status = 'open'`)
			.all('/p') as { detail: string }[];
		expect(plan.map((p) => p.detail).join()).toMatch(/USING INDEX sorties_ready_idx/);
	});

	it('repairs projection tables that were damaged behind its back', () => {
		const db = createInMemoryDb();
		appendAll(db, [
			{ type: 'sortie_created', fields: { project_key: '/p', sortie_id: 's1', title: 'x' } },
		]);
		const before = projectionDigest(db);
		db.$client.exec(`UPDATE sorties SET title = 'tampered'`);
		expect(projectionDigest(db).sorties).not.toEqual(before.sorties);
		rebuildProjections(db);
		expect(projectionDigest(db)).toEqual(before);
	});

	it('keeps the old tables when the rebuild fails, and commits the caller’s write with it', () => {
		const db = createInMemoryDb();
		appendAll(db, [
			{ type: 'sortie_created', fields: { project_key: '/p', sortie_id: 's1', title: 'x' } },
		]);
		const before = projectionDigest(db);
		expect(() =>
			rebuildProjections(db, {
				beforeCommit: () => {
					throw new Error('disk full');
				},
			}),
		).toThrow(/disk full/);
		expect(projectionDigest(db)).toEqual(before);
		let seen = -1;
		rebuildProjections(db, { beforeCommit: (_tx, events) => (seen = events) });
		expect(seen).toBe(1);
	});

	it('replayEvents applies given events without touching the log', () => {
		const source = createInMemoryDb();
		appendAll(source, [
			{ type: 'pilot_registered', fields: { project_key: '/p', callsign: 'v' } },
			{ type: 'pilot_active', fields: { project_key: '/p', callsign: 'v' } },
		]);
		const target = createInMemoryDb();
		expect(() => replayEvents(target, [])).toThrow(/inside a write transaction/);
		const count = withImmediateTransaction(target, (tx) => replayEvents(tx, queryEvents(source)));
		expect(count).toBe(2);
		expect(dumpProjections(target).pilots).toEqual(dumpProjections(source).pilots);
		expect(queryEvents(target)).toEqual([]);
	});
});
