import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import { createEvent, EventStore, type FleetEvent } from '@agentspace/events';
import { dumpProjections } from '@agentspace/events/testing';
import { createTempHome, runNode, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runCliJson, spawnCli } from '../../testCli.js';

let temp: TempHome;
beforeEach(async () => {
	temp = createTempHome('events-cli');
	await seed();
});
afterEach(() => temp.cleanup());

const alice = { actor: { type: 'human', id: 'alice' } } as const;

/** Opens the temp home's database in this process, runs `work`, closes it. */
async function withDb<T>(work: (db: AgentSpaceDb) => Promise<T> | T): Promise<T> {
	const db = openDb({ path: join(temp.home, 'agentspace.db') });
	try {
		return await work(db);
	} finally {
		closeDb(db);
	}
}

/** Appends events through the library, as an agent or the daemon would. */
async function append(...events: unknown[]): Promise<FleetEvent[]> {
	return withDb(async (db) => {
		const store = EventStore.fromDb(db);
		const stored: FleetEvent[] = [];
		for (const event of events) stored.push(await store.append(event));
		return stored;
	});
}

// Sequences 1-5: four at fixed times, the last one now.
async function seed(): Promise<void> {
	await append(
		createEvent('mission_created', {
			project_key: '/p/app',
			mission_id: 'm1',
			title: 'Ship the CLI',
			timestamp: '2026-01-01T10:00:00.000Z',
			metadata: alice,
		}),
		createEvent('sortie_created', {
			project_key: '/p/app',
			sortie_id: 's1',
			title: 'Write events list',
			mission_id: 'm1',
			timestamp: '2026-01-01T11:00:00.000Z',
			metadata: alice,
		}),
		createEvent('sortie_assigned', {
			project_key: '/p/app',
			sortie_id: 's1',
			assignee: 'viper-1',
			timestamp: '2026-01-01T12:00:00.000Z',
		}),
		createEvent('pilot_registered', {
			project_key: '/p/other',
			callsign: 'viper-1',
			// Agent-supplied text with a newline and a terminal escape.
			task_description: 'line1\nline2 \u001b[2J',
			timestamp: '2026-01-02T09:00:00.000Z',
		}),
		createEvent('sortie_completed', {
			project_key: '/p/app',
			sortie_id: 's1',
			outcome: 'succeeded',
			summary: 'done',
		}),
	);
}

const sequences = (args: string[]) =>
	runCliJson<FleetEvent[]>(temp.home, ['events', 'list', ...args]).json.map((e) => e.sequence);
const count = (args: string[]) =>
	runCliJson<{ count: number }>(temp.home, ['events', 'count', ...args]).json.count;

describe('agentspace events list (end to end)', () => {
	it('shows events in log order as a table', () => {
		const result = runCli(temp.home, ['events', 'list'], { NO_COLOR: '1' });
		expect(result.status).toBe(0);
		const lines = result.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^SEQ\s+TIME\s+TYPE\s+PROJECT\s+STREAM\s+ACTOR\s+SUMMARY$/);
		expect(lines).toHaveLength(6);
		expect(lines[1]).toMatch(
			/^1\s+2026-01-01 10:00:00Z\s+mission_created\s+\/p\/app\s+mission:m1@1\s+human:alice\s+mission_id=m1 title=Ship the CLI priority=normal$/,
		);
		expect(lines[3]).toMatch(/sortie_assigned\s+\/p\/app\s+sortie:s1@2\s+system:agentspace/);
		expect(result.stderr).toBe('');
	});

	it('shows control characters in payloads as escapes, not raw', () => {
		const table = runCli(temp.home, ['events', 'list', '--type', 'pilot_registered']).stdout;
		expect(table).toContain('task_description=line1\\nline2 \\u001b[2J');
		expect(table.trimEnd().split('\n')).toHaveLength(2);
	});

	it('prints full events as a JSON array', () => {
		const { status, json } = runCliJson<FleetEvent[]>(temp.home, ['events', 'list']);
		expect(status).toBe(0);
		expect(json).toHaveLength(5);
		expect(json[1]).toEqual({
			id: expect.stringMatching(/^evt_/),
			type: 'sortie_created',
			project_key: '/p/app',
			stream_id: 'sortie:s1',
			stream_version: 1,
			sequence: 2,
			timestamp: '2026-01-01T11:00:00.000Z',
			schema_version: 1,
			metadata: { actor: { type: 'human', id: 'alice' } },
			sortie_id: 's1',
			title: 'Write events list',
			mission_id: 'm1',
			priority: 'normal',
			files: [],
			depends_on: [],
		});
		expect(json[3]).toMatchObject({ task_description: 'line1\nline2 \u001b[2J' });
	});

	it.each([
		[[], [1, 2, 3, 4, 5]],
		[
			['--project', '/p/app'],
			[1, 2, 3, 5],
		],
		[['--project', '/p/none'], []],
		[['--type', 'sortie_created'], [2]],
		[
			['--type', 'sortie_created', '--type', 'sortie_assigned'],
			[2, 3],
		],
		[
			['--type', 'sortie_created,sortie_completed'],
			[2, 5],
		],
		[
			['--type', 'sortie_completed, sortie_created,sortie_created'],
			[2, 5],
		],
		[
			['--stream', 'sortie:s1'],
			[2, 3, 5],
		],
		[
			['--since', '2026-01-01T11:00:00Z', '--until', '2026-01-01T12:00Z'],
			[2, 3],
		],
		[
			['--since', '2026-01-01T12:00+01:00'],
			[2, 3, 4, 5],
		],
		[['--until', '2026-01-01T10:59:59.999Z'], [1]],
		[['--since', '1h'], [5]],
		[
			['--after', '3'],
			[4, 5],
		],
		[['--after', '5'], []],
		[
			['--after', '0'],
			[1, 2, 3, 4, 5],
		],
		[
			['--limit', '2'],
			[1, 2],
		],
		[
			['--order', 'desc'],
			[5, 4, 3, 2, 1],
		],
		[
			['--order', 'desc', '--limit', '2'],
			[5, 4],
		],
		[['--project', '/p/app', '--type', 'sortie_assigned,sortie_completed', '--after', '3'], [5]],
	])('filters %j → %j, and count agrees', (args, expected) => {
		expect(sequences(args)).toEqual(expected);
		if (!args.includes('--limit') && !args.includes('--order')) {
			expect(count(args)).toBe(expected.length);
		}
	});

	it('tells how to get the next page when more events match', () => {
		const first = runCli(temp.home, ['events', 'list', '--limit', '2']);
		expect(first.stderr.trim()).toBe(
			'2 of 5 matching events shown; for the next page, repeat the command with --after 2',
		);
		const second = runCli(temp.home, ['events', 'list', '--limit', '2', '--after', '2']);
		expect(second.stdout).toMatch(/^3 /m);
		expect(second.stderr).toMatch(/2 of 3 matching events shown; .* --after 4$/m);
		const last = runCli(temp.home, ['events', 'list', '--limit', '2', '--after', '4']);
		expect(last.stdout.trimEnd().split('\n')).toHaveLength(2);
		expect(last.stderr).toBe('');
		const newest = runCli(temp.home, ['events', 'list', '--order', 'desc', '--limit', '2']);
		expect(newest.stderr).toMatch(/2 of 5 matching events shown; .* --before 4$/m);
		const older = runCli(temp.home, [
			'events',
			'list',
			'--order',
			'desc',
			'--limit',
			'2',
			'--before',
			'4',
			'--json',
		]);
		expect((JSON.parse(older.stdout) as { sequence: number }[]).map((e) => e.sequence)).toEqual([
			3, 2,
		]);
		// A page that happens to be exactly full is not followed by a hint.
		expect(runCli(temp.home, ['events', 'list', '--limit', '5']).stderr).toBe('');
	});

	it('says so when nothing matches', () => {
		const result = runCli(temp.home, ['events', 'list', '--project', '/p/none']);
		expect(result.stdout.trim()).toBe('No events match.');
		expect(runCli(temp.home, ['events', 'count', '--project', '/p/none']).stdout.trim()).toBe('0');
	});
});

describe('agentspace events count (end to end)', () => {
	it('prints a number, or {"count": n} with --json', () => {
		expect(runCli(temp.home, ['events', 'count']).stdout).toBe('5\n');
		const { status, json } = runCliJson(temp.home, ['events', 'count', '--stream', 'sortie:s1']);
		expect(status).toBe(0);
		expect(json).toEqual({ count: 3 });
	});
});

describe('bad filters (end to end)', () => {
	it.each([
		[
			['--type', 'sortie_creatd'],
			/--type "sortie_creatd" is not an event type; did you mean sortie_created\?/,
			/hint: the event types are: agent_discovered, .*sortie_created, /,
		],
		[
			['--type', 'nothing'],
			/--type "nothing" is not an event type\n/,
			/hint: the event types are: /,
		],
		[['--type', ''], /--type must not be empty/, /hint: for example --type sortie_created/],
		[['--type', 'sortie_created,'], /--type must not be empty/, /hint: /],
		[['--since', 'yesterday'], /--since "yesterday" is not a time/, /hint: use a span before now/],
		[['--until', '2026-02-31'], /--until "2026-02-31" is not a time/, /hint: /],
		[
			['--since', '2026-01-02', '--until', '2026-01-01T00:00Z'],
			/--until "2026-01-01T00:00Z" is before --since "2026-01-02"/,
			/hint: give --since the earlier time/,
		],
		[['--after', '-1'], /--after "-1" must be a whole number from 0 to/, /hint: /],
		[['--after', 'x'], /--after "x"/, /hint: /],
		[['--project', ''], /--project must not be empty/, /hint: for example --project /],
		[['--stream', ' '], /--stream must not be empty/, /hint: /],
		[
			['--project', 'p'.repeat(1025)],
			/--project must be a non-empty string of at most 1024 characters/,
			/hint: run `agentspace events (list|count) --help` for examples/,
		],
	])('rejects %j with exit 2 naming the option', (args, message, hint) => {
		for (const command of ['list', 'count']) {
			const result = runCli(temp.home, ['events', command, ...args]);
			expect(result.status).toBe(2);
			expect(result.stderr).toMatch(/^error\[USAGE\]: /);
			expect(result.stderr).toMatch(message);
			expect(result.stderr).toMatch(hint);
			expect(result.stdout).toBe('');
		}
	});

	it.each([
		[['--limit', '0'], /--limit "0" must be a whole number from 1 to 10000/],
		[['--limit', '10001'], /--limit "10001" must be a whole number from 1 to 10000/],
		[['--order', 'up'], /argument 'up' is invalid. Allowed choices are asc, desc/],
	])('rejects list %j with exit 2', (args, message) => {
		const result = runCli(temp.home, ['events', 'list', ...args]);
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(message);
	});

	it('reports every bad option at once, also as JSON', () => {
		const args = [
			'events',
			'list',
			'--type',
			'sortie_creatd',
			'--since',
			'yesterday',
			'--limit',
			'0',
		];
		const result = runCli(temp.home, args);
		expect(result.status).toBe(2);
		expect(result.stderr).toBe(
			[
				'error[USAGE]: 3 problems with the options:',
				'  - --type "sortie_creatd" is not an event type; did you mean sortie_created?',
				'  - --since "yesterday" is not a time',
				'  - --limit "0" must be a whole number from 1 to 10000',
				'hint: fix the listed options; run `agentspace events list --help` for examples',
				'',
			].join('\n'),
		);
		const json = runCliJson<{ error: { code: string; issues: unknown[] } }>(
			temp.home,
			args.slice(0),
		);
		expect(json.status).toBe(2);
		expect(json.json.error.code).toBe('USAGE');
		expect(json.json.error.issues).toEqual([
			{
				path: '--type',
				message: '--type "sortie_creatd" is not an event type; did you mean sortie_created?',
			},
			{ path: '--since', message: '--since "yesterday" is not a time' },
			{ path: '--limit', message: '--limit "0" must be a whole number from 1 to 10000' },
		]);
	});

	it('checks the options before touching the home: a bad filter on a missing home is still exit 2', () => {
		const missing = join(temp.home, 'typo');
		for (const command of ['list', 'count', 'tail']) {
			const result = runCli(missing, ['events', command, '--type', 'nope']);
			expect(result.status).toBe(2);
		}
		expect(existsSync(missing)).toBe(false);
	});
});

describe('agentspace events tail (end to end)', () => {
	it('--no-follow prints the newest events, oldest of them first, and exits', () => {
		const result = runCli(temp.home, ['events', 'tail', '--no-follow', '-n', '2'], {
			NO_COLOR: '1',
		});
		expect(result.status).toBe(0);
		const lines = result.stdout.trimEnd().split('\n');
		expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(['4', '5']);
		// No header, but the columns line up.
		expect(lines[0]?.indexOf('/p/other')).toBe(lines[1]?.indexOf('/p/app'));
		const filtered = runCli(temp.home, [
			'events',
			'tail',
			'--no-follow',
			'--type',
			'sortie_created,mission_created',
		]);
		expect(
			filtered.stdout
				.trimEnd()
				.split('\n')
				.map((line) => line.split(/\s+/)[0]),
		).toEqual(['1', '2']);
		expect(
			runCli(temp.home, ['events', 'tail', '--no-follow', '--project', '/p/none']).stdout,
		).toBe('No events match.\n');
	});

	it('--no-follow --json prints one event per line (NDJSON)', () => {
		const result = runCli(temp.home, ['events', 'tail', '--no-follow', '--lines', '3', '--json']);
		expect(result.status).toBe(0);
		const lines = result.stdout.trimEnd().split('\n');
		expect(lines).toHaveLength(3);
		const events = lines.map((line) => JSON.parse(line) as FleetEvent);
		expect(events.map((e) => e.sequence)).toEqual([3, 4, 5]);
		expect(events[2]).toMatchObject({ type: 'sortie_completed', outcome: 'succeeded' });
		expect(runCli(temp.home, ['events', 'tail', '--no-follow', '-n', '0', '--json']).stdout).toBe(
			'',
		);
	});

	// Multi-process: the CLI follows while this process appends.
	it('follows new matching events until SIGINT, then exits 0', { timeout: 30_000 }, async () => {
		const tail = spawnCli(temp.home, [
			'events',
			'tail',
			'-n',
			'1',
			'--interval',
			'50',
			'--type',
			'sortie_progress,sortie_completed',
		]);
		try {
			await tail.waitForStdout(/^5 .*sortie_completed/m);
			await append(
				createEvent('pilot_active', { project_key: '/p/app', callsign: 'viper-1' }),
				createEvent('sortie_progress', { project_key: '/p/app', sortie_id: 's1', percent: 40 }),
			);
			await tail.waitForStdout(/^7 .*sortie_progress .*percent=40$/m);
			await append(
				createEvent('sortie_progress', { project_key: '/p/app', sortie_id: 's1', percent: 80 }),
			);
			await tail.waitForStdout(/percent=80/);
		} finally {
			tail.child.kill('SIGINT');
		}
		expect(await tail.exited).toEqual({ code: 0, signal: null });
		const lines = tail.stdout().trimEnd().split('\n');
		expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(['5', '7', '8']);
		expect(tail.stderr()).toBe('');
	});

	it('follows as NDJSON from an empty start, and exits 0 on SIGTERM', {
		timeout: 30_000,
	}, async () => {
		const tail = spawnCli(temp.home, ['events', 'tail', '-n', '0', '--interval', '50', '--json']);
		try {
			// Nothing to print yet: wait until it is surely polling, then append.
			await new Promise((resolve) => setTimeout(resolve, 400));
			expect(tail.stdout()).toBe('');
			const [stored] = await append(
				createEvent('mission_started', { project_key: '/p/app', mission_id: 'm1' }),
			);
			await tail.waitForStdout(/\n$/);
			expect(JSON.parse(tail.stdout())).toEqual(stored);
		} finally {
			tail.child.kill('SIGTERM');
		}
		expect(await tail.exited).toEqual({ code: 0, signal: null });
	});

	it.each([
		[['-n', '-1'], /--lines "-1" must be a whole number from 0 to 10000/],
		[['--interval', '10'], /--interval "10" must be a whole number from 50 to 60000/],
		[['--until', '1h'], /unknown option '--until'/],
	])('rejects %j with exit 2', (args, message) => {
		const result = runCli(temp.home, ['events', 'tail', '--no-follow', ...args]);
		expect(result.status).toBe(2);
		expect(result.stderr).toMatch(message);
	});
});

describe('agentspace events replay (end to end)', () => {
	interface ReplayResult {
		events: number;
		lastSequence: number;
		durationMs: number;
		identical: boolean;
		changedTables: string[];
		tables: Array<{ table: string; rowsBefore: number; rowsAfter: number; identical: boolean }>;
		auditId: number;
	}
	interface AuditEntries {
		entries: Array<{
			id: number;
			eventType: string;
			severity: string;
			actor: { type: string };
			subject: { type: string };
			metadata: Record<string, unknown>;
		}>;
	}

	it('rebuilds byte-identical projections and audits the replay', async () => {
		const before = await withDb((db) => dumpProjections(db));
		expect(before.sorties).toHaveLength(1);

		const table = runCli(temp.home, ['events', 'replay'], { NO_COLOR: '1' });
		expect(table.status).toBe(0);
		expect(table.stdout).toMatch(
			/^Replayed 5 events \(up to sequence 5\) into 22 projection tables in \d+ ms\.\n✓ every table is byte-identical to before\nAudited as events\.replayed \(entry \d+\)\.\n$/,
		);

		const { status, json } = runCliJson<ReplayResult>(temp.home, ['events', 'replay']);
		expect(status).toBe(0);
		expect(json).toMatchObject({ events: 5, lastSequence: 5, identical: true, changedTables: [] });
		expect(json.tables).toHaveLength(22);
		expect(json.tables.find((t) => t.table === 'sorties')).toMatchObject({
			rowsBefore: 1,
			rowsAfter: 1,
			identical: true,
		});
		expect(await withDb((db) => dumpProjections(db))).toEqual(before);

		const audit = runCliJson<AuditEntries>(temp.home, [
			'audit',
			'list',
			'--type',
			'events.replayed',
		]);
		expect(audit.json.entries).toHaveLength(2);
		expect(audit.json.entries[0]).toMatchObject({
			id: json.auditId,
			eventType: 'events.replayed',
			severity: 'info',
			actor: { type: 'human' },
			subject: { type: 'projections' },
			metadata: { events: 5, lastSequence: 5, tables: 22, changedTables: [] },
		});
		expect(runCli(temp.home, ['audit', 'verify']).status).toBe(0);
	});

	it('names the tables that had drifted from the log, and restores them', async () => {
		const before = await withDb((db) => dumpProjections(db));
		await withDb((db) =>
			db.$client.exec("UPDATE sorties SET title = 'edited by hand'; DELETE FROM pilots;"),
		);
		const result = runCli(temp.home, ['events', 'replay'], { NO_COLOR: '1' });
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(
			/! 2 of 22 tables changed; they had drifted from the event log and now match it:/,
		);
		expect(result.stdout).toMatch(
			/^TABLE\s+ROWS BEFORE\s+ROWS AFTER\npilots\s+0\s+1\nsorties\s+1\s+1$/m,
		);
		expect(await withDb((db) => dumpProjections(db))).toEqual(before);
		const audit = runCliJson<AuditEntries>(temp.home, [
			'audit',
			'list',
			'--type',
			'events.replayed',
		]);
		expect(audit.json.entries[0]).toMatchObject({
			severity: 'warning',
			metadata: { changedTables: ['pilots', 'sorties'] },
		});
	});

	it('commits the rebuild with its audit entry or not at all', async () => {
		await withDb((db) =>
			db.$client.exec(`
				UPDATE sorties SET title = 'edited by hand';
				CREATE TRIGGER audit_log_refuse BEFORE INSERT ON audit_log
				BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END;`),
		);
		const result = runCli(temp.home, ['events', 'replay']);
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/audit log unavailable/);
		expect(result.stdout).toBe('');
		// The failed audit append rolled the rebuild back: the edit is still there.
		const title = await withDb(
			(db) => (db.$client.prepare('SELECT title FROM sorties').get() as { title: string }).title,
		);
		expect(title).toBe('edited by hand');
	});

	it('replays an empty log', () => {
		const empty = createTempHome('events-empty');
		try {
			expect(runCli(empty.home, ['config', 'set', 'securityMode', 'full-control']).status).toBe(0);
			const result = runCli(empty.home, ['events', 'replay'], { NO_COLOR: '1' });
			expect(result.status).toBe(0);
			expect(result.stdout).toMatch(/^Replayed 0 events into 22 projection tables in \d+ ms\./);
		} finally {
			empty.cleanup();
		}
	});
});

describe('agentspace events: home and packaging', () => {
	it('refuses a home without a database (exit 3) and creates nothing', () => {
		const missing = join(temp.home, 'typo');
		for (const command of [
			['events', 'list'],
			['events', 'count'],
			['events', 'tail'],
			['events', 'tail', '--no-follow'],
			['events', 'replay'],
		]) {
			const result = runCli(missing, command);
			expect(result.status).toBe(3);
			expect(result.stderr).toMatch(/^error\[NOT_FOUND\]: no AgentSpace database at /);
			expect(result.stderr).toMatch(/hint: .*agentspace doctor/);
		}
		expect(existsSync(missing)).toBe(false);
	});

	it('has help with examples for each command', () => {
		for (const command of ['list', 'count', 'tail', 'replay']) {
			const result = runCli(temp.home, ['events', command, '--help']);
			expect(result.status).toBe(0);
			expect(result.stdout).toMatch(new RegExp(`Usage: agentspace events ${command}`));
			expect(result.stdout).toMatch(new RegExp(`Examples:\\n  \\$ agentspace events ${command}`));
		}
	});

	it('keeps Zod out of the entry bundle and of the read commands', () => {
		const dist = fileURLToPath(new URL('../../../dist/', import.meta.url));
		expect(readFileSync(join(dist, 'bin.js'), 'utf8')).not.toMatch(/ZodError/);
		for (const command of ['eventsList', 'eventsCount', 'eventsTail']) {
			expect(
				readFileSync(join(dist, `commands/events/${command}.js`), 'utf8'),
				command,
			).not.toMatch(/ZodError/);
		}
		// The check can fail: the replay bundle (audit validation) does carry it.
		expect(readFileSync(join(dist, 'commands/events/eventsReplay.js'), 'utf8')).toMatch(/ZodError/);
	});

	it('runs from a copy of the package that has only its runtime dependencies', () => {
		const app = fileURLToPath(new URL('../../../', import.meta.url));
		const copy = join(temp.home, 'installed', 'agentspace');
		for (const part of ['bin', 'dist', 'package.json']) {
			cpSync(join(app, part), join(copy, part), {
				recursive: true,
				filter: (source) => !source.endsWith('.map'),
			});
		}
		const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
			dependencies: Record<string, string>;
		};
		for (const name of Object.keys(manifest.dependencies)) {
			mkdirSync(dirname(join(copy, 'node_modules', name)), { recursive: true });
			symlinkSync(join(app, 'node_modules', name), join(copy, 'node_modules', name));
		}
		const result = runNode(join(copy, 'bin', 'agentspace.js'), [
			'--home',
			temp.home,
			'events',
			'count',
			'--type',
			'sortie_created',
		]);
		expect(result.stderr).toBe('');
		expect(result.stdout).toBe('1\n');
	});
});
