// The call log's retention as the daemon applies it: a backlog is pruned in
// bounded batches with the event loop free between them, one audit entry with
// the total at the end, on a real SQLite file.
import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import { getAuditEvents } from '@agentspace/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonPaths } from '../daemonPaths.js';
import type { DaemonServiceContext } from '../daemonService.js';
import { startCallLogRetention } from './callLogRetention.js';

let temp: TempHomeDb;
const logLines: string[] = [];

beforeEach(() => {
	temp = openTempHomeDb('daemon-retention');
	logLines.length = 0;
});
afterEach(() => temp.cleanup());

function context(): DaemonServiceContext {
	return {
		db: temp.db,
		home: temp.home,
		paths: daemonPaths(temp.home),
		actor: { type: 'system', id: 'agentspace-daemon' },
		log: (line) => logLines.push(line),
		closing: () => false,
	};
}

/** `count` calls started in 2020, long past any retention. */
function backlog(count: number) {
	const insert = temp.db.$client.prepare(
		"INSERT INTO tool_calls VALUES (?, '2020-01-01T00:00:00.000Z', 'user', 'a', NULL, 'x', NULL, 't', 'h', '{}', 'ok', NULL, 1)",
	);
	temp.db.$client.transaction(() => {
		for (let i = 0; i < count; i++) insert.run(`call_${i}`);
	})();
}

const left = () =>
	(temp.db.$client.prepare('SELECT count(*) AS n FROM tool_calls').get() as { n: number }).n;
const prunes = async () =>
	(await getAuditEvents(temp.db, { order: 'asc' })).filter(
		(entry) => entry.eventType === 'tool_calls.pruned',
	);
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('startCallLogRetention', () => {
	it('prunes a backlog a batch at a time, yielding between batches, and audits the total once', async () => {
		backlog(25);
		let done!: () => void;
		const pruned = new Promise<void>((resolve) => {
			done = resolve;
		});
		const seen: number[] = [];
		const stop = startCallLogRetention(context(), {
			retentionDays: 30,
			batchRows: 10,
			onPruned: () => done(),
		});
		// One batch ran at once; the rest waits for the event loop.
		expect(left()).toBe(15);
		expect(await prunes()).toEqual([]);
		// The loop turns between batches: a callback queued now runs before the last one.
		setImmediate(() => seen.push(left()));
		await pruned;
		stop();
		expect(seen[0]).toBeGreaterThan(0);
		expect(left()).toBe(0);
		const entries = await prunes();
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({
			actor: { type: 'system', id: 'agentspace-daemon' },
			metadata: { deleted: 25, olderThanDays: 30 },
		});
		expect(logLines.join('\n')).toMatch(/pruned 25 calls/);
	});

	it('stops a prune under way before its next batch when stopped (the daemon closes its database next)', async () => {
		backlog(25);
		const stop = startCallLogRetention(context(), { retentionDays: 30, batchRows: 10 });
		stop();
		for (let i = 0; i < 5; i++) await turn();
		expect(left()).toBe(15);
		expect(await prunes()).toEqual([]);
	});
});
