import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrorCode } from '@agentspace/core';
import { createTempHome, runNodeAsync, type TempHome } from '@agentspace/testing';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../connection/openDb.js';
import { applyMigrations, readSchemaStatus } from './applyMigrations.js';
import { EMBEDDED_MIGRATIONS } from './embeddedMigrations.generated.js';

let temp: TempHome;
let path: string;
beforeEach(() => {
	temp = createTempHome('migrate');
	path = join(temp.home, 'agentspace.db');
});
afterEach(() => temp.cleanup());

const objects = (client: Database.Database) =>
	client
		.prepare(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`)
		.all();

describe('migrations', () => {
	it('embeds exactly the committed drizzle-kit migrations', () => {
		const journal = JSON.parse(
			readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
		);
		expect(EMBEDDED_MIGRATIONS.map((m) => m.tag)).toEqual(
			journal.entries.map((e: { tag: string }) => e.tag),
		);
	});

	it('brings a fresh database to the latest schema, with the append-only triggers', () => {
		const db = openDb({ path });
		const status = readSchemaStatus(db.$client);
		expect(status).toEqual({
			version: EMBEDDED_MIGRATIONS.length,
			latest: EMBEDDED_MIGRATIONS.length,
		});
		expect(db.$client.pragma('user_version', { simple: true })).toBe(EMBEDDED_MIGRATIONS.length);
		const names = objects(db.$client).map((o) => (o as { name: string }).name);
		expect(names).toEqual(
			expect.arrayContaining([
				'audit_log',
				'audit_log_no_update',
				'audit_log_no_delete',
				'events',
				'events_no_update',
				'events_no_delete',
				'__drizzle_migrations',
			]),
		);
		closeDb(db);
	});

	it('upgrades a database written by an older schema, keeping its rows', () => {
		const old = new Database(path);
		applyMigrations(old, EMBEDDED_MIGRATIONS.slice(0, 1));
		expect(readSchemaStatus(old).version).toBe(1);
		old
			.prepare(
				`INSERT INTO audit_log (ts, event_type, actor_type, severity, metadata, prev_hash, hash) VALUES ('2026-01-01T00:00:00.000Z', 'legacy', 'system', 'info', '{}', ?, 'h1')`,
			)
			.run('0'.repeat(64));
		// The old schema had no triggers, so this UPDATE still works.
		old.prepare(`UPDATE audit_log SET severity = 'info'`).run();
		old.close();

		const db = openDb({ path });
		expect(readSchemaStatus(db.$client).version).toBe(EMBEDDED_MIGRATIONS.length);
		expect(db.$client.prepare('SELECT event_type FROM audit_log').pluck().all()).toEqual([
			'legacy',
		]);
		expect(() => db.$client.prepare(`UPDATE audit_log SET severity = 'x'`).run()).toThrow(
			/append-only/,
		);
		closeDb(db);
	});

	it('adds supervisor_pid and restart_policy to agent_runs, filling restart_policy from the log', () => {
		const upTo = EMBEDDED_MIGRATIONS.findIndex((m) => m.tag.startsWith('0004_'));
		expect(upTo).toBeGreaterThan(0);
		const old = new Database(path);
		applyMigrations(old, EMBEDDED_MIGRATIONS.slice(0, upTo));
		const event = old.prepare(
			`INSERT INTO events (id, type, project_key, stream_id, stream_version, timestamp,
				schema_version, actor_type, actor_id, data)
			VALUES (?, 'agent_run_started', '/p', 'agent:echo', ?, '2026-05-01T00:00:00.000Z', 1,
				'system', 'agentspace', ?)`,
		);
		const started = (runId: string, policy: string) =>
			JSON.stringify({
				agent_id: 'echo',
				run_id: runId,
				pid: 9,
				sandboxed: false,
				restart_policy: policy,
				attempt: 0,
			});
		event.run('evt_aaaaaaaaaaaaaaaaaaaaa', 1, started('run1', 'always'));
		// A repeated run id: the projection kept the first event, so must the backfill.
		event.run('evt_bbbbbbbbbbbbbbbbbbbbb', 2, started('run1', 'no'));
		event.run('evt_ccccccccccccccccccccc', 3, started('run2', 'on-failure'));
		const run = old.prepare(
			`INSERT INTO agent_runs (run_id, agent_id, status, pid, sandboxed, started_at)
			VALUES (?, 'echo', 'stopped', 9, 0, '2026-05-01T00:00:00.000Z')`,
		);
		for (const id of ['run1', 'run2', 'run-without-event']) run.run(id);
		old.close();

		const db = openDb({ path });
		expect(
			db.$client
				.prepare('SELECT run_id, supervisor_pid, restart_policy FROM agent_runs ORDER BY rowid')
				.all(),
		).toEqual([
			{ run_id: 'run1', supervisor_pid: null, restart_policy: 'always' },
			{ run_id: 'run2', supervisor_pid: null, restart_policy: 'on-failure' },
			{ run_id: 'run-without-event', supervisor_pid: null, restart_policy: null },
		]);
		closeDb(db);
	});

	it('adds mcp_tokens (0007) to a database of issue 13, keeping its tool policies', () => {
		const upTo = EMBEDDED_MIGRATIONS.findIndex((m) => m.tag.startsWith('0007_'));
		expect(upTo).toBeGreaterThan(0);
		const old = new Database(path);
		applyMigrations(old, EMBEDDED_MIGRATIONS.slice(0, upTo));
		old
			.prepare(
				`INSERT INTO tool_policies (agent_id, tool, policy, set_at, set_by) VALUES ('files', '*', 'deny', '2026-12-01T00:00:00.000Z', 'me')`,
			)
			.run();
		expect(objects(old).map((o) => (o as { name: string }).name)).not.toContain('mcp_tokens');
		old.close();

		const db = openDb({ path });
		expect(db.$client.prepare('SELECT agent_id FROM tool_policies').pluck().all()).toEqual([
			'files',
		]);
		const columns = db.$client
			.prepare(
				`SELECT name, "notnull" AS required FROM pragma_table_info('mcp_tokens') ORDER BY cid`,
			)
			.all();
		expect(columns).toEqual([
			{ name: 'token_id', required: 1 },
			{ name: 'name', required: 0 },
			{ name: 'token_hash', required: 1 },
			{ name: 'created_at', required: 1 },
			{ name: 'created_by', required: 1 },
			{ name: 'expires_at', required: 1 },
			{ name: 'revoked_at', required: 0 },
			{ name: 'revoked_by', required: 0 },
		]);
		closeDb(db);
	});

	it('adds the key tables (0008) to a database of issue 14, keeping its MCP tokens', () => {
		const upTo = EMBEDDED_MIGRATIONS.findIndex((m) => m.tag.startsWith('0008_'));
		expect(upTo).toBeGreaterThan(0);
		const old = new Database(path);
		applyMigrations(old, EMBEDDED_MIGRATIONS.slice(0, upTo));
		old
			.prepare(
				`INSERT INTO mcp_tokens (token_id, token_hash, created_at, created_by, expires_at)
				VALUES ('asmcp_aaaaaaaaaaaa', '${'a'.repeat(64)}', '2026-12-01T00:00:00.000Z', 'me', '2027-01-01T00:00:00.000Z')`,
			)
			.run();
		expect(objects(old).map((o) => (o as { name: string }).name)).not.toContain('provider_keys');
		old.close();

		const db = openDb({ path });
		expect(db.$client.prepare('SELECT token_id FROM mcp_tokens').pluck().all()).toEqual([
			'asmcp_aaaaaaaaaaaa',
		]);
		const columnsOf = (table: string) =>
			db.$client
				.prepare(`SELECT name FROM pragma_table_info('${table}') ORDER BY cid`)
				.pluck()
				.all();
		expect(columnsOf('provider_keys')).toEqual([
			'provider',
			'base_url',
			'fingerprint',
			'storage',
			'added_at',
			'updated_at',
			'added_by',
		]);
		expect(columnsOf('secrets')).toEqual(['name', 'fingerprint', 'storage', 'set_at', 'set_by']);
		expect(columnsOf('key_limits')).toEqual([
			'agent_id',
			'provider',
			'rpm',
			'tokens_per_day',
			'set_at',
		]);
		expect(columnsOf('key_tokens')).toEqual(columnsOf('mcp_tokens'));
		closeDb(db);
	});

	it('refuses a database from a newer schema and leaves it untouched', () => {
		const future = new Database(path);
		applyMigrations(future, [
			...EMBEDDED_MIGRATIONS,
			{
				tag: '9999_future',
				sql: ['CREATE TABLE future_table (id INTEGER)'],
				bps: true,
				folderMillis: Date.now() + 10 ** 10,
				hash: 'f',
			},
		]);
		const before = objects(future);
		future.close();

		let caught: unknown;
		try {
			openDb({ path });
		} catch (error) {
			caught = error;
		}
		expect(hasErrorCode(caught, 'DB_SCHEMA_TOO_NEW')).toBe(true);
		const known = EMBEDDED_MIGRATIONS.length;
		expect((caught as Error).message).toContain(
			`schema version ${known + 1}, newer than this build of AgentSpace knows (${known})`,
		);
		expect((caught as { hint: string }).hint).toMatch(/upgrade agentspace/);
		const after = new Database(path, { readonly: true });
		expect(objects(after)).toEqual(before);
		after.close();
	});

	it('lets several processes open a fresh file at once (multi-process)', async () => {
		const script = `
			const { openDb, closeDb, readSchemaStatus } = await import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)});
			const db = openDb({ path: ${JSON.stringify(path)} });
			process.stdout.write(JSON.stringify(readSchemaStatus(db.$client)));
			closeDb(db);
		`;
		const runs = Array.from({ length: 4 }, () =>
			runNodeAsync('--input-type=module', ['-e', script]),
		);
		for (const run of await Promise.all(runs)) {
			expect(run.stderr).toBe('');
			expect(run.status).toBe(0);
			expect(JSON.parse(run.stdout)).toEqual({
				version: EMBEDDED_MIGRATIONS.length,
				latest: EMBEDDED_MIGRATIONS.length,
			});
		}
		const db = new Database(path, { readonly: true });
		expect(db.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(
			EMBEDDED_MIGRATIONS.length,
		);
		db.close();
	});
});
