import { join } from 'node:path';
import { createTempHome, type TempHome } from '@agentspace/testing';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asDamagedDatabaseError } from './damagedDatabase.js';
import { closeDb, openDb } from './openDb.js';

let temp: TempHome;
let path: string;
beforeEach(() => {
	temp = createTempHome('db-damaged');
	path = join(temp.home, 'agentspace.db');
	closeDb(openDb({ path }));
});
afterEach(() => temp.cleanup());

/** Damage as raw SQL access would: outside AgentSpace, on the real file. */
function damage(sql: string): void {
	const raw = new Database(path);
	raw.exec(sql);
	raw.close();
}

describe('a database with tables dropped', () => {
	it('is refused on open as DB_DAMAGED, naming each missing table, and left as it is', () => {
		damage('DROP TABLE audit_log; DROP TABLE agent_runs;');
		expect(() => openDb({ path })).toThrow(
			expect.objectContaining({
				code: 'DB_DAMAGED',
				message: `the database ${path} is damaged: tables agent_runs, audit_log are missing`,
				hint: expect.stringMatching(/never drops tables.*Keep a copy/),
			}),
		);
		// Not recreated behind the user's back: the finding stays.
		const raw = new Database(path);
		const tables = raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
		raw.close();
		expect(tables).not.toContain('audit_log');
	});

	it('names a single missing table', () => {
		damage('DROP TABLE events;');
		expect(() => openDb({ path })).toThrow(/damaged: table events is missing$/);
	});

	it("turns SQLite's `no such table` (dropped while open) into DB_DAMAGED", () => {
		const db = openDb({ path });
		damage('DROP TABLE audit_log;');
		let caught: unknown;
		try {
			db.$client.prepare('SELECT * FROM audit_log').all();
		} catch (error) {
			caught = error;
		}
		closeDb(db);
		expect(asDamagedDatabaseError(caught, path)).toMatchObject({
			code: 'DB_DAMAGED',
			message: expect.stringMatching(/table audit_log is missing/),
		});
		expect(asDamagedDatabaseError(new Error('disk I/O error'), path)).toBeUndefined();
	});
});
