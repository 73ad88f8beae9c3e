// Log capture throughput with redaction on (issue 5 target: ≥ 50 MB/s).
// The floor, measured in the same run, is writing the same bytes to a file
// in the same 64 KB chunks without splitting or redacting: the gap between
// the two is what capture costs, whatever the machine's load.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingLog } from '../dist/logs/rotatingLog.js';

const QUICK = process.env.AGENTSPACE_BENCH_QUICK === '1';
const TOTAL_MB = QUICK ? 16 : 64;
const ROUNDS = QUICK ? 3 : 5;
const TARGET_MB_S = 50;

// Typical agent output: mostly plain lines, one in 50 carrying a credential.
function makeChunk() {
	const lines = [];
	for (let i = 0; i < 600; i++) {
		lines.push(
			i % 50 === 0
				? `request ${i} failed: Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789 retrying`
				: `2026-11-22 level=info msg="processed item ${i} of the batch" duration_ms=${i % 97} queue=default`,
		);
	}
	return `${lines.join('\n')}\n`;
}

const chunk = makeChunk();
const chunkBytes = Buffer.byteLength(chunk);
const chunks = Math.ceil((TOTAL_MB * 1024 * 1024) / chunkBytes);
const dir = mkdtempSync(join(tmpdir(), 'agentspace-bench-logs-'));

function floor() {
	const fd = openSync(join(dir, 'floor.log'), 'w');
	const started = performance.now();
	for (let i = 0; i < chunks; i++) writeSync(fd, chunk);
	closeSync(fd);
	return (chunks * chunkBytes) / 1024 / 1024 / ((performance.now() - started) / 1000);
}

function capture() {
	const log = new RotatingLog(join(dir, 'run.log'), {}, ['an-injected-secret-value']);
	const started = performance.now();
	for (let i = 0; i < chunks; i++) log.write('stdout', chunk);
	log.close();
	return (chunks * chunkBytes) / 1024 / 1024 / ((performance.now() - started) / 1000);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floors = [];
const captures = [];
try {
	for (let round = 0; round < ROUNDS; round++) {
		floors.push(floor());
		captures.push(capture());
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
const captured = median(captures);
const raw = median(floors);
const ok = captured >= TARGET_MB_S;
process.stdout.write(
	`${ok ? 'PASS' : 'FAIL'}  log capture with redaction ≥ ${TARGET_MB_S} MB/s   ${captured.toFixed(1)} MB/s (floor: plain writes ${raw.toFixed(1)} MB/s, ${((captured / raw) * 100).toFixed(1)}%; ${TOTAL_MB} MB × ${ROUNDS} rounds, medians)\n`,
);
process.exitCode = ok ? 0 : 1;
