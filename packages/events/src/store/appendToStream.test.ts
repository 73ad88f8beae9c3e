import { hasErrorCode, isConflictError, isValidationError } from '@agentspace/core';
import {
	type AgentSpaceDb,
	appendAuditRecord,
	createInMemoryDb,
	getAuditEvents,
	withImmediateTransaction,
} from '@agentspace/db';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEvent } from '../createEvent.js';
import { appendToStream } from './appendToStream.js';
import { EventStore } from './EventStore.js';
import { ConcurrencyError, type ExpectedVersion, isConcurrencyError } from './expectedVersion.js';

let db: AgentSpaceDb;
let store: EventStore;
beforeEach(() => {
	db = createInMemoryDb();
	store = EventStore.fromDb(db);
});

const progress = (percent: number, extra: object = {}) =>
	createEvent('sortie_progress', { project_key: '/p', sortie_id: 's1', percent, ...extra });
const eventCount = () =>
	(db.$client.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

describe('EventStore.append', () => {
	it('stores an event and returns it with its global and stream positions', async () => {
		const first = await store.append(progress(1));
		const second = await store.append(
			createEvent('pilot_registered', { project_key: '/p', callsign: 'v' }),
		);
		const third = await store.append(progress(2));
		expect([first.sequence, second.sequence, third.sequence]).toEqual([1, 2, 3]);
		expect([first.stream_version, second.stream_version, third.stream_version]).toEqual([1, 1, 2]);
		expect(await store.readStream('sortie:s1')).toEqual([first, third]);
	});

	it('appends a batch to one stream atomically, versions in order', async () => {
		const stored = await store.append([progress(1), progress(2), progress(3)], {
			expectedVersion: 'no_stream',
		});
		expect(stored.map((e) => [e.sequence, e.stream_version])).toEqual([
			[1, 1],
			[2, 2],
			[3, 3],
		]);
	});

	it('writes nothing when one event of a batch is invalid, and names it', async () => {
		await expect(store.append([progress(1), { ...progress(2), percent: 500 }])).rejects.toSatisfy(
			(error: unknown) =>
				isValidationError(error) && error.issues.some((i) => i.path === '[1].percent'),
		);
		expect(eventCount()).toBe(0);
	});

	it('refuses a batch that spans two streams', async () => {
		const other = createEvent('sortie_progress', {
			project_key: '/p',
			sortie_id: 's2',
			percent: 1,
		});
		await expect(store.append([progress(1), other])).rejects.toThrow(
			/one append writes one stream/,
		);
		expect(eventCount()).toBe(0);
	});

	it('refuses an empty batch and a bad expectedVersion', async () => {
		await expect(store.append([])).rejects.toThrow(/nothing to append/);
		await expect(store.append(progress(1), { expectedVersion: -1 as never })).rejects.toThrow(
			/expectedVersion/,
		);
		await expect(store.append(progress(1), { expectedVersion: 'latest' as never })).rejects.toThrow(
			/expectedVersion/,
		);
		expect(eventCount()).toBe(0);
	});

	const cases: [string, number, ExpectedVersion, boolean][] = [
		['any on a new stream', 0, 'any', true],
		['any on an existing stream', 2, 'any', true],
		['no_stream on a new stream', 0, 'no_stream', true],
		['no_stream on an existing stream', 1, 'no_stream', false],
		['stream_exists on a new stream', 0, 'stream_exists', false],
		['stream_exists on an existing stream', 1, 'stream_exists', true],
		['exact 0 on a new stream', 0, 0, true],
		['exact 2 at version 2', 2, 2, true],
		['exact 1 at version 2', 2, 1, false],
		['exact 3 at version 2', 2, 3, false],
	];
	it.each(cases)('expectedVersion: %s', async (_name, existing, expected, accepted) => {
		for (let i = 0; i < existing; i += 1) await store.append(progress(i));
		const attempt = store.append(progress(99), { expectedVersion: expected });
		if (accepted) {
			expect((await attempt).stream_version).toBe(existing + 1);
		} else {
			const error = await attempt.catch((e: unknown) => e);
			expect(isConcurrencyError(error)).toBe(true);
			expect(error).toBeInstanceOf(ConcurrencyError);
			expect(error).toMatchObject({
				expected,
				actual: existing,
				streamId: 'sortie:s1',
				code: 'CONCURRENCY_CONFLICT',
			});
			expect((error as Error).message).toContain(`is at version ${existing}`);
			expect(eventCount()).toBe(existing);
		}
	});

	it('is idempotent on the event id: a retry returns the stored event and writes nothing', async () => {
		const event = progress(10);
		const first = await store.append(event, { expectedVersion: 'no_stream' });
		// The retry of a committed append sees the stream moved on: still success.
		const retry = await store.append(event, { expectedVersion: 'no_stream' });
		expect(retry).toEqual(first);
		const again = await store.append(event);
		expect(again).toEqual(first);
		expect(eventCount()).toBe(1);
		// A batch mixing a stored event and a new one stores only the new one.
		const next = progress(11);
		const mixed = await store.append([event, next]);
		expect(mixed[0]).toEqual(first);
		expect(mixed[1]).toMatchObject({ stream_version: 2, sequence: 2 });
		expect(eventCount()).toBe(2);
	});

	it('refuses an id reused for a different event, writing nothing', async () => {
		const pilot = createEvent('pilot_registered', { project_key: '/p', callsign: 'viper-1' });
		const stored = await store.append(pilot, { expectedVersion: 'no_stream' });
		const other = createEvent('sortie_created', {
			project_key: '/p',
			sortie_id: 's1',
			title: 'x',
			id: pilot.id,
		});
		for (const expectedVersion of ['any', 'no_stream'] as const) {
			const error = await store.append(other, { expectedVersion }).catch((e: unknown) => e);
			expect(isConflictError(error)).toBe(true);
			expect((error as Error).message).toContain(
				`already stored for a different event (pilot_registered in stream ${stored.stream_id}`,
			);
		}
		// Same type and stream, different payload: also not a retry.
		const changed = { ...pilot, program: 'other' };
		await expect(store.append(changed)).rejects.toThrow(/already stored for a different event/);
		expect(eventCount()).toBe(1);
		expect(db.$client.prepare('SELECT COUNT(*) AS n FROM sorties').get()).toEqual({ n: 0 });
		// The same event again, even re-created with a new time, is a retry.
		const again = createEvent('pilot_registered', {
			project_key: '/p',
			callsign: 'viper-1',
			id: pilot.id,
		});
		expect(await store.append(again)).toEqual(stored);
	});

	it('normalises timestamps to UTC with milliseconds', async () => {
		const stored = await store.append(progress(1, { timestamp: '2026-03-01T10:00:00+02:00' }));
		expect(stored.timestamp).toBe('2026-03-01T08:00:00.000Z');
		expect((await store.readStream('sortie:s1'))[0]?.timestamp).toBe('2026-03-01T08:00:00.000Z');
	});

	it('keeps the metadata: actor, correlation and causation', async () => {
		const metadata = {
			actor: { type: 'human' as const, id: 'alice' },
			correlation_id: 'req-1',
			causation_id: 'evt_previous01',
		};
		const stored = await store.append(progress(1, { metadata }));
		expect(stored.metadata).toEqual(metadata);
		expect((await store.query())[0]?.metadata).toEqual(metadata);
	});

	it('keeps an MCP client as the actor (a program acting through agentspace mcp)', async () => {
		const metadata = { actor: { type: 'mcp-client' as const, id: 'claude-code' } };
		const stored = await store.append(progress(1, { metadata }));
		expect((await store.query())[0]?.metadata).toEqual(metadata);
		expect(stored.metadata.actor.type).toBe('mcp-client');
	});

	it('rolls back the events when a projection refuses one (a held lock)', async () => {
		const lock = (holder: string, lock_id: string) =>
			createEvent('lock_acquired', {
				project_key: '/p',
				lock_id,
				resource: 'deploy',
				holder,
				ttl_seconds: 60,
				expires_at: new Date(Date.now() + 60_000).toISOString(),
			});
		await store.append(lock('a', 'l1'));
		const error = await store.append(lock('b', 'l2')).catch((e: unknown) => e);
		expect(isConflictError(error)).toBe(true);
		expect(eventCount()).toBe(1);
	});
});

describe('appendToStream (unit of work)', () => {
	it('refuses to run outside a transaction', () => {
		expect(() => appendToStream(db, [progress(1)])).toThrow(/inside a write transaction/);
	});

	it('commits events, projections and the audit record together, or none of them', async () => {
		const created = createEvent('sortie_created', {
			project_key: '/p',
			sortie_id: 's1',
			title: 'one',
		});
		expect(() =>
			withImmediateTransaction(db, (tx) => {
				appendToStream(tx, [created]);
				appendAuditRecord(tx, {
					eventType: 'sortie.created',
					subject: { type: 'sortie', id: 's1' },
				});
				throw new Error('crash before commit');
			}),
		).toThrow(/crash before commit/);
		expect(eventCount()).toBe(0);
		expect(db.$client.prepare('SELECT COUNT(*) AS n FROM sorties').get()).toEqual({ n: 0 });
		withImmediateTransaction(db, (tx) => {
			appendToStream(tx, [created]);
			appendAuditRecord(tx, { eventType: 'sortie.created', subject: { type: 'sortie', id: 's1' } });
		});
		expect(eventCount()).toBe(1);
		expect(db.$client.prepare('SELECT COUNT(*) AS n FROM sorties').get()).toEqual({ n: 1 });
		expect((await getAuditEvents(db, {})).map((a) => a.eventType)).toEqual(['sortie.created']);
	});
});

describe('the event log', () => {
	it('is append-only: the database refuses UPDATE and DELETE', async () => {
		await store.append(progress(1));
		expect(() => db.$client.exec(`UPDATE events SET type = 'x'`)).toThrow(/append-only: UPDATE/);
		expect(() => db.$client.exec('DELETE FROM events')).toThrow(/append-only: DELETE/);
		// REPLACE deletes the row it replaces: the DELETE guard must see that too.
		expect(() =>
			db.$client.exec(
				`INSERT OR REPLACE INTO events (sequence, id, type, project_key, stream_id, stream_version, timestamp, schema_version, actor_type, actor_id, data)
				VALUES (1, 'evt_forgedforged', 'pilot_terminated', '/p', 'x', 1, '2026-01-01T00:00:00.000Z', 1, 'system', 'x', '{}')`,
			),
		).toThrow(/append-only: DELETE/);
		expect(eventCount()).toBe(1);
	});

	it('refuses a second event at the same stream version even written behind the store', async () => {
		const stored = await store.append(progress(1));
		expect(() =>
			db.$client
				.prepare(
					`INSERT INTO events (id, type, project_key, stream_id, stream_version, timestamp, schema_version, actor_type, actor_id, data)
					VALUES ('evt_sneakysneaky', 'sortie_progress', '/p', ?, 1, ?, 1, 'system', 'x', '{}')`,
				)
				.run(stored.stream_id, stored.timestamp),
		).toThrow(/UNIQUE/);
		expect(hasErrorCode(new ConcurrencyError('s', 1, 2), 'CONCURRENCY_CONFLICT')).toBe(true);
	});
});

describe('append guards', () => {
	it('leaves nothing in the log when a projection refuses an event and the caller commits anyway', () => {
		const lock = (holder: string, lock_id: string) =>
			createEvent('lock_acquired', {
				project_key: '/p',
				lock_id,
				resource: 'r',
				holder,
				ttl_seconds: 60,
				expires_at: new Date(Date.now() + 60_000).toISOString(),
			});
		withImmediateTransaction(db, (tx) => appendToStream(tx, [lock('alice', 'l1')]));
		withImmediateTransaction(db, (tx) => {
			try {
				appendToStream(tx, [lock('bob', 'l2')]);
			} catch {
				// e.g. record the denial in the audit log and commit that
			}
			appendAuditRecord(tx, { eventType: 'lock.denied' });
		});
		expect(eventCount()).toBe(1);
		// The log still replays cleanly.
		expect(db.$client.prepare('SELECT holder FROM locks').all()).toEqual([{ holder: 'alice' }]);
	});

	it('refuses a second project writing a stream another project owns', async () => {
		await store.append(
			createEvent('sortie_created', { project_key: '/a', sortie_id: 'setup', title: 'A' }),
		);
		const error = await store
			.append(createEvent('sortie_created', { project_key: '/b', sortie_id: 'setup', title: 'B' }))
			.catch((e: unknown) => e);
		expect(isConflictError(error)).toBe(true);
		expect((error as Error).message).toMatch(/stream sortie:setup belongs to project \/a, not \/b/);
		expect(db.$client.prepare('SELECT project_key, title FROM sorties').all()).toEqual([
			{ project_key: '/a', title: 'A' },
		]);
	});

	it('refuses events dated in the future', async () => {
		const future = new Date(Date.now() + 60 * 60_000).toISOString();
		await expect(store.append(progress(1, { timestamp: future }))).rejects.toThrow(
			/timestamp: .* is in the future/,
		);
		expect(eventCount()).toBe(0);
	});

	it('keeps permission names as written, and still redacts a credential smuggled into a permission', async () => {
		const token = `ghp_${'a1B2c3D4'.repeat(5)}`;
		const requested = [
			'secret:read:github-token',
			'env:read:GITHUB_TOKEN',
			`filesystem:read:/x/token=${token}`,
		];
		const stored = await store.append(
			createEvent('agent_discovered', {
				project_key: '/p',
				agent_id: 'echo',
				name: 'Echo',
				version: '1.0.0',
				manifest_path: '/p/agentspace.agent.json',
				manifest_hash: 'a'.repeat(64),
				permissions_hash: 'b'.repeat(64),
				requested_permissions: requested,
			}),
		);
		const row = db.$client.prepare('SELECT data FROM events').get() as { data: string };
		expect(row.data).not.toContain(token);
		expect(stored.type === 'agent_discovered' && stored.requested_permissions.slice(0, 2)).toEqual(
			requested.slice(0, 2),
		);
	});

	it('redacts credentials in payload text before they reach the log', async () => {
		const token = `ghp_${'a1B2c3D4'.repeat(5)}`;
		const stored = await store.append(
			createEvent('agent_build_failed', {
				project_key: '/p',
				agent_id: 'echo',
				build_id: 'b1',
				exit_code: 1,
				signal: null,
				error: `npm ERR! 401 with token=${token} for https://bob:hunter2hunter2@registry.example/`,
				duration_ms: 3,
			}),
		);
		const row = db.$client.prepare('SELECT data FROM events').get() as { data: string };
		expect(row.data).not.toContain(token);
		expect(row.data).not.toContain('hunter2hunter2');
		expect(row.data).toContain('[REDACTED]');
		expect(JSON.stringify(stored)).not.toContain(token);
		// Numbers under secret-sounding names are left alone.
		const compacted = await store.append(
			createEvent('context_compacted', {
				project_key: '/p',
				checkpoint_id: 'c1',
				callsign: 'v',
				summary: 's',
				tokens_before: 9,
				tokens_after: 1,
			}),
		);
		expect(compacted).toMatchObject({ tokens_before: 9, tokens_after: 1 });
	});

	it('refuses unknown options instead of ignoring them', async () => {
		await expect(store.append(progress(1), { expected_version: 0 } as never)).rejects.toThrow(
			/unknown append option "expected_version"/,
		);
		await expect(store.append(progress(1), null as never)).rejects.toThrow(
			/append options must be an object/,
		);
		expect(eventCount()).toBe(0);
	});

	it('refuses a DEFERRED transaction: only withImmediateTransaction holds the write lock up front', () => {
		const deferred = db.$client.transaction(() => appendToStream(db, [progress(1)]));
		expect(() => deferred()).toThrow(/inside a write transaction/);
	});

	it('takes a retry with the payload’s keys in another order as the same event', async () => {
		const first = createEvent('checkpoint_created', {
			project_key: '/p',
			checkpoint_id: 'c1',
			callsign: 'v',
			summary: 's',
			context: { a: 1, b: 2 },
		});
		const stored = await store.append(first);
		expect(await store.append({ ...first, context: { b: 2, a: 1 } })).toEqual(stored);
	});
});
