import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { computeAuditHash, EMBEDDED_MIGRATIONS } from '@agentspace/db/testing';
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
		expect(result.stdout).toMatch(/audit log intact: 3 entries verified, head 3:[0-9a-f]{64}$/m);
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

/**
 * Rewrites history from row `from` onwards as an attacker with raw SQL access
 * and our hash formula would: edits that row, recomputes every hash after it.
 * The chain alone still checks out.
 */
function rewriteFrom(from: number): void {
	const db = new Database(join(temp.home, 'agentspace.db'));
	db.exec('DROP TRIGGER audit_log_no_update;');
	const rows = db.prepare('SELECT * FROM audit_log WHERE id >= ? ORDER BY id').all(from) as Record<
		string,
		string | number | null
	>[];
	let prevHash = (
		db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(from - 1) as { hash: string }
	).hash;
	for (const raw of rows) {
		const row = {
			id: raw.id as number,
			ts: raw.ts as string,
			eventType: raw.event_type as string,
			actorType: raw.actor_type as string,
			actorId: raw.actor_id as string | null,
			subjectType: raw.subject_type as string | null,
			subjectId: raw.subject_id as string | null,
			correlationId: raw.correlation_id as string | null,
			causationId: raw.causation_id as string | null,
			severity: raw.severity as string,
			sourceApp: raw.source_app as string | null,
			sourceIp: raw.source_ip as string | null,
			metadata: raw.id === from ? '{"forged":true}' : (raw.metadata as string),
			prevHash,
		};
		const hash = computeAuditHash(row);
		db.prepare('UPDATE audit_log SET metadata = ?, prev_hash = ?, hash = ? WHERE id = ?').run(
			row.metadata,
			prevHash,
			hash,
			row.id,
		);
		prevHash = hash;
	}
	db.close();
}

describe('agentspace audit head and verify --expect (end to end)', () => {
	it('prints the head as <position>:<hash>, and --json', () => {
		const result = runCli(temp.home, ['audit', 'head']);
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/^3:[0-9a-f]{64}\n$/);
		const { json } = runCliJson<{ head: string; count: number; hash: string }>(temp.home, [
			'audit',
			'head',
		]);
		expect(json).toEqual({
			head: result.stdout.trim(),
			count: 3,
			hash: result.stdout.trim().slice(2),
		});
	});

	it('passes while the log holds the kept head, new entries after it or not', () => {
		const head = runCli(temp.home, ['audit', 'head']).stdout.trim();
		runCli(temp.home, ['config', 'set', 'apiEndpoint.port', '4001']);
		for (const expectArg of [head, head.slice(2), head.toUpperCase()]) {
			const result = runCli(temp.home, ['audit', 'verify', '--expect', expectArg]);
			expect(result.status, result.stderr).toBe(0);
			expect(result.stdout).toMatch(
				/4 entries verified, still holding the kept head at row 3, head 4:/,
			);
		}
	});

	it('fails with exit 8 when history was rewritten from an earlier row (which the chain alone passes)', () => {
		const head = runCli(temp.home, ['audit', 'head']).stdout.trim();
		rewriteFrom(2);
		expect(runCli(temp.home, ['audit', 'verify']).status).toBe(0);
		const result = runCli(temp.home, ['audit', 'verify', '--expect', head]);
		expect(result.status).toBe(8);
		expect(result.stderr).toMatch(
			new RegExp(
				`^error\\[AUDIT_HEAD_MISMATCH\\]: audit log verification failed: the kept head ${head} is not in the log: row 3 is not the head that was kept`,
			),
		);
		expect(result.stderr).toMatch(
			/hint: history was rewritten \(or cut\) outside AgentSpace at or before row 3; keep a copy of /,
		);
		const json = runCliJson(temp.home, ['audit', 'verify', '--expect', head]);
		expect(json.status).toBe(8);
		expect(json.json).toMatchObject({
			ok: false,
			firstBadId: 3,
			reason: 'head_mismatch',
			expected: head,
		});
		const bare = runCli(temp.home, ['audit', 'verify', '--expect', head.slice(2)]);
		expect(bare.status).toBe(8);
		expect(bare.stderr).toMatch(
			/^error\[AUDIT_HEAD_MISMATCH\]: audit log verification failed: no row has the kept head hash/,
		);
		// The hash alone gets the same kind of object for scripts as <position>:<hash>.
		const bareJson = runCliJson(temp.home, ['audit', 'verify', '--expect', head.slice(2)]);
		expect(bareJson.status).toBe(8);
		expect(bareJson.json).toEqual({
			ok: false,
			reason: 'head_mismatch',
			message: `no row has the kept head hash ${head.slice(2)}`,
			expected: head.slice(2),
		});
		expect(bareJson.stderr).toMatch(/^error\[AUDIT_HEAD_MISMATCH\]/);
	});

	it('refuses a malformed head as a usage error (exit 2), before opening anything', () => {
		for (const bad of ['3', '3:xyz', 'head']) {
			const result = runCli(join(temp.home, 'typo'), ['audit', 'verify', '--expect', bad]);
			expect(result.status).toBe(2);
			expect(result.stderr).toMatch(
				/^error\[USAGE\]: .* is not an audit head \(<position>:<64 hex digits>\)/,
			);
			expect(result.stderr).toMatch(
				/hint: pass the head exactly as `agentspace audit head` printed it/,
			);
		}
	});
});

describe('a damaged database (tables dropped with raw SQL)', () => {
	function drop(...tables: string[]): void {
		const db = new Database(join(temp.home, 'agentspace.db'));
		for (const table of tables) db.exec(`DROP TABLE ${table}`);
		db.close();
	}

	it('audit verify reports it as tampering: exit 8, DB_DAMAGED naming the table, with a hint', () => {
		drop('audit_log');
		const result = runCli(temp.home, ['audit', 'verify']);
		expect(result.status).toBe(8);
		expect(result.stderr).toMatch(
			/^error\[DB_DAMAGED\]: the database .*agentspace\.db is damaged: table audit_log is missing$/m,
		);
		expect(result.stderr).toMatch(
			/hint: AgentSpace never drops tables: the file was changed outside it\. Keep a copy of /,
		);
		const json = runCliJson(temp.home, ['audit', 'verify']);
		expect(json.status).toBe(8);
		expect(json.json).toMatchObject({ ok: false, reason: 'db_damaged' });
	});

	it.each([
		[['audit_log'], ['audit', 'list'], /table audit_log is missing/],
		[
			['audit_log'],
			['config', 'set', 'securityMode', 'full-control'],
			/table audit_log is missing/,
		],
		[['events', 'agents'], ['audit', 'list'], /tables agents, events are missing/],
		[['events'], ['config', 'set', 'apiEndpoint.port', '4100'], /table events is missing/],
	])(
		'with %j dropped, %j exits 8 with DB_DAMAGED (not INTERNAL) and changes nothing',
		(tables, command, missing) => {
			drop(...tables);
			const before = runCli(temp.home, ['config', 'get', 'apiEndpoint.port']).stdout;
			const result = runCli(temp.home, command);
			expect(result.status).toBe(8);
			expect(result.stderr).toMatch(/^error\[DB_DAMAGED\]: /);
			expect(result.stderr).toMatch(missing);
			expect(result.stderr).not.toMatch(/INTERNAL|no such table/);
			expect(runCli(temp.home, ['config', 'get', 'apiEndpoint.port']).stdout).toBe(before);
		},
	);
});
