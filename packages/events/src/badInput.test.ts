import { isAgentSpaceError, isValidationError } from '@agentspace/core';
import { type AgentSpaceDb, createInMemoryDb } from '@agentspace/db';
import { beforeEach, describe, expect, it } from 'vitest';
import { runConsumer } from './consumers/runConsumer.js';
import { createEvent } from './createEvent.js';
import { findReadyWork } from './queries/readyWork.js';
import { findReservationConflicts, reserveFiles } from './queries/reservations.js';
import { projectionDigest } from './replay/projectionDigest.js';
import { rebuildProjections } from './replay/rebuildProjections.js';
import { EventStore } from './store/EventStore.js';
import { streamVersion } from './store/readStream.js';

let db: AgentSpaceDb;
beforeEach(async () => {
	db = createInMemoryDb();
	await EventStore.fromDb(db).append(
		createEvent('pilot_registered', { project_key: '/p', callsign: 'v' }),
	);
});

const eventCount = () =>
	(db.$client.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

// Each bad call must fail with a ValidationError naming the field, and change nothing.
const cases: [string, () => unknown, string][] = [
	['createEvent without fields', () => createEvent('pilot_active', undefined as never), '(root)'],
	['createEvent with null fields', () => createEvent('pilot_active', null as never), '(root)'],
	['rebuild with batchSize 0', () => rebuildProjections(db, { batchSize: 0 }), 'batchSize'],
	['rebuild with batchSize 1.5', () => rebuildProjections(db, { batchSize: 1.5 }), 'batchSize'],
	[
		'consumer with a misspelt type',
		() => runConsumer(db, { name: 'c', handle: () => {}, types: ['pilot_actve' as never] }),
		'types[0]',
	],
	['consumer without a handler', () => runConsumer(db, { name: 'c' } as never), 'handle'],
	[
		'consumer with batchSize 2.5',
		() => runConsumer(db, { name: 'c', handle: () => {}, batchSize: 2.5 }),
		'batchSize',
	],
	[
		'consumer with an unknown option',
		() => runConsumer(db, { name: 'c', handle: () => {}, batch: 5 } as never),
		'batch',
	],
	[
		'reserveFiles with a string for paths',
		() =>
			reserveFiles(db, { project_key: '/p', holder: 'v', paths: 'src' as never, ttl_seconds: 5 }),
		'paths',
	],
	[
		'reserveFiles with a huge TTL',
		() => reserveFiles(db, { project_key: '/p', holder: 'v', paths: ['a'], ttl_seconds: 1e15 }),
		'ttl_seconds',
	],
	['reserveFiles with null', () => reserveFiles(db, null as never), '(root)'],
	[
		'conflicts at a bad time',
		() =>
			findReservationConflicts(db, {
				project_key: '/p',
				holder: 'v',
				paths: ['a'],
				exclusive: true,
				at: 'garbage',
			}),
		'at',
	],
	[
		'conflicts without a project',
		() => findReservationConflicts(db, { holder: 'v', paths: ['a'], exclusive: true } as never),
		'project_key',
	],
	['streamVersion of an object', () => streamVersion(db, {} as never), 'stream_id'],
	['ready work with a bad limit', () => findReadyWork(db, '/p', 'x' as never), 'limit'],
];

describe('bad input', () => {
	it.each(cases)('%s → ValidationError, nothing written', (_name, call, path) => {
		const before = projectionDigest(db);
		let caught: unknown;
		try {
			call();
		} catch (error) {
			caught = error;
		}
		expect(isAgentSpaceError(caught), String(caught)).toBe(true);
		expect(isValidationError(caught)).toBe(true);
		expect((caught as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
		expect(eventCount()).toBe(1);
		expect(projectionDigest(db)).toEqual(before);
	});
});

describe('projection guards', () => {
	it('a mission completes once; a repeated run id counts once', async () => {
		const store = EventStore.fromDb(db);
		const at = (s: number) => new Date(Date.parse('2026-06-01T00:00:00Z') + s * 1000).toISOString();
		await store.append(
			createEvent('mission_created', {
				project_key: '/p',
				mission_id: 'm',
				title: 't',
				timestamp: at(1),
			}),
		);
		await store.append(
			createEvent('mission_completed', {
				project_key: '/p',
				mission_id: 'm',
				summary: 'first',
				timestamp: at(2),
			}),
		);
		await store.append(
			createEvent('mission_completed', { project_key: '/p', mission_id: 'm', timestamp: at(3) }),
		);
		expect(db.$client.prepare('SELECT summary, completed_at FROM missions').get()).toEqual({
			summary: 'first',
			completed_at: at(2),
		});
		const run = {
			project_key: '/p',
			agent_id: 'echo',
			run_id: 'r1',
			pid: 10,
			sandboxed: true,
			restart_policy: 'no' as const,
		};
		await store.append(
			createEvent('agent_discovered', {
				project_key: '/p',
				agent_id: 'echo',
				name: 'Echo',
				version: '1',
				manifest_path: '/m',
				manifest_hash: 'a'.repeat(64),
				permissions_hash: 'b'.repeat(64),
				requested_permissions: [],
			}),
		);
		await store.append(createEvent('agent_run_started', run));
		await store.append(createEvent('agent_run_started', run));
		expect(db.$client.prepare('SELECT run_count FROM agents').get()).toEqual({ run_count: 1 });
	});
});
