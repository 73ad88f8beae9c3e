// Targets 1 and 2: EventStore.append of one event, and of a batch to one
// stream, each sample paired with a floor sample (the same row through a bare
// prepared INSERT in its own file). Which of the pair runs first alternates, so
// neither always runs right after the other's commit.
import { join } from 'node:path';
import { closeDb, openDb } from '@agentspace/db';
import { createEvent, EventStore, safeValidatePendingEvent } from '@agentspace/events';
import { eventsSchema, openFloorDb, rowOf } from './floorDb.mjs';
import { round, summarize } from './stats.mjs';

const PROJECT = '/bench/project';
const now = () => performance.now();

/** One store sample and one floor sample, the store first on even `k`; returns [store, floor]. */
async function pair(k, storeSample, floorSample) {
	if (k % 2 === 0) {
		const s = await storeSample(k);
		return [s, floorSample(k)];
	}
	const f = floorSample(k);
	return [await storeSample(k), f];
}

/** Average WAL frames (pages) one commit of `commit()` writes, measured with autocheckpoint off. */
async function walFramesPerCommit(client, commit, commits = 100) {
	const pages = client.pragma('wal_autocheckpoint', { simple: true });
	client.pragma('wal_autocheckpoint = 0');
	client.pragma('wal_checkpoint(TRUNCATE)');
	for (let i = 0; i < commits; i++) await commit(i);
	const [{ log }] = client.pragma('wal_checkpoint(PASSIVE)');
	client.pragma(`wal_autocheckpoint = ${pages}`);
	return round(log / commits, 1);
}

const share = (samples, limitMs) =>
	round(samples.filter((ms) => ms > limitMs).length / samples.length, 4);

/** Measures single-event and batched appends against the floor in `dir`. */
export async function measureAppends(dir, config, slowMs) {
	const db = openDb({ path: join(dir, 'store.db') });
	const store = EventStore.fromDb(db);
	const floor = openFloorDb(join(dir, 'floor.db'), eventsSchema(db.$client));
	const floorVersions = new Map();
	const floorRow = (event) => {
		const version = (floorVersions.get(event.stream_id) ?? 0) + 1;
		floorVersions.set(event.stream_id, version);
		return rowOf(event, version);
	};
	// Progress reports on existing sorties: each append also updates a sorties row.
	const sorties = Array.from({ length: config.single.sorties }, (_, i) => `sortie-${i}`);
	for (const sortie_id of sorties) {
		const created = createEvent('sortie_created', {
			project_key: PROJECT,
			sortie_id,
			title: `sortie ${sortie_id}`,
			files: ['src/**'],
		});
		await store.append(created, { expectedVersion: 'no_stream' });
		floor.insertOne(floorRow(created));
	}
	const progress = (k, sortie = sorties[k % sorties.length]) =>
		createEvent('sortie_progress', {
			project_key: PROJECT,
			sortie_id: sortie,
			percent: k % 101,
			note: `step ${k}: tests for the append path are green`,
		});

	// Events are created outside the timed region: that is the caller's work.
	const single = { store: [], floor: [] };
	const singleStore = async (k) => {
		const event = progress(k);
		const t0 = now();
		await store.append(event);
		return now() - t0;
	};
	const singleFloor = (k) => {
		const row = floorRow(progress(k));
		const t0 = now();
		floor.insertOne(row);
		return now() - t0;
	};
	const { warmup, samples } = config.single;
	for (let k = 0; k < warmup + samples; k++) {
		const [s, f] = await pair(k, singleStore, singleFloor);
		if (k >= warmup) {
			single.store.push(s);
			single.floor.push(f);
		}
	}

	// Where the store's time goes: validation alone (Zod), per event.
	const validation = [];
	for (let k = 0; k < 2000; k++) {
		const event = progress(k);
		const t0 = now();
		safeValidatePendingEvent(event);
		validation.push(now() - t0);
	}
	// Why the tail is what it is: an autocheckpoint (every WAL_AUTOCHECKPOINT_PAGES) runs
	// inside whichever commit crosses the mark, and copies and fsyncs the pages.
	const storeFrames = await walFramesPerCommit(db.$client, (k) => store.append(progress(k)));
	const floorFrames = await walFramesPerCommit(floor.client, (k) =>
		floor.insertOne(floorRow(progress(k))),
	);

	const batch = { store: [], floor: [] };
	const { size } = config.batch;
	const batchOf = (k) =>
		Array.from({ length: size }, (_, j) => progress(k * size + j, sorties[k % sorties.length]));
	const batchStore = async (k) => {
		const events = batchOf(k);
		const t0 = now();
		await store.append(events);
		return now() - t0;
	};
	const batchFloor = (k) => {
		const rows = batchOf(k).map(floorRow);
		const t0 = now();
		floor.insertMany(rows);
		return now() - t0;
	};
	for (let k = 0; k < config.batch.warmup + config.batch.samples; k++) {
		const [s, f] = await pair(k, batchStore, batchFloor);
		if (k >= config.batch.warmup) {
			batch.store.push(s);
			batch.floor.push(f);
		}
	}
	floor.client.close();
	closeDb(db);

	const storeSingle = summarize(single.store);
	const floorSingle = summarize(single.floor);
	const storeBatch = summarize(batch.store);
	const floorBatch = summarize(batch.floor);
	const perSecond = (ms) => Math.round((size / ms) * 1000);
	return {
		single: {
			event: 'sortie_progress on one of 100 existing sorties (projection: UPDATE sorties)',
			store: storeSingle,
			floor: floorSingle,
			p50Ratio: round(storeSingle.p50Ms / floorSingle.p50Ms, 2),
			validationOnly: summarize(validation),
			slowShare: {
				limitMs: slowMs,
				store: share(single.store, slowMs),
				floor: share(single.floor, slowMs),
			},
			walFramesPerCommit: { store: storeFrames, floor: floorFrames },
		},
		batch: {
			event: `${size} × sortie_progress to one sortie stream per append`,
			store: storeBatch,
			floor: floorBatch,
			// Verdict on medians (robust to a noisy neighbour); means include every checkpoint.
			storeEventsPerSecond: perSecond(storeBatch.p50Ms),
			floorRowsPerSecond: perSecond(floorBatch.p50Ms),
			share: round(floorBatch.p50Ms / storeBatch.p50Ms, 3),
			storeEventsPerSecondMean: perSecond(storeBatch.meanMs),
			floorRowsPerSecondMean: perSecond(floorBatch.meanMs),
			shareMean: round(floorBatch.meanMs / storeBatch.meanMs, 3),
		},
	};
}
