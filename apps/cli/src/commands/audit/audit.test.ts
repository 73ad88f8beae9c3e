import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EMBEDDED_MIGRATIONS } from '@agentspace/db';
import { createTempHome, runNode, type TempHome } from '@agentspace/testing';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../testCli.js';

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('audit-cli');
	// Three audited changes: mode_changed, config_changed, mode_changed.
	runCli(temp.home, ['config', 'set', 'securityMode', 'full-control']);
	runCli(temp.home, ['config', 'set', 'apiEndpoint.port', '4000']);
	runCli(temp.home, ['config', 'set', 'securityMode', 'limited-control']);
});
afterEach(() => temp.cleanup());

interface ListResult {
	count: number;
	entries: Array<{ id: number; eventType: string; subject: { id: string } }>;
}

/** Tampers with the database file the way an attacker with raw SQL access would. */
function tamper(sql: string): void {
	const db = new Database(join(temp.home, 'agentspace.db'));
	db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
	db.exec(sql);
	db.close();
}

describe('agentspace audit list (end to end)', () => {
	it('lists entries newest first, as a table or JSON', () => {
		const { status, json } = runCliJson<ListResult>(temp.home, ['audit', 'list']);
		expect(status).toBe(0);
		expect(json.count).toBe(3);
		expect(json.entries.map((e) => e.id)).toEqual([3, 2, 1]);
		const table = runCli(temp.home, ['audit', 'list'], { NO_COLOR: '1' });
		expect(table.stdout.split('\n')[0]).toMatch(
			/^ID\s+TIME\s+TYPE\s+SEVERITY\s+ACTOR\s+SUBJECT\s+DETAILS$/,
		);
		expect(table.stdout).toMatch(/mode_changed\s+security\s+human:/);
	});

	it('filters by type, subject, time and limit', () => {
		const ids = (args: string[]) =>
			runCliJson<ListResult>(temp.home, ['audit', 'list', ...args]).json.entries.map((e) => e.id);
		expect(ids(['--type', 'mode_changed'])).toEqual([3, 1]);
		expect(ids(['--type', 'mode_changed', '--type', 'config_changed'])).toEqual([3, 2, 1]);
		expect(ids(['--subject', 'config:apiEndpoint.port'])).toEqual([2]);
		expect(ids(['--subject', 'config'])).toEqual([3, 2, 1]);
		expect(ids(['--limit', '1'])).toEqual([3]);
		expect(ids(['--since', '1h'])).toEqual([3, 2, 1]);
		expect(ids(['--until', '2000-01-01'])).toEqual([]);
		const today = new Date();
		const localDate = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
		expect(ids(['--until', localDate])).toEqual([3, 2, 1]);
		expect(ids(['--since', '2000-01-01T00:00:00Z'])).toEqual([3, 2, 1]);
	});

	it('shows control characters in data as escapes, not raw', () => {
		const db = new Database(join(temp.home, 'agentspace.db'));
		db.close();
		// An agent-supplied value with a newline and a terminal escape, written through the library.
		const script = `
			const { openDb, recordAuditEvent, closeDb } = await import(${JSON.stringify(new URL('../../../../../packages/db/dist/index.js', import.meta.url).href)});
			const db = openDb({ path: ${JSON.stringify(join(temp.home, 'agentspace.db'))} });
			await recordAuditEvent(db, { eventType: 'agent.note', metadata: { note: 'line1\\nline2 \\u001b[2J' } });
			closeDb(db);
		`;
		expect(runNode('--input-type=module', ['-e', script]).status).toBe(0);
		const table = runCli(temp.home, ['audit', 'list', '--limit', '1']).stdout;
		expect(table).toContain('note=line1\\nline2 \\u001b[2J');
		expect(table.split('\n')).toHaveLength(3);
	});

	it('refuses a home without a database (exit 3) and creates nothing', () => {
		const missing = join(temp.home, 'typo');
		for (const command of [
			['audit', 'list'],
			['audit', 'verify'],
		]) {
			const result = runCli(missing, command);
			expect(result.status).toBe(3);
			expect(result.stderr).toMatch(/^error\[NOT_FOUND\]: no AgentSpace database at /);
			expect(result.stderr).toMatch(/hint: .*agentspace doctor/);
		}
		expect(existsSync(missing)).toBe(false);
	});

	it('says so when nothing matches', () => {
		expect(runCli(temp.home, ['audit', 'list', '--type', 'nothing']).stdout.trim()).toBe(
			'No audit entries match.',
		);
	});

	it.each([
		[['--since', 'yesterday'], /--since "yesterday" is not a time/],
		[['--limit', '0'], /--limit "0" must be a whole number from 1 to 10000/],
		[['--limit', 'many'], /--limit "many"/],
		[['--subject', ''], /--subject must not be empty/],
		[['--subject', ':x'], /--subject must not be empty/],
		[['--type', ''], /--type must not be empty/],
		[['--since', '99999999999w'], /--since "99999999999w" is not a time/],
	])('rejects %j as a usage error', (args, message) => {
		const result = runCli(temp.home, ['audit', 'list', ...args]);
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).toMatch(/hint: /);
	});
});

describe('agentspace audit verify (end to end)', () => {
	it('passes an untouched log', () => {
		const result = runCli(temp.home, ['audit', 'verify']);
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/audit log intact: 3 entries verified, head [0-9a-f]{64}$/m);
		expect(runCliJson(temp.home, ['audit', 'verify']).json).toMatchObject({ ok: true, count: 3 });
	});

	it.each([
		[
			'an edited row',
			`UPDATE audit_log SET metadata = '{"to":"full-control"}' WHERE id = 2`,
			2,
			/row 2 was modified/,
			'hash_mismatch',
		],
		['a deleted row', 'DELETE FROM audit_log WHERE id = 2', 3, /row 2 is missing/, 'missing_rows'],
		[
			're-ordered rows',
			'UPDATE audit_log SET id = -1 WHERE id = 1; UPDATE audit_log SET id = 1 WHERE id = 2; UPDATE audit_log SET id = 2 WHERE id = -1;',
			1,
			/does not link/,
			'broken_link',
		],
		[
			'a cut-off end',
			'DELETE FROM audit_log WHERE id = 3',
			3,
			/row 3 was deleted from the end/,
			'truncated',
		],
	])('fails with exit 8 on %s, naming the first bad row', (_what, sql, badRow, message, reason) => {
		tamper(sql);
		const result = runCli(temp.home, ['audit', 'verify']);
		expect(result.status).toBe(8);
		expect(result.stderr).toMatch(
			new RegExp(`^error\\[AUDIT_CHAIN_BROKEN\\]: audit log verification failed at row ${badRow}`),
		);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).toMatch(/hint: the log was changed outside AgentSpace/);
		const json = runCliJson(temp.home, ['audit', 'verify']);
		expect(json.status).toBe(8);
		expect(json.json).toMatchObject({ ok: false, firstBadId: badRow, reason });
	});

	it('refuses a database written by a newer AgentSpace (exit 4) and leaves it alone', () => {
		const db = new Database(join(temp.home, 'agentspace.db'));
		db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run(
			'future',
			Date.now() + 10 ** 10,
		);
		db.close();
		const result = runCli(temp.home, ['audit', 'list']);
		expect(result.status).toBe(4);
		expect(result.stderr).toMatch(
			new RegExp(
				`^error\\[DB_SCHEMA_TOO_NEW\\]: this database has schema version ${EMBEDDED_MIGRATIONS.length + 1}`,
			),
		);
		expect(result.stderr).toMatch(/hint: upgrade agentspace/);
	});
});
