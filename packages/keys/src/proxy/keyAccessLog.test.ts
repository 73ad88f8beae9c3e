import { join } from 'node:path';
import {
	type AgentSpaceDb,
	closeDb,
	getAuditEvents,
	openDb,
	recordAuditEvent,
	verifyAuditChain,
} from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KeyAccess, KeyAccessLog, MAX_KEY_ACCESS_GROUP } from './keyAccessLog.js';

let temp: TempHome;
let db: AgentSpaceDb;
beforeEach(() => {
	temp = createTempHome('keys-access-log');
	db = openDb({ path: join(temp.home, 'agentspace.db') });
});
afterEach(() => {
	closeDb(db);
	temp.cleanup();
});

const access = (model: string): KeyAccess => ({
	provider: 'anthropic',
	caller: { kind: 'run', agentId: 'writer', runId: 'run-1', providers: [] },
	model,
	status: 200,
	durationMs: 3,
	inputTokens: 10,
	outputTokens: 5,
	stream: false,
	path: '/anthropic/v1/messages',
});
const accessed = () => getAuditEvents(db, { type: 'key_accessed', order: 'asc', limit: 1000 });

async function until(check: () => Promise<boolean>): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('KeyAccessLog', () => {
	it('writes a group when its time is up, without a flush, each entry at the time its request ended', async () => {
		const times = [Date.parse('2026-12-01T10:00:00.000Z'), Date.parse('2026-12-01T10:00:00.004Z')];
		const log = new KeyAccessLog(db, { now: () => times.shift() ?? 0, sourceApp: 'test' });
		log.record(access('first'));
		log.record(access('second'));
		// Nothing is written while the group waits.
		expect(await accessed()).toEqual([]);
		await until(async () => (await accessed()).length === 2);
		const entries = await accessed();
		expect(entries.map((e) => [e.metadata.model, e.timestamp, e.sourceApp])).toEqual([
			['first', '2026-12-01T10:00:00.000Z', 'test'],
			['second', '2026-12-01T10:00:00.004Z', 'test'],
		]);
		expect(entries[0]).toMatchObject({
			actor: { type: 'agent', id: 'writer' },
			subject: { type: 'provider', id: 'anthropic' },
			metadata: { inputCount: 10, outputCount: 5, runId: 'run-1', status: 200 },
		});
		expect((await verifyAuditChain(db)).ok).toBe(true);
	});

	it('writes a full group at once, and what waits on flush, in the order recorded and chained with other entries', async () => {
		const log = new KeyAccessLog(db, { groupMs: 60_000 });
		for (let n = 0; n < MAX_KEY_ACCESS_GROUP; n += 1) log.record(access(`m${n}`));
		expect(await accessed()).toHaveLength(MAX_KEY_ACCESS_GROUP);
		log.record(access('late'));
		await recordAuditEvent(db, {
			eventType: 'key_added',
			severity: 'info',
			actor: { type: 'human', id: 'me' },
			metadata: { provider: 'openai' },
		});
		log.flush();
		const models = (await accessed()).map((e) => e.metadata.model);
		expect(models).toHaveLength(MAX_KEY_ACCESS_GROUP + 1);
		expect(models.at(0)).toBe('m0');
		expect(models.at(-1)).toBe('late');
		const verified = await verifyAuditChain(db);
		expect(verified).toMatchObject({ ok: true, count: MAX_KEY_ACCESS_GROUP + 2 });
	});

	it('writes the rest of a group one by one when the group cannot be written: one bad entry costs only itself', async () => {
		// A real trigger refuses one entry, as a damaged or full database might refuse a write.
		db.$client.exec(`CREATE TEMP TRIGGER refuse_poison BEFORE INSERT ON audit_log
			WHEN NEW.metadata LIKE '%"model":"poison"%'
			BEGIN SELECT RAISE(ABORT, 'poisoned entry'); END`);
		const lines: string[] = [];
		const log = new KeyAccessLog(db, { groupMs: 60_000, log: (line) => lines.push(line) });
		log.record(access('before'));
		log.record(access('poison'));
		log.record(access('after'));
		log.flush();
		expect((await accessed()).map((e) => e.metadata.model)).toEqual(['before', 'after']);
		expect(lines.join('\n')).toMatch(
			/could not audit 3 key_accessed entries at once: poisoned entry/,
		);
		expect(lines.join('\n')).toMatch(/could not audit key_accessed: poisoned entry/);
		expect((await verifyAuditChain(db)).ok).toBe(true);
	});
});
