import { isConflictError } from '@agentspace/core';
import { type AgentSpaceDb, createInMemoryDb } from '@agentspace/db';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventPayloadInput, EventType } from '../catalogue/catalogue.js';
import { createEvent } from '../createEvent.js';
import { findReadyWork } from '../queries/readyWork.js';
import { findReservationConflicts, reserveFiles } from '../queries/reservations.js';
import { projectionDigest } from '../replay/projectionDigest.js';
import { rebuildProjections } from '../replay/rebuildProjections.js';
import { EventStore } from '../store/EventStore.js';
import { queryEvents } from '../store/queryEvents.js';
import {
	event,
	expectRows,
	type ProjectionAssertion,
	projectionSpec,
	type SpecEvent,
} from '../testing/projectionSpec.js';
import { validateEvent } from '../validateEvent.js';

let db: AgentSpaceDb;
let store: EventStore;
let clock: number;
beforeEach(() => {
	db = createInMemoryDb();
	store = EventStore.fromDb(db);
	clock = Date.parse('2026-06-01T12:00:00.000Z');
});

// Each event one second after the previous one, so times in assertions are predictable.
async function emit<T extends EventType>(
	type: T,
	payload: EventPayloadInput<T>,
	project_key = '/p',
) {
	clock += 1000;
	return store.append(
		createEvent(type, {
			project_key,
			timestamp: new Date(clock).toISOString(),
			...payload,
		} as never),
	);
}
const at = (seconds: number) =>
	new Date(Date.parse('2026-06-01T12:00:00.000Z') + seconds * 1000).toISOString();
const row = (sql: string, ...params: unknown[]) =>
	db.$client.prepare(sql).get(...params) as Record<string, unknown>;
const rows = (sql: string, ...params: unknown[]) =>
	db.$client.prepare(sql).all(...params) as Record<string, unknown>[];

const manifest = {
	agent_id: 'echo',
	name: 'Echo',
	version: '1.0.0',
	manifest_path: '/home/u/Projects/echo/agentspace.agent.json',
	manifest_hash: 'a'.repeat(64),
	permissions_hash: 'b'.repeat(64),
	requested_permissions: ['network:egress:example.com'],
};

// The transition table of specs/agent-lifecycle.md, walked one event per case:
// each case's given is every event of the rows above it, its when is its own
// event, and `leaves` what that event leaves in the catalogue row (and runs).
const given = projectionSpec();
const agentRow = (
	status: string,
	build_status: string,
	current_run_id: string | null,
	run_count: number,
) =>
	expectRows('SELECT status, build_status, current_run_id, run_count FROM agents', [
		{ status, build_status, current_run_id, run_count },
	]);
const runStarted = (run_id: string, pid: number, restart_policy: 'no' | 'always') =>
	event('agent_run_started', { agent_id: 'echo', run_id, pid, sandboxed: true, restart_policy });
const LIFECYCLE: readonly {
	name: string;
	when: SpecEvent;
	leaves: readonly ProjectionAssertion[];
}[] = [
	{
		name: 'agent_discovered: a new entry is discovered, with no build and no run',
		when: event('agent_discovered', manifest),
		leaves: [agentRow('discovered', 'none', null, 0)],
	},
	{
		name: 'agent_installed: installed, with the checkout’s commit and ref',
		when: event('agent_installed', {
			...manifest,
			source: 'https://example.com/echo.git',
			ref: 'v1',
			commit: 'c'.repeat(40),
			install_path: '/h/agents/echo/src',
			permissions_changed: false,
		}),
		leaves: [
			expectRows('SELECT status, installed_commit, installed_ref FROM agents', [
				{ status: 'installed', installed_commit: 'c'.repeat(40), installed_ref: 'v1' },
			]),
		],
	},
	{
		name: 'agent_build_started: the build is building',
		when: event('agent_build_started', { agent_id: 'echo', build_id: 'b1', steps: [] }),
		leaves: [agentRow('installed', 'building', null, 0)],
	},
	{
		name: 'agent_build_failed: build_failed, with the error',
		when: event('agent_build_failed', {
			agent_id: 'echo',
			build_id: 'b1',
			exit_code: 1,
			signal: null,
			error: 'npm ci failed',
			duration_ms: 5,
		}),
		leaves: [
			expectRows('SELECT status, build_status, build_error FROM agents', [
				{ status: 'build_failed', build_status: 'failed', build_error: 'npm ci failed' },
			]),
		],
	},
	{
		name: 'agent_built (from build_failed): built',
		when: event('agent_built', { agent_id: 'echo', build_id: 'b2', duration_ms: 7 }),
		leaves: [agentRow('built', 'built', null, 0)],
	},
	{
		name: 'agent_enabled: enabled, with the approved permissions and the manifest hash they are bound to',
		when: event('agent_enabled', {
			agent_id: 'echo',
			approved_permissions: ['network:egress:example.com'],
			manifest_hash: manifest.manifest_hash,
			permissions_hash: manifest.permissions_hash,
		}),
		leaves: [
			expectRows('SELECT status, approved_permissions, approved_manifest_hash FROM agents', [
				{
					status: 'enabled',
					approved_permissions: '["network:egress:example.com"]',
					approved_manifest_hash: manifest.manifest_hash,
				},
			]),
		],
	},
	{
		name: 'agent_run_started: running, the run is current and counted',
		when: runStarted('run1', 4242, 'no'),
		leaves: [agentRow('running', 'built', 'run1', 1)],
	},
	{
		name: 'agent_run_stopped: stopped, no current run; the run keeps its pid, signal and times',
		when: event('agent_run_stopped', {
			agent_id: 'echo',
			run_id: 'run1',
			exit_code: null,
			signal: 'SIGTERM',
		}),
		leaves: [
			agentRow('stopped', 'built', null, 1),
			expectRows(
				'SELECT run_id, status, pid, sandboxed, signal, started_at, ended_at FROM agent_runs',
				[
					{
						run_id: 'run1',
						status: 'stopped',
						pid: 4242,
						sandboxed: 1,
						signal: 'SIGTERM',
						started_at: given.at(7),
						ended_at: given.at(8),
					},
				],
			),
		],
	},
	{
		name: 'agent_run_started again: running the second run',
		when: runStarted('run2', 4243, 'always'),
		leaves: [agentRow('running', 'built', 'run2', 2)],
	},
	{
		name: 'agent_run_unhealthy of another run: ignored',
		when: event('agent_run_unhealthy', { agent_id: 'echo', run_id: 'run1', reason: 'late' }),
		leaves: [agentRow('running', 'built', 'run2', 2)],
	},
	{
		name: 'agent_run_unhealthy: unhealthy while it is stopped, the run still current and running',
		when: event('agent_run_unhealthy', {
			agent_id: 'echo',
			run_id: 'run2',
			reason: 'unhealthy: 3 pings unanswered',
		}),
		leaves: [
			agentRow('unhealthy', 'built', 'run2', 2),
			expectRows("SELECT status FROM agent_runs WHERE run_id = 'run2'", [{ status: 'running' }]),
		],
	},
	{
		name: 'agent_run_crashed: crashed',
		when: event('agent_run_crashed', {
			agent_id: 'echo',
			run_id: 'run2',
			exit_code: 139,
			signal: null,
			reason: 'segfault',
		}),
		leaves: [agentRow('crashed', 'built', null, 2)],
	},
	{
		name: 'agent_permissions_revoked: built (it is built), approval cleared',
		when: event('agent_permissions_revoked', { agent_id: 'echo' }),
		leaves: [
			expectRows('SELECT status, approved_permissions FROM agents', [
				{ status: 'built', approved_permissions: null },
			]),
		],
	},
	{
		name: 'agent_uninstalled: uninstalled, checkout and build state cleared; the runs stay (history)',
		when: event('agent_uninstalled', { agent_id: 'echo' }),
		leaves: [
			expectRows('SELECT status, install_path, build_status FROM agents', [
				{ status: 'uninstalled', install_path: null, build_status: 'none' },
			]),
			expectRows('SELECT run_id FROM agent_runs ORDER BY run_id', [
				{ run_id: 'run1' },
				{ run_id: 'run2' },
			]),
		],
	},
];

describe('agents projection', () => {
	it.each(
		LIFECYCLE.map((step, index) => ({
			...step,
			given: LIFECYCLE.slice(0, index).map((before) => before.when),
		})),
	)('$name', async ({ given: history, when, leaves }) => {
		await given(history)
			.when(when)
			.thenExpect(...leaves);
	});
	it('an updated manifest changes the hashes but keeps the approval, so drift is visible', async () => {
		await given([
			event('agent_discovered', manifest),
			event('agent_enabled', {
				agent_id: 'echo',
				approved_permissions: [],
				manifest_hash: manifest.manifest_hash,
				permissions_hash: manifest.permissions_hash,
			}),
		])
			.when(
				event('agent_updated', {
					...manifest,
					manifest_hash: 'd'.repeat(64),
					previous_manifest_hash: manifest.manifest_hash,
				}),
			)
			.thenExpect(
				expectRows('SELECT manifest_hash, approved_manifest_hash, status FROM agents', [
					{
						manifest_hash: 'd'.repeat(64),
						approved_manifest_hash: 'a'.repeat(64),
						status: 'enabled',
					},
				]),
			);
	});
});

describe('agents projection: supervision (agent_errored, supervisor_pid, restart_policy)', () => {
	const agentRow = () =>
		row('SELECT status, current_run_id, run_count FROM agents WHERE agent_id = ?', 'echo');
	const runRow = (runId: string) =>
		row(
			'SELECT status, pid, supervisor_pid, restart_policy, ended_at, reason FROM agent_runs WHERE run_id = ?',
			runId,
		);
	const start = (run_id: string, extra: { supervisor_pid?: number } = {}) =>
		emit('agent_run_started', {
			agent_id: 'echo',
			run_id,
			pid: 4242,
			sandboxed: false,
			restart_policy: 'on-failure',
			...extra,
		});
	const crash = (run_id: string) =>
		emit('agent_run_crashed', {
			agent_id: 'echo',
			run_id,
			exit_code: 1,
			signal: null,
			reason: 'exited with code 1',
		});
	const enable = () =>
		emit('agent_enabled', {
			agent_id: 'echo',
			approved_permissions: [],
			manifest_hash: manifest.manifest_hash,
			permissions_hash: manifest.permissions_hash,
		});

	it('agent_errored after a crash makes the agent errored; a new run makes it running again', async () => {
		await emit('agent_discovered', manifest);
		await enable();
		await start('run1', { supervisor_pid: 777 });
		await crash('run1');
		expect(agentRow()).toEqual({ status: 'crashed', current_run_id: null, run_count: 1 });
		await emit('agent_errored', {
			agent_id: 'echo',
			run_id: 'run1',
			reason: 'crashed 17 times within a second of starting',
			restarts: 16,
		});
		expect(agentRow()).toEqual({ status: 'errored', current_run_id: null, run_count: 1 });
		// The run keeps what its own end recorded.
		expect(runRow('run1')).toMatchObject({ status: 'crashed', reason: 'exited with code 1' });
		// A build keeps it, like crashed; enabling makes it enabled.
		await emit('agent_built', { agent_id: 'echo', build_id: 'b1', duration_ms: 1 });
		expect(agentRow()).toMatchObject({ status: 'errored' });
		await enable();
		expect(agentRow()).toMatchObject({ status: 'enabled' });
		await emit('agent_errored', { agent_id: 'echo', reason: 'could not restart', restarts: 0 });
		expect(agentRow()).toMatchObject({ status: 'errored' });
		await start('run2', { supervisor_pid: 778 });
		expect(agentRow()).toEqual({ status: 'running', current_run_id: 'run2', run_count: 2 });
	});

	it('agent_errored ends its run if the crash was not recorded, and leaves a newer run and an uninstalled agent alone', async () => {
		await emit('agent_discovered', manifest);
		await start('run1');
		await emit('agent_errored', {
			agent_id: 'echo',
			run_id: 'run1',
			reason: 'gave up',
			restarts: 3,
		});
		expect(agentRow()).toEqual({ status: 'errored', current_run_id: null, run_count: 1 });
		expect(runRow('run1')).toMatchObject({ status: 'crashed', ended_at: at(3), reason: 'gave up' });
		// Another supervisor has started run2 since: a late errored for run1 is not about it.
		await start('run2');
		await emit('agent_errored', { agent_id: 'echo', run_id: 'run1', reason: 'late', restarts: 3 });
		expect(agentRow()).toEqual({ status: 'running', current_run_id: 'run2', run_count: 2 });
		expect(runRow('run2')).toMatchObject({ status: 'running' });
		await emit('agent_run_stopped', {
			agent_id: 'echo',
			run_id: 'run2',
			exit_code: 0,
			signal: null,
		});
		await emit('agent_uninstalled', { agent_id: 'echo' });
		await emit('agent_errored', { agent_id: 'echo', reason: 'late', restarts: 0 });
		expect(agentRow()).toMatchObject({ status: 'uninstalled' });
	});

	it('agent_runs keeps supervisor_pid and restart_policy; without supervisor_pid it is NULL', async () => {
		await emit('agent_discovered', manifest);
		await start('run1', { supervisor_pid: 31337 });
		expect(runRow('run1')).toMatchObject({
			status: 'running',
			pid: 4242,
			supervisor_pid: 31337,
			restart_policy: 'on-failure',
		});
		await crash('run1');
		await start('run2');
		expect(runRow('run2')).toMatchObject({ supervisor_pid: null, restart_policy: 'on-failure' });
		expect(() =>
			createEvent('agent_run_started', {
				project_key: '/p',
				agent_id: 'echo',
				run_id: 'run3',
				pid: 1,
				sandboxed: false,
				restart_policy: 'always',
				supervisor_pid: 0,
			}),
		).toThrow(/supervisor_pid/);
	});

	it('reads and replays an agent_run_started stored by an older build (no supervisor_pid)', () => {
		// Written as a build from before supervisor_pid stored it: same type, same version.
		const data = {
			agent_id: 'echo',
			run_id: 'old-run',
			pid: 99,
			sandboxed: true,
			restart_policy: 'always',
			attempt: 0,
		};
		db.$client
			.prepare(
				`INSERT INTO events (id, type, project_key, stream_id, stream_version, timestamp,
					schema_version, actor_type, actor_id, data)
				VALUES ('evt_oldoldoldoldoldoldold1', 'agent_run_started', '/p', 'agent:echo', 1,
					'2026-05-01T00:00:00.000Z', 1, 'system', 'agentspace', ?)`,
			)
			.run(JSON.stringify(data));
		const [stored] = queryEvents(db, { types: ['agent_run_started'] });
		expect(stored).toMatchObject(data);
		expect(stored).not.toHaveProperty('supervisor_pid');
		expect(validateEvent(stored)).toEqual(stored);
		rebuildProjections(db);
		expect(runRow('old-run')).toMatchObject({
			status: 'running',
			pid: 99,
			supervisor_pid: null,
			restart_policy: 'always',
		});
	});

	it('replay gives byte-identical agents and agent_runs tables', async () => {
		await emit('agent_discovered', manifest);
		await enable();
		await start('run1', { supervisor_pid: 500 });
		await crash('run1');
		await start('run2');
		await emit('agent_errored', {
			agent_id: 'echo',
			run_id: 'run2',
			reason: 'gave up',
			restarts: 2,
		});
		await start('run3', { supervisor_pid: 501 });
		await crash('run3');
		await emit('agent_errored', {
			agent_id: 'echo',
			run_id: 'run3',
			reason: 'gave up',
			restarts: 16,
		});
		const before = projectionDigest(db);
		expect(before.agent_runs?.rows).toBe(3);
		rebuildProjections(db);
		expect(projectionDigest(db)).toEqual(before);
		expect(agentRow()).toEqual({ status: 'errored', current_run_id: null, run_count: 3 });
	});
});

describe('pilots projection', () => {
	it('registers, marks active, deregisters and re-registers a pilot', async () => {
		await emit('pilot_registered', { callsign: 'viper-1', program: 'opencode', model: 'm1' });
		await emit('pilot_active', { callsign: 'viper-1' });
		expect(row('SELECT status, last_active_at FROM pilots')).toEqual({
			status: 'active',
			last_active_at: at(2),
		});
		await emit('pilot_deregistered', { callsign: 'viper-1', reason: 'done' });
		await emit('pilot_active', { callsign: 'viper-1' });
		expect(row('SELECT status, end_reason FROM pilots')).toEqual({
			status: 'deregistered',
			end_reason: 'done',
		});
		await emit('pilot_spawned', { callsign: 'viper-2', spawned_by: 'viper-1' });
		await emit('pilot_terminated', { callsign: 'viper-2', reason: 'timeout' });
		expect(row(`SELECT status, spawned_by FROM pilots WHERE callsign = 'viper-2'`)).toEqual({
			status: 'terminated',
			spawned_by: 'viper-1',
		});
		// Same callsign in another project is another pilot.
		await emit('pilot_registered', { callsign: 'viper-1' }, '/q');
		expect(rows('SELECT project_key FROM pilots WHERE callsign = ?', 'viper-1').length).toBe(2);
	});
});

describe('messages projection', () => {
	it('tracks recipients, reads, acknowledgements and threads', async () => {
		await emit('thread_created', { thread_id: 't1', subject: 'plan', created_by: 'a' });
		await emit('message_sent', {
			message_id: 'm1',
			from: 'a',
			to: ['b', 'c'],
			subject: 'plan',
			body: 'go',
			thread_id: 't1',
			importance: 'urgent',
			ack_required: true,
		});
		await emit('message_read', { message_id: 'm1', callsign: 'b' });
		await emit('message_acknowledged', { message_id: 'm1', callsign: 'c' });
		await emit('message_read', { message_id: 'm1', callsign: 'b' });
		expect(
			rows('SELECT callsign, read_at, acked_at FROM message_recipients ORDER BY callsign'),
		).toEqual([
			{ callsign: 'b', read_at: at(3), acked_at: null },
			{ callsign: 'c', read_at: at(4), acked_at: at(4) },
		]);
		expect(row('SELECT message_count, last_message_at FROM threads')).toEqual({
			message_count: 1,
			last_message_at: at(2),
		});
		expect(row('SELECT importance, ack_required FROM messages')).toEqual({
			importance: 'urgent',
			ack_required: 1,
		});
		await emit('message_deleted', { message_id: 'm1' });
		expect(row('SELECT deleted_at FROM messages')).toEqual({ deleted_at: at(6) });
	});
});

describe('reservations', () => {
	it('grants every reservation and reports overlapping exclusive ones held by other pilots', () => {
		const first = reserveFiles(db, {
			project_key: '/p',
			holder: 'a',
			paths: ['src/**'],
			ttl_seconds: 60,
		});
		expect(first.conflicts).toEqual([]);
		const second = reserveFiles(db, {
			project_key: '/p',
			holder: 'b',
			paths: ['src/app/*.ts', 'docs/x.md'],
			ttl_seconds: 60,
		});
		expect(second.conflicts).toEqual([
			expect.objectContaining({
				reservation_id: first.reservation.reservation_id,
				holder: 'a',
				paths: ['src/app/*.ts'],
			}),
		]);
		const conflicts = rows(`SELECT data FROM events WHERE type = 'file_conflict'`);
		expect(conflicts.length).toBe(1);
		// The holder's own reservations never conflict, nor do two shared ones, nor disjoint paths.
		expect(
			reserveFiles(db, { project_key: '/p', holder: 'a', paths: ['src/a.ts'], ttl_seconds: 60 })
				.conflicts,
		).toEqual([]);
		expect(
			reserveFiles(db, { project_key: '/p', holder: 'c', paths: ['lib/**'], ttl_seconds: 60 })
				.conflicts,
		).toEqual([]);
		reserveFiles(db, {
			project_key: '/p',
			holder: 'd',
			paths: ['notes/**'],
			ttl_seconds: 60,
			exclusive: false,
		});
		expect(
			reserveFiles(db, {
				project_key: '/p',
				holder: 'e',
				paths: ['notes/a'],
				ttl_seconds: 60,
				exclusive: false,
			}).conflicts,
		).toEqual([]);
		// Other projects do not count.
		expect(
			reserveFiles(db, { project_key: '/q', holder: 'b', paths: ['src/**'], ttl_seconds: 60 })
				.conflicts,
		).toEqual([]);
	});

	it('stops counting released and expired reservations', async () => {
		await emit('file_reserved', {
			reservation_id: 'r1',
			holder: 'a',
			paths: ['src/**'],
			ttl_seconds: 10,
			expires_at: at(11),
		});
		const query = { project_key: '/p', holder: 'b', paths: ['src/x.ts'], exclusive: true };
		expect(findReservationConflicts(db, { ...query, at: at(5) }).length).toBe(1);
		expect(findReservationConflicts(db, { ...query, at: at(11) }).length).toBe(0);
		await emit('file_reservation_renewed', {
			reservation_id: 'r1',
			holder: 'a',
			ttl_seconds: 60,
			expires_at: at(62),
		});
		expect(findReservationConflicts(db, { ...query, at: at(30) }).length).toBe(1);
		await emit('file_released', { reservation_id: 'r1', holder: 'a' });
		expect(findReservationConflicts(db, { ...query, at: at(30) }).length).toBe(0);
		expect(row('SELECT renew_count, released_at FROM reservations')).toEqual({
			renew_count: 1,
			released_at: at(3),
		});
	});
});

describe('locks projection', () => {
	const acquire = (holder: string, lock_id: string, ttl: number) =>
		emit('lock_acquired', {
			lock_id,
			resource: 'deploy',
			holder,
			ttl_seconds: ttl,
			expires_at: new Date(clock + 1000 + ttl * 1000).toISOString(),
		});

	it('refuses a second holder until the lock is released or expires', async () => {
		await acquire('a', 'l1', 10);
		const refused = await acquire('b', 'l2', 10).catch((e: unknown) => e);
		expect(isConflictError(refused)).toBe(true);
		expect((refused as Error).message).toMatch(/held by a/);
		// The holder may re-acquire (renew).
		await acquire('a', 'l3', 10);
		const wrongRelease = await emit('lock_released', {
			lock_id: 'l3',
			resource: 'deploy',
			holder: 'b',
		}).catch((e: unknown) => e);
		expect(isConflictError(wrongRelease)).toBe(true);
		await emit('lock_released', { lock_id: 'l3', resource: 'deploy', holder: 'a' });
		await acquire('b', 'l4', 1);
		clock += 5000; // past b's expiry: a may take it over
		await acquire('a', 'l5', 10);
		expect(row('SELECT holder, lock_id FROM locks')).toEqual({ holder: 'a', lock_id: 'l5' });
		expect((await store.query({ types: ['lock_acquired'] })).length).toBe(4);
	});

	it('refuses an expiry later than the event time plus its TTL', async () => {
		const forever = emit('lock_acquired', {
			lock_id: 'l9',
			resource: 'deploy',
			holder: 'mallory',
			ttl_seconds: 1,
			expires_at: '9999-12-31T00:00:00Z',
		});
		await expect(forever).rejects.toThrow(/later than the event's time plus ttl_seconds/);
		expect(rows('SELECT * FROM locks')).toEqual([]);
		expect(() =>
			createEvent('lock_acquired', {
				project_key: '/p',
				lock_id: 'l9',
				resource: 'deploy',
				holder: 'mallory',
				ttl_seconds: 1,
				expires_at: '9999-12-31T23:30:00-02:00',
			}),
		).toThrow(/expires_at: must fall in the years 0000-9999/);
	});
});

describe('missions, sorties and work orders', () => {
	it('finds ready work: open sorties with no open blocker, most urgent first', async () => {
		await emit('mission_created', { mission_id: 'm1', title: 'ship' });
		await emit('sortie_created', { sortie_id: 's1', title: 'schema', mission_id: 'm1' });
		await emit('sortie_created', {
			sortie_id: 's2',
			title: 'api',
			depends_on: ['s1'],
			priority: 'critical',
		});
		await emit('sortie_created', { sortie_id: 's3', title: 'ui', depends_on: ['s2', 'ghost'] });
		await emit('sortie_created', { sortie_id: 's4', title: 'docs', priority: 'low' });
		await emit('sortie_created', { sortie_id: 's5', title: 'urgent fix', priority: 'high' });
		const ready = () => findReadyWork(db, '/p').map((s) => s.sortie_id);
		expect(ready()).toEqual(['s5', 's1', 's4']);
		await emit('sortie_assigned', { sortie_id: 's1', assignee: 'viper' });
		expect(ready()).toEqual(['s5', 's4']);
		await emit('sortie_started', { sortie_id: 's1', callsign: 'viper' });
		await emit('sortie_blocked', { sortie_id: 's1', reason: 'waiting on review' });
		expect(row(`SELECT status FROM sorties WHERE sortie_id = 's1'`)).toEqual({ status: 'blocked' });
		await emit('sortie_resumed', { sortie_id: 's1' });
		expect(row(`SELECT status, blocked_reason FROM sorties WHERE sortie_id = 's1'`)).toEqual({
			status: 'in_progress',
			blocked_reason: null,
		});
		await emit('sortie_progress', { sortie_id: 's1', percent: 50, note: 'half' });
		await emit('sortie_completed', { sortie_id: 's1', outcome: 'succeeded' });
		expect(row(`SELECT status, progress_percent FROM sorties WHERE sortie_id = 's1'`)).toEqual({
			status: 'completed',
			progress_percent: 100,
		});
		// s2's blocker is done, and it is critical: first in line.
		expect(ready()).toEqual(['s2', 's5', 's4']);
		await emit('sortie_completed', { sortie_id: 's2', outcome: 'succeeded' });
		// s3 still waits for a sortie that was never created.
		expect(ready()).toEqual(['s5', 's4']);
		await emit('mission_started', { mission_id: 'm1' });
		await emit('mission_updated', { mission_id: 'm1', priority: 'high' });
		await emit('mission_completed', { mission_id: 'm1', summary: 'shipped' });
		expect(row('SELECT status, priority, summary FROM missions')).toEqual({
			status: 'completed',
			priority: 'high',
			summary: 'shipped',
		});
	});

	it('tracks work orders', async () => {
		await emit('work_order_created', { work_order_id: 'w1', title: 'write test', sortie_id: 's1' });
		await emit('work_order_status_changed', { work_order_id: 'w1', status: 'in_progress' });
		await emit('work_order_completed', { work_order_id: 'w1', result: 'ok' });
		await emit('work_order_status_changed', { work_order_id: 'w1', status: 'blocked' });
		expect(row('SELECT status, result, completed_at FROM work_orders')).toEqual({
			status: 'completed',
			result: 'ok',
			completed_at: at(3),
		});
	});
});

describe('checkpoints and cursors', () => {
	it('records checkpoints, compactions, restores and deletions', async () => {
		await emit('checkpoint_created', {
			checkpoint_id: 'c1',
			callsign: 'v',
			summary: 'before refactor',
			context: { files: ['a.ts'] },
		});
		await emit('context_compacted', {
			checkpoint_id: 'c2',
			callsign: 'v',
			summary: 'compacted',
			tokens_before: 9000,
			tokens_after: 1200,
		});
		await emit('checkpoint_restored', { checkpoint_id: 'c1', callsign: 'v' });
		await emit('checkpoint_restored', { checkpoint_id: 'c1', callsign: 'v' });
		await emit('checkpoint_deleted', { checkpoint_id: 'c1' });
		await emit('checkpoint_restored', { checkpoint_id: 'c1', callsign: 'v' });
		expect(
			rows(
				'SELECT checkpoint_id, "trigger", context, restore_count, tokens_after, deleted_at FROM checkpoints ORDER BY checkpoint_id',
			),
		).toEqual([
			{
				checkpoint_id: 'c1',
				trigger: 'manual',
				context: '{"files":["a.ts"]}',
				restore_count: 2,
				tokens_after: null,
				deleted_at: at(5),
			},
			{
				checkpoint_id: 'c2',
				trigger: 'compaction',
				context: '{}',
				restore_count: 0,
				tokens_after: 1200,
				deleted_at: null,
			},
		]);
	});

	it('moves cursors', async () => {
		await emit('cursor_moved', { cursor_id: 'inbox', owner: 'v', position: 3 });
		await emit('cursor_moved', { cursor_id: 'inbox', owner: 'v', position: 9 });
		expect(rows('SELECT cursor_id, position FROM cursors')).toEqual([
			{ cursor_id: 'inbox', position: 9 },
		]);
	});
});
