// Target 5: several processes appending to one new database file at once (they
// also migrate it at once). Each worker (test-workers/appendWorker.mjs)
// reports what it appended and every error it saw; the log is then checked
// against those reports: nothing lost, nothing twice, no gaps.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const WORKER = fileURLToPath(new URL('../../test-workers/appendWorker.mjs', import.meta.url));

function startWorker(options) {
	const child = fork(WORKER, [JSON.stringify(options)], {
		execArgv: [],
		stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
		timeout: 300_000,
	});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk) => {
		stderr += chunk;
	});
	let onReady;
	const ready = new Promise((resolve) => {
		onReady = resolve;
	});
	let result;
	child.on('message', (message) => {
		if (message.ready) onReady();
		if (message.result) result = message.result;
	});
	child.on('exit', () => onReady());
	// Messages can still be in the pipe when 'exit' fires: wait for the channel
	// to close too, so the worker's last message is never lost.
	const closed = new Promise((resolve) =>
		child.on('close', (code, signal) => resolve({ code, signal })),
	);
	const disconnected = new Promise((resolve) => child.on('disconnect', resolve));
	const done = Promise.all([closed, disconnected]).then(([{ code, signal }]) => ({
		code,
		signal,
		stderr,
		result,
	}));
	return { child, ready, done };
}

/**
 * Starts `workers` processes on the database at `path`, releases them together
 * and waits for them; returns their reports and the wall time of the appends.
 */
async function runConcurrentAppends({ path, workers, events, sharedStreams, sharedEvery }) {
	const started = Array.from({ length: workers }, (_, worker) =>
		startWorker({
			db: path,
			worker,
			events,
			project: '/bench/concurrent',
			sharedStreams,
			sharedEvery,
		}),
	);
	await Promise.all(started.map((w) => w.ready));
	const t0 = performance.now();
	for (const w of started) if (w.child.connected) w.child.send('go');
	const exits = await Promise.all(started.map((w) => w.done));
	return { wallMs: performance.now() - t0, exits };
}

/** Checks the log against the workers' reports; returns the problems found (none: pass). */
function verifyLog(path, exits) {
	const problems = [];
	const reported = new Map();
	let conflicts = 0;
	for (const [index, exit] of exits.entries()) {
		if (exit.code !== 0 || exit.result === undefined) {
			problems.push(`worker ${index} exited ${exit.code ?? exit.signal}: ${exit.stderr.trim()}`);
		}
		for (const error of exit.result?.errors ?? []) {
			problems.push(`worker ${index} ${error.step}: ${error.code ?? error.name}: ${error.message}`);
		}
		conflicts += exit.result?.conflicts ?? 0;
		for (const [id, sequence, stream, version] of exit.result?.appended ?? []) {
			if (reported.has(id)) problems.push(`event ${id} reported twice`);
			reported.set(id, { sequence, stream, version });
		}
	}
	const db = new Database(path, { readonly: true });
	const rows = db
		.prepare('SELECT sequence, id, stream_id, stream_version FROM events ORDER BY sequence')
		.raw()
		.all();
	db.close();
	const versions = new Map();
	let expectedSequence = 1;
	for (const [sequence, id, stream, version] of rows) {
		if (sequence !== expectedSequence)
			problems.push(`sequence gap: ${expectedSequence} then ${sequence}`);
		expectedSequence = sequence + 1;
		const previous = versions.get(stream) ?? 0;
		if (version !== previous + 1) problems.push(`${stream}: version ${previous} then ${version}`);
		versions.set(stream, version);
		const mine = reported.get(id);
		if (mine === undefined) problems.push(`event ${id} in the log but reported by no worker`);
		else if (mine.sequence !== sequence || mine.version !== version || mine.stream !== stream)
			problems.push(
				`event ${id} reported at ${mine.sequence}/${mine.version}, stored at ${sequence}/${version}`,
			);
		reported.delete(id);
	}
	for (const id of reported.keys())
		problems.push(`event ${id} reported appended but not in the log`);
	return {
		problems,
		events: rows.length,
		ids: new Set(rows.map((r) => r[1])).size,
		streams: versions.size,
		conflicts,
	};
}

/** Target 5: `config.workers` processes appending to one new database file at once, then checked. */
export async function measureConcurrency(dir, config) {
	const path = join(dir, 'concurrent.db');
	const { wallMs, exits } = await runConcurrentAppends({ path, ...config });
	const check = verifyLog(path, exits);
	const expected = config.workers * config.events;
	if (check.events !== expected)
		check.problems.push(`${check.events} events stored, ${expected} expected`);
	return {
		workers: config.workers,
		eventsPerWorker: config.events,
		expectedEvents: expected,
		...check,
		problems: check.problems.slice(0, 50),
		problemCount: check.problems.length,
		wallMs: Math.round(wallMs),
		eventsPerSecond: Math.round((check.events / wallMs) * 1000),
		maxRetries: Math.max(...exits.map((e) => e.result?.retriesMax ?? 0)),
		workerMs: exits.map((e) => Math.round(e.result?.durationMs ?? Number.NaN)),
	};
}
