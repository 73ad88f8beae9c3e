import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempHome, type TempHome } from '@agentspace/testing';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The worker runs the built package (dist), as the CLI and the daemon would:
// turbo builds the package before its tests. The benchmark uses it too.
const WORKER = fileURLToPath(new URL('../test-workers/appendWorker.mjs', import.meta.url));
const WORKERS = 8;
const EVENTS_PER_WORKER = 150;
const SHARED_STREAMS = 4;
const SHARED_EVERY = 4;

/** [id, sequence, stream_id, stream_version] of one event a worker appended. */
type Appended = [string, number, string, number];

interface WorkerResult {
	readonly appended: Appended[];
	readonly conflicts: number;
	readonly errors: { step: string; code?: string; message: string }[];
}

interface WorkerExit {
	readonly code: number | null;
	readonly stderr: string;
	readonly result: WorkerResult | undefined;
}

/**
 * Forks every worker, waits until each has opened the database, then releases
 * them together so that they contend for the write lock and the shared streams.
 */
async function runWorkers(path: string): Promise<WorkerExit[]> {
	const workers = Array.from({ length: WORKERS }, (_, worker) => {
		const options = {
			db: path,
			worker,
			events: EVENTS_PER_WORKER,
			project: '/test/concurrent',
			sharedStreams: SHARED_STREAMS,
			sharedEvery: SHARED_EVERY,
		};
		const child = fork(WORKER, [JSON.stringify(options)], {
			execArgv: [],
			stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
			// Inside the test's own timeout, so a stuck worker cannot outlive the test.
			timeout: 50_000,
		});
		let stderr = '';
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		let result: WorkerResult | undefined;
		let markReady = () => {};
		const ready = new Promise<void>((resolve) => {
			markReady = resolve;
		});
		child.on('message', (message: { ready?: boolean; result?: WorkerResult }) => {
			if (message.ready) markReady();
			if (message.result) result = message.result;
		});
		// Messages can still be in the pipe when 'exit' fires: wait for the
		// channel to close too, so the worker's last message is never lost.
		const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
		const disconnected = new Promise((resolve) => child.on('disconnect', resolve));
		const exit = Promise.all([closed, disconnected]).then(([code]): WorkerExit => {
			markReady();
			return { code, stderr, result };
		});
		child.on('exit', markReady);
		return { child, ready, exit };
	});
	await Promise.all(workers.map((w) => w.ready));
	for (const w of workers) if (w.child.connected) w.child.send('go');
	return Promise.all(workers.map((w) => w.exit));
}

const range = (from: number, to: number) =>
	Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('EventStore.append from several processes at once (multi-process)', () => {
	let temp: TempHome;
	beforeEach(() => {
		temp = createTempHome('events-concurrent');
	});
	afterEach(() => temp.cleanup());

	it('loses and duplicates nothing, keeps every version gap-free, and no caller sees SQLITE_BUSY', async () => {
		// A new file: the workers also migrate it at once.
		const path = join(temp.home, 'agentspace.db');
		const exits = await runWorkers(path);

		for (const exit of exits) {
			expect(exit.stderr).toBe('');
			expect(exit.code).toBe(0);
			expect(exit.result?.errors).toEqual([]);
		}
		const reported = exits.flatMap((exit) => exit.result?.appended ?? []);
		const total = WORKERS * EVENTS_PER_WORKER;
		expect(reported).toHaveLength(total);
		expect(new Set(reported.map(([id]) => id)).size).toBe(total);

		const db = new Database(path, { readonly: true });
		try {
			const stored = db
				.prepare('SELECT id, sequence, stream_id, stream_version FROM events ORDER BY sequence')
				.raw()
				.all() as Appended[];
			// Each worker's account of its appends is exactly what the log holds.
			expect(stored).toHaveLength(total);
			expect([...stored].sort(byId)).toEqual([...reported].sort(byId));
			expect(stored.map(([, sequence]) => sequence)).toEqual(range(1, total));
			const versions = new Map<string, number[]>();
			for (const [, , stream, version] of stored) {
				versions.set(stream, [...(versions.get(stream) ?? []), version]);
			}
			for (const [stream, list] of versions) {
				expect({ stream, versions: list }).toEqual({ stream, versions: range(1, list.length) });
			}
			// The shared streams took every shared append, whoever won each race.
			const shared = [...versions].filter(([stream]) => stream.startsWith('sortie:shared-'));
			expect(shared).toHaveLength(SHARED_STREAMS);
			const sharedAppends = WORKERS * Math.ceil(EVENTS_PER_WORKER / SHARED_EVERY);
			expect(shared.reduce((sum, [, list]) => sum + list.length, 0)).toBe(sharedAppends);
			// The inline projections ran in the same transactions.
			const count = (sql: string) => (db.prepare(sql).pluck().get() as number) ?? 0;
			expect(count(`SELECT COUNT(*) FROM sorties WHERE sortie_id LIKE 'shared-%'`)).toBe(
				SHARED_STREAMS,
			);
			expect(count('SELECT COUNT(*) FROM messages')).toBe(
				count(`SELECT COUNT(*) FROM events WHERE type = 'message_sent'`),
			);
		} finally {
			db.close();
		}
	}, 60_000);
});

function byId(a: Appended, b: Appended): number {
	return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
