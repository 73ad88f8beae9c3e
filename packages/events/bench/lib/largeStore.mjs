// Targets 3 and 4: a large store built through EventStore.append in batches,
// queried by project and type, then rebuilt from its log.
import { join } from 'node:path';
import { closeDb, openDb } from '@agentspace/db';
import { EventStore, queryEvents, rebuildProjections } from '@agentspace/events';
import { LOAD_PROJECTS, LOAD_TYPES, loadBatch } from './loadEvents.mjs';
import { round, summarize } from './stats.mjs';

const now = () => performance.now();
const pick = (list) => list[Math.floor(Math.random() * list.length)];

// The SQL queryEvents builds for this query shape, to show the plan SQLite picks.
const QUERY_SQL = `SELECT * FROM events WHERE project_key = ? AND type IN (?) AND sequence > ?
	ORDER BY sequence ASC LIMIT ?`;

async function build(store, { events, batchSize }) {
	let appendMs = 0;
	const started = now();
	for (let b = 0; b < events / batchSize; b++) {
		const batch = loadBatch(b, batchSize);
		const t0 = now();
		await store.append(batch, { expectedVersion: 'no_stream' });
		appendMs += now() - t0;
	}
	const buildMs = now() - started;
	return {
		events,
		batchSize,
		types: LOAD_TYPES.length,
		projects: LOAD_PROJECTS.length,
		buildMs: Math.round(buildMs),
		appendMs: Math.round(appendMs),
		eventsPerSecond: Math.round((events / appendMs) * 1000),
	};
}

function query(db, total, { warmup, samples, limit }) {
	const plan = db.$client
		.prepare(`EXPLAIN QUERY PLAN ${QUERY_SQL}`)
		.all(LOAD_PROJECTS[0], LOAD_TYPES[0], 0, limit)
		.map((row) => row.detail)
		.join('; ');
	// For reading the figure, not for the verdict: the same SQL through a bare
	// prepared statement, interleaved, shows how much of a slow p99 is the machine.
	const bare = db.$client.prepare(QUERY_SQL).raw();
	const times = [];
	const floor = [];
	let rows = 0;
	for (let k = 0; k < warmup + samples; k++) {
		// Random project, type and start: every sample reads a different part of the log.
		const q = {
			project_key: pick(LOAD_PROJECTS),
			types: [pick(LOAD_TYPES)],
			after_sequence: Math.floor(Math.random() * total * 0.95),
			limit,
		};
		let found = 0;
		const viaStore = () => {
			const t0 = now();
			found = queryEvents(db, q).length;
			return now() - t0;
		};
		const viaBare = () => {
			const t0 = now();
			bare.all(q.project_key, q.types[0], q.after_sequence, limit);
			return now() - t0;
		};
		// Both read the same pages and whichever runs second finds them cached: alternate.
		let s;
		let f;
		if (k % 2 === 0) {
			s = viaStore();
			f = viaBare();
		} else {
			f = viaBare();
			s = viaStore();
		}
		if (k >= warmup) {
			times.push(s);
			floor.push(f);
			rows += found;
		}
	}
	return {
		shape: `queryEvents({ project_key, types: [one of ${LOAD_TYPES.length}], after_sequence: random, limit: ${limit} })`,
		plan,
		...summarize(times),
		floor: summarize(floor),
		meanRows: round(rows / samples, 1),
	};
}

// Reading and decoding the whole log without projections, to tell replay's
// read cost from its projection cost.
function readAll(db) {
	const t0 = now();
	let read = 0;
	for (let after = 0; ; ) {
		const page = queryEvents(db, { after_sequence: after, limit: 10_000 });
		if (page.length === 0) break;
		read += page.length;
		after = page[page.length - 1].sequence;
	}
	const ms = now() - t0;
	return { ms: Math.round(ms), eventsPerSecond: Math.round((read / ms) * 1000) };
}

function replay(db) {
	const read = readAll(db);
	const t0 = now();
	const rebuilt = rebuildProjections(db);
	const ms = now() - t0;
	const projected = db.$client
		.prepare(
			`SELECT (SELECT COUNT(*) FROM sorties) AS sorties, (SELECT COUNT(*) FROM messages) AS messages,
				(SELECT COUNT(*) FROM pilots) AS pilots, (SELECT COUNT(*) FROM reservations) AS reservations`,
		)
		.get();
	return {
		events: rebuilt.events,
		durationMs: Math.round(ms),
		eventsPerSecond: Math.round((rebuilt.events / ms) * 1000),
		readDecodeOnlyMs: read.ms,
		readDecodeOnlyEventsPerSecond: read.eventsPerSecond,
		projected,
	};
}

/** Builds the large store in `dir`, then measures queries and a full replay. */
export async function measureLargeStore(dir, config) {
	const db = openDb({ path: join(dir, 'large.db') });
	try {
		const built = await build(EventStore.fromDb(db), config.large);
		return {
			build: built,
			query: query(db, built.events, config.query),
			replay: replay(db),
		};
	} finally {
		closeDb(db);
	}
}
