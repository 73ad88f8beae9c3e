import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AgentSpaceDb, closeDb, createInMemoryDb, openDb } from '@agentspace/db';
import { createTempHome } from '@agentspace/testing';
import { describe, expect, it } from 'vitest';
import { createEvent } from '../createEvent.js';
import { EventStore } from '../store/EventStore.js';
import { getConsumerPosition, resetConsumer, runConsumer } from './runConsumer.js';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

async function seed(db: AgentSpaceDb, n: number): Promise<void> {
	const store = EventStore.fromDb(db);
	for (let i = 0; i < n; i += 1) {
		await store.append(
			createEvent('sortie_progress', {
				project_key: '/p',
				sortie_id: `s${i % 7}`,
				percent: i % 101,
			}),
		);
	}
}

// The consumer's own table: a primary key on the sequence, so handling an event twice fails loudly.
const HANDLED =
	'CREATE TABLE IF NOT EXISTS handled (sequence INTEGER PRIMARY KEY, type TEXT NOT NULL)';
const record = (event: { sequence: number; type: string }, db: AgentSpaceDb) =>
	db.$client
		.prepare('INSERT INTO handled (sequence, type) VALUES (?, ?)')
		.run(event.sequence, event.type);
const handledSequences = (db: AgentSpaceDb) =>
	(
		db.$client.prepare('SELECT sequence FROM handled ORDER BY sequence').all() as {
			sequence: number;
		}[]
	).map((r) => r.sequence);
const range = (from: number, to: number) =>
	Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('checkpointed consumers', () => {
	it('handles each event once and resumes after its stored position', async () => {
		const db = createInMemoryDb();
		db.$client.exec(HANDLED);
		await seed(db, 25);
		expect(runConsumer(db, { name: 'indexer', handle: record, batchSize: 10 })).toEqual({
			handled: 25,
			position: 25,
		});
		expect(runConsumer(db, { name: 'indexer', handle: record })).toEqual({
			handled: 0,
			position: 25,
		});
		await seed(db, 5);
		expect(runConsumer(db, { name: 'indexer', handle: record })).toEqual({
			handled: 5,
			position: 30,
		});
		expect(handledSequences(db)).toEqual(range(1, 30));
		expect(getConsumerPosition(db, 'indexer')).toBe(30);
		expect(getConsumerPosition(db, 'never-ran')).toBe(0);
	});

	it('rolls back a failing batch — writes and position — and retries it on the next run', async () => {
		const db = createInMemoryDb();
		db.$client.exec(HANDLED);
		await seed(db, 20);
		let failAt: number | undefined = 14;
		const handle = (event: { sequence: number; type: string }, tx: AgentSpaceDb) => {
			record(event, tx);
			if (event.sequence === failAt) throw new Error('handler crashed');
		};
		expect(() => runConsumer(db, { name: 'c', handle, batchSize: 5 })).toThrow(/handler crashed/);
		// Batches 1-5 and 6-10 committed; 11-15 rolled back entirely.
		expect(getConsumerPosition(db, 'c')).toBe(10);
		expect(handledSequences(db)).toEqual(range(1, 10));
		failAt = undefined;
		expect(runConsumer(db, { name: 'c', handle, batchSize: 5 })).toEqual({
			handled: 10,
			position: 20,
		});
		expect(handledSequences(db)).toEqual(range(1, 20));
	});

	it('filters by type but still moves past the others; maxEvents bounds a run', async () => {
		const db = createInMemoryDb();
		await seed(db, 3);
		await EventStore.fromDb(db).append(
			createEvent('pilot_registered', { project_key: '/p', callsign: 'v' }),
		);
		const seen: string[] = [];
		expect(
			runConsumer(db, {
				name: 'pilots',
				types: ['pilot_registered'],
				handle: (e) => seen.push(e.type),
				maxEvents: 2,
			}),
		).toEqual({
			handled: 0,
			position: 2,
		});
		expect(
			runConsumer(db, {
				name: 'pilots',
				types: ['pilot_registered'],
				handle: (e) => seen.push(e.type),
			}),
		).toEqual({
			handled: 1,
			position: 4,
		});
		expect(seen).toEqual(['pilot_registered']);
		resetConsumer(db, 'pilots');
		expect(getConsumerPosition(db, 'pilots')).toBe(0);
		expect(() => runConsumer(db, { name: 'bad name!', handle: () => {} })).toThrow(
			/name: must be 1-128/,
		);
		expect(() => resetConsumer(db, 'pilots', -1)).toThrow(/invalid consumer position/);
	});

	it('survives SIGKILL mid-run: restarting resumes exactly where it stopped', async () => {
		const temp = createTempHome('consumer-kill');
		try {
			const path = join(temp.home, 'agentspace.db');
			const db = openDb({ path });
			db.$client.exec(HANDLED);
			await seed(db, 400);
			closeDb(db);
			// A real process runs the consumer slowly and is killed without warning part-way.
			const script = `
				import { openDb } from '@agentspace/db';
				import { runConsumer } from '@agentspace/events';
				const db = openDb({ path: process.argv[1] });
				const insert = db.$client.prepare('INSERT INTO handled (sequence, type) VALUES (?, ?)');
				runConsumer(db, { name: 'slow', batchSize: 7, handle: (event) => {
					insert.run(event.sequence, event.type);
					const until = Date.now() + 2; while (Date.now() < until) {}
					if (event.sequence % 7 === 0) process.stdout.write(event.sequence + '\\n');
				} });
			`;
			const child = spawn(process.execPath, ['--input-type=module', '-e', script, path], {
				cwd: PACKAGE_DIR,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stderr = '';
			child.stderr.on('data', (c: Buffer) => {
				stderr += c.toString();
			});
			await new Promise<void>((resolve, reject) => {
				child.stdout.on('data', (chunk: Buffer) => {
					const last = Number(chunk.toString().trim().split('\n').pop());
					if (last >= 100) {
						child.kill('SIGKILL');
						resolve();
					}
				});
				child.on('exit', (code) => reject(new Error(`consumer exited early (${code}): ${stderr}`)));
			});
			await new Promise((resolve) => child.on('close', resolve));
			expect(child.signalCode).toBe('SIGKILL');

			const after = openDb({ path });
			const stopped = getConsumerPosition(after, 'slow');
			expect(stopped).toBeGreaterThanOrEqual(98);
			expect(stopped).toBeLessThan(400);
			// What committed is exactly what the position says: nothing beyond it.
			expect(handledSequences(after)).toEqual(range(1, stopped));
			const rest = runConsumer(after, { name: 'slow', handle: record });
			expect(rest).toEqual({ handled: 400 - stopped, position: 400 });
			expect(handledSequences(after)).toEqual(range(1, 400));
			closeDb(after);
		} finally {
			temp.cleanup();
		}
	}, 60_000);
});
