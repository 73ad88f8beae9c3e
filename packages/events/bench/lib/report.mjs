// The human-readable table of a run; results.json has the same figures.
import { WAL_AUTOCHECKPOINT_PAGES } from '@agentspace/db';

const pad = (text, width) => String(text).padEnd(width);
const num = (value) => (typeof value === 'number' ? value.toLocaleString('en-US') : value);
const percent = (fraction) => `${Math.round(fraction * 1000) / 10}%`;

function latency(label, s) {
	return `  ${pad(label, 38)} p50 ${pad(s.p50Ms, 8)} p90 ${pad(s.p90Ms, 8)} p99 ${pad(s.p99Ms, 8)} max ${pad(s.maxMs, 8)} mean ${pad(s.meanMs, 8)} (ms, n=${s.n})`;
}

function appendLines({ single, batch }, batchSize) {
	const frames = single.walFramesPerCommit;
	return [
		`single append: ${single.event}`,
		latency('floor: INSERT in its own transaction', single.floor),
		latency('EventStore.append(event)', single.store),
		latency('  validation (Zod) alone', single.validationOnly),
		`  p50 ratio store/floor ${single.p50Ratio}×; samples over ${single.slowShare.limitMs} ms: store ${percent(single.slowShare.store)}, floor ${percent(single.slowShare.floor)}`,
		`  WAL pages per commit: store ${frames.store}, floor ${frames.floor} → an autocheckpoint (${WAL_AUTOCHECKPOINT_PAGES} pages, copied and fsynced inside the commit) every ~${Math.round(WAL_AUTOCHECKPOINT_PAGES / frames.store)} store commits`,
		'',
		`batch append: ${batch.event}`,
		latency(`floor: ${batchSize} INSERTs in one transaction`, batch.floor),
		latency('EventStore.append(events)', batch.store),
		`  by medians: floor ${num(batch.floorRowsPerSecond)} rows/s, store ${num(batch.storeEventsPerSecond)} events/s = ${percent(batch.share)} of the floor`,
		`  by means:   floor ${num(batch.floorRowsPerSecondMean)} rows/s, store ${num(batch.storeEventsPerSecondMean)} events/s = ${percent(batch.shareMean)} of the floor`,
	];
}

function largeLines({ build, query, replay }) {
	return [
		`large store: ${num(build.events)} events, ${build.types} types, ${build.projects} projects, batches of ${build.batchSize} through EventStore.append`,
		`  build ${num(build.buildMs)} ms (of which appends ${num(build.appendMs)} ms = ${num(build.eventsPerSecond)} events/s)`,
		`  query: ${query.shape}, ${query.meanRows} rows on average`,
		`  plan: ${query.plan}`,
		latency('floor: the same SELECT, raw rows', query.floor),
		latency('queryEvents', query),
		`  replay, rebuildProjections: ${num(replay.events)} events in ${num(replay.durationMs)} ms = ${num(replay.eventsPerSecond)} events/s`,
		`  reading + decoding the log alone (pages of 10,000): ${num(replay.readDecodeOnlyMs)} ms = ${num(replay.readDecodeOnlyEventsPerSecond)} events/s`,
		`  projected rows: ${Object.entries(replay.projected)
			.map(([table, n]) => `${table} ${num(n)}`)
			.join(', ')}`,
	];
}

function concurrencyLines(c) {
	return [
		`concurrent appends: ${c.workers} processes × ${num(c.eventsPerWorker)} events on a new file; every 4th append to one of 4 shared sortie streams at an exact version (retried on conflict), the rest to own streams`,
		`  ${num(c.events)} events, ${num(c.ids)} distinct ids, ${num(c.streams)} streams in ${num(c.wallMs)} ms = ${num(c.eventsPerSecond)} events/s; ${num(c.conflicts)} conflicts retried (at most ${c.maxRetries} retries for one append)`,
		`  worker times (ms): ${c.workerMs.join(', ')}`,
		...c.problems.map((p) => `  PROBLEM ${p}`),
	];
}

/** The figures by phase, then one PASS/FAIL line per target. */
export function formatReport(r) {
	const lines = [
		'',
		`event store benchmark: node ${r.node}, ${r.cpus} cpus${r.config.quick ? ', QUICK sizes' : ''}`,
		'',
		...appendLines(r.appends, r.config.batch.size),
		'',
		...largeLines(r.large),
		'',
		...concurrencyLines(r.concurrency),
		'',
		`time (ms): ${Object.entries(r.phasesMs)
			.map(([name, ms]) => `${name} ${num(ms)}`)
			.join(', ')}; total ${num(r.totalMs)}`,
		'',
		...r.verdicts.map((v) => `${v.pass ? 'PASS' : 'FAIL'}  ${pad(v.name, 46)} ${v.measured}`),
		'',
	];
	return lines.join('\n');
}
