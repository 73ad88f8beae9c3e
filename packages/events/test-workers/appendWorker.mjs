#!/usr/bin/env node
// One of several processes appending to the same database file at once, for
// the multi-process test (src/concurrentAppend.test.ts) and the benchmark
// (bench/eventStore.bench.mjs). Started with child_process.fork and one JSON
// argument:
//
//   { db, worker, events, project, sharedStreams, sharedEvery }
//
// Every `sharedEvery`-th append goes to one of `sharedStreams` sortie streams
// that all workers write, with the exact version the worker believes the
// stream is at; on a ConcurrencyError it takes the actual version from the
// error, decides again (create or progress) and retries. The other appends go
// to the worker's own streams: its pilot stream (exact versions) and a new
// message stream per message (no_stream).
//
// Protocol over the IPC channel: the worker sends { ready } once the database
// is open, waits for 'go' (so all workers start together, which is what makes
// them contend), then sends { result } and exits. Every error other than an
// expected conflict is reported in `errors`, never thrown away: the caller
// asserts there are none (in particular no SQLITE_BUSY).
import { openDb } from '@agentspace/db';
import { createEvent, EventStore, isConcurrencyError } from '@agentspace/events';

const MAX_ATTEMPTS = 10_000;
const options = JSON.parse(process.argv[2] ?? '{}');
const { worker, project } = options;
const errors = [];
/** [id, sequence, stream_id, stream_version] of every event this worker appended. */
const appended = [];
let conflicts = 0;
let retriesMax = 0;

function describeError(error, step) {
	return {
		step,
		name: error?.name,
		code: error?.code,
		message: String(error?.message ?? error),
	};
}

function waitForGo() {
	return new Promise((resolve) => {
		process.on('message', (message) => {
			if (message === 'go') resolve();
		});
	});
}

// A shared sortie: the first writer to find it empty creates it, the others report progress.
function sharedEvent(sortieId, version, i) {
	return version === 0
		? createEvent('sortie_created', {
				project_key: project,
				sortie_id: sortieId,
				title: `shared sortie ${sortieId}`,
			})
		: createEvent('sortie_progress', {
				project_key: project,
				sortie_id: sortieId,
				percent: version % 101,
				note: `worker ${worker} step ${i}`,
			});
}

async function appendShared(store, known, i) {
	const sortieId = `shared-${(Math.floor(i / options.sharedEvery) + worker) % options.sharedStreams}`;
	const stream = `sortie:${sortieId}`;
	for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		const version = known.get(stream) ?? 0;
		try {
			const stored = await store.append(sharedEvent(sortieId, version, i), {
				expectedVersion: version,
			});
			known.set(stream, stored.stream_version);
			retriesMax = Math.max(retriesMax, attempt - 1);
			return stored;
		} catch (error) {
			if (!isConcurrencyError(error)) throw error;
			conflicts += 1;
			known.set(stream, error.actual);
		}
	}
	throw new Error(`gave up on ${stream} after ${MAX_ATTEMPTS} conflicts`);
}

async function appendOwn(store, known, i) {
	const callsign = `pilot-${worker}`;
	if (i % 2 === 0) {
		const stream = `pilot:${project}:${callsign}`;
		const version = known.get(stream) ?? 0;
		const event =
			version === 0
				? createEvent('pilot_registered', { project_key: project, callsign })
				: createEvent('pilot_active', { project_key: project, callsign, activity: `step ${i}` });
		const stored = await store.append(event, { expectedVersion: version });
		known.set(stream, stored.stream_version);
		return stored;
	}
	const event = createEvent('message_sent', {
		project_key: project,
		message_id: `w${worker}-m${i}`,
		from: callsign,
		to: [`pilot-${(worker + 1) % 8}`],
		subject: 'status',
		body: `step ${i} of worker ${worker}`,
	});
	return store.append(event, { expectedVersion: 'no_stream' });
}

async function main() {
	let db;
	try {
		db = openDb({ path: options.db });
	} catch (error) {
		errors.push(describeError(error, 'open'));
	}
	process.send({ ready: true, error: errors.length > 0 });
	await waitForGo();
	const started = performance.now();
	if (db !== undefined) {
		const store = EventStore.fromDb(db);
		const known = new Map();
		for (let i = 0; i < options.events; i++) {
			try {
				const stored =
					i % options.sharedEvery === 0
						? await appendShared(store, known, i)
						: await appendOwn(store, known, i);
				appended.push([stored.id, stored.sequence, stored.stream_id, stored.stream_version]);
			} catch (error) {
				errors.push(describeError(error, `append ${i}`));
			}
		}
		try {
			db.$client.close();
		} catch (error) {
			errors.push(describeError(error, 'close'));
		}
	}
	const durationMs = performance.now() - started;
	process.send({ result: { worker, appended, conflicts, retriesMax, errors, durationMs } }, () =>
		process.disconnect(),
	);
}

main().catch((error) => {
	process.exitCode = 1;
	const result = {
		worker,
		appended,
		conflicts,
		retriesMax,
		errors: [...errors, describeError(error, 'main')],
	};
	process.send?.({ result }, () => process.disconnect());
});
