import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrorCode } from '@agentspace/core';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, WAL_AUTOCHECKPOINT_PAGES } from './configureConnection.js';
import { closeDb, createInMemoryDb, openDb } from './openDb.js';
import { withImmediateTransaction } from './withImmediateTransaction.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('db');
});
afterEach(() => temp.cleanup());

describe('openDb', () => {
	it('creates the file and its directory, with WAL, NORMAL sync, busy timeout and foreign keys', () => {
		const path = join(temp.home, 'nested', 'agentspace.db');
		const db = openDb({ path });
		try {
			expect(existsSync(path)).toBe(true);
			expect(statSync(join(temp.home, 'nested')).mode & 0o777).toBe(0o700);
			const pragma = (name: string) => db.$client.pragma(name, { simple: true });
			expect(pragma('journal_mode')).toBe('wal');
			expect(pragma('synchronous')).toBe(1); // NORMAL
			expect(pragma('foreign_keys')).toBe(1);
			expect(pragma('busy_timeout')).toBe(BUSY_TIMEOUT_MS);
			expect(pragma('wal_autocheckpoint')).toBe(WAL_AUTOCHECKPOINT_PAGES);
			expect(pragma('recursive_triggers')).toBe(1);
			db.$client.exec('CREATE TABLE t (v); INSERT INTO t VALUES (1)');
			// The database and its WAL files hold the audit log: owner-only.
			for (const file of [path, `${path}-wal`, `${path}-shm`])
				expect(statSync(file).mode & 0o777).toBe(0o600);
		} finally {
			closeDb(db);
		}
	});

	it('with create: false refuses a missing database and creates nothing', () => {
		const path = join(temp.home, 'missing', 'agentspace.db');
		let caught: unknown;
		try {
			openDb({ path, create: false });
		} catch (error) {
			caught = error;
		}
		expect(hasErrorCode(caught, 'NOT_FOUND')).toBe(true);
		expect((caught as { hint: string }).hint).toMatch(/agentspace doctor/);
		expect(existsSync(join(temp.home, 'missing'))).toBe(false);
	});

	it('refuses a file that is not a database, with a hint', () => {
		const path = join(temp.home, 'agentspace.db');
		writeFileSync(path, 'this is not sqlite, just text long enough to be read as a header........');
		let caught: unknown;
		try {
			openDb({ path });
		} catch (error) {
			caught = error;
		}
		expect(hasErrorCode(caught, 'DB_OPEN_FAILED')).toBe(true);
		expect((caught as { hint?: string }).hint).toMatch(/move it aside/);
	});

	it('gives an in-memory database the same schema', () => {
		const db = createInMemoryDb();
		const tables = db.$client
			.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`)
			.pluck()
			.all();
		expect(tables).toContain('audit_log');
		expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
		closeDb(db);
		closeDb(db); // closing twice is harmless
	});
});

describe('withImmediateTransaction', () => {
	it('commits on return and rolls back on throw', () => {
		const db = createInMemoryDb();
		db.$client.exec('CREATE TABLE t (v INTEGER)');
		withImmediateTransaction(db, (tx) => tx.$client.exec('INSERT INTO t VALUES (1)'));
		expect(() =>
			withImmediateTransaction(db, (tx) => {
				tx.$client.exec('INSERT INTO t VALUES (2)');
				throw new Error('abort');
			}),
		).toThrow('abort');
		expect(db.$client.prepare('SELECT v FROM t').pluck().all()).toEqual([1]);
		closeDb(db);
	});

	it('refuses asynchronous work, which would escape the transaction', () => {
		const db = createInMemoryDb();
		expect(() => withImmediateTransaction(db, async () => 1)).toThrow(/promise/i);
		closeDb(db);
	});
});
