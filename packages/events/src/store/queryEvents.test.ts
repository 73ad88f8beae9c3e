import { isValidationError } from '@agentspace/core';
import { type AgentSpaceDb, createInMemoryDb } from '@agentspace/db';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../createEvent.js';
import { EventStore } from './EventStore.js';
import { type NormalizedEventQuery, validateEventQuery } from './eventQuery.js';
import { buildCountSql, buildQuerySql } from './queryEvents.js';

let db: AgentSpaceDb;
let store: EventStore;

// 30 events over two projects, three types, one minute apart.
beforeAll(async () => {
	db = createInMemoryDb();
	store = EventStore.fromDb(db);
	const start = Date.parse('2026-05-01T00:00:00.000Z');
	for (let i = 0; i < 30; i += 1) {
		const project_key = i % 2 === 0 ? '/even' : '/odd';
		const timestamp = new Date(start + i * 60_000).toISOString();
		const event =
			i % 3 === 0
				? createEvent('pilot_active', { project_key, callsign: `p${i % 4}`, timestamp })
				: i % 3 === 1
					? createEvent('sortie_progress', {
							project_key,
							sortie_id: `s${i % 6}`, // s1 in /odd, s4 in /even: one stream per project
							percent: i,
							timestamp,
						})
					: createEvent('cursor_moved', { project_key, cursor_id: 'c', position: i, timestamp });
		await store.append(event);
	}
});

const seqs = (events: { sequence: number }[]) => events.map((e) => e.sequence);

describe('query', () => {
	it('filters by project, types, stream, time and position, in either order', async () => {
		expect(seqs(await store.query({ project_key: '/even', limit: 3 }))).toEqual([1, 3, 5]);
		expect(seqs(await store.query({ project_key: '/even', order: 'desc', limit: 2 }))).toEqual([
			29, 27,
		]);
		expect(seqs(await store.query({ types: ['pilot_active'], project_key: '/odd' }))).toEqual([
			4, 10, 16, 22, 28,
		]);
		expect(
			seqs(await store.query({ types: ['pilot_active', 'cursor_moved'], after_sequence: 24 })),
		).toEqual([25, 27, 28, 30]);
		expect(seqs(await store.query({ stream_id: 'sortie:s1' }))).toEqual([2, 8, 14, 20, 26]);
		expect(
			seqs(
				await store.query({ since: '2026-05-01T00:10:00Z', until: '2026-05-01T02:12:00+02:00' }),
			),
		).toEqual([11, 12, 13]);
		expect(await store.query({ project_key: '/none' })).toEqual([]);
		// Paging backwards.
		expect(
			seqs(
				await store.query({ project_key: '/even', order: 'desc', before_sequence: 27, limit: 2 }),
			),
		).toEqual([25, 23]);
		// Paging backwards.
		expect(
			seqs(
				await store.query({ project_key: '/even', order: 'desc', before_sequence: 27, limit: 2 }),
			),
		).toEqual([25, 23]);
	});

	it('counts with the same filters', async () => {
		expect(await store.count('/even')).toBe(15);
		expect(await store.count('/even', { types: ['sortie_progress'] })).toBe(5);
		expect(await store.count('/odd', { after_sequence: 20 })).toBe(5);
	});

	it('returns the latest event and sequence of a project', async () => {
		expect((await store.getLatest('/odd'))?.sequence).toBe(30);
		expect(await store.getLatestSequence('/even')).toBe(29);
		expect(await store.getLatest('/none')).toBeNull();
		expect(await store.getLatestSequence('/none')).toBe(0);
		expect(await store.getLatestSequence()).toBe(30);
		expect(await store.getLatestSequence()).toBe(30);
	});

	it('reads a stream by version range', async () => {
		const all = await store.readStream('pilot:/even:p0');
		expect(all.map((e) => e.stream_version)).toEqual([1, 2, 3]);
		expect(
			(await store.readStream('pilot:/even:p0', { from: 2, to: 2 })).map((e) => e.sequence),
		).toEqual([all[1]?.sequence]);
		expect(await store.readStream('nope')).toEqual([]);
		expect(await store.streamVersion('pilot:/even:p0')).toBe(3);
		await expect(store.readStream('pilot:/even:p0', { from: 0 })).rejects.toThrow(
			/from must be an integer/,
		);
		await expect(store.readStream('pilot:/even:p0', { form: 2 } as never)).rejects.toThrow(
			/form unknown option/,
		);
	});

	it('reports every bad filter at once', () => {
		const result = validateEventQuery({
			types: ['pilot_active', 'nope'],
			since: 'yesterday-ish',
			limit: 0,
			order: 'sideways',
			after_sequence: -1,
			colour: 'red',
		});
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.errors.map((e) => e.path).sort()).toEqual(
				['after_sequence', 'colour', 'limit', 'order', 'since', 'types[1]'].sort(),
			);
		}
	});

	it('takes only ISO 8601 times with an offset, within four-digit years', () => {
		for (const since of [
			'1',
			'2024-01-01T10:00:00',
			'+010000-01-01T00:00:00Z',
			'2026-02-30T00:00:00Z x',
		]) {
			const result = validateEventQuery({ since });
			expect(result.ok, since).toBe(false);
		}
		const ok = validateEventQuery({ since: '2026-05-01T02:00:00+02:00' });
		expect(ok.ok && ok.value.since).toBe('2026-05-01T00:00:00.000Z');
	});

	it('throws a ValidationError for a bad query and reads nothing', async () => {
		const error = await store
			.query({ until: '2026-01-01', since: '2026-02-01' })
			.catch((e: unknown) => e);
		expect(isValidationError(error)).toBe(true);
		expect((error as Error).message).toMatch(/until: must not be before since/);
	});
});

describe('query plans', () => {
	const filters: Partial<NormalizedEventQuery> = {
		project_key: '/even',
		types: ['pilot_active'],
		stream_id: 'sortie:s1',
		since: '2026-05-01T00:00:00.000Z',
		until: '2026-05-02T00:00:00.000Z',
		after_sequence: 3,
		before_sequence: 20,
	};
	const names = Object.keys(filters) as (keyof typeof filters)[];
	// Every non-empty combination of filters, with one type and with two.
	const combinations = Array.from({ length: 2 ** names.length - 1 }, (_, mask) =>
		names.filter((_n, bit) => ((mask + 1) >> bit) & 1),
	).flatMap((combo): { combo: string[]; types: string[] | undefined }[] =>
		combo.includes('types')
			? [
					{ combo, types: ['pilot_active'] },
					{ combo, types: ['pilot_active', 'cursor_moved'] },
				]
			: [{ combo, types: undefined }],
	);

	it.each(
		combinations.map(({ combo, types }) => [
			`${combo.join('+')}${types?.length === 2 ? ' (2 types)' : ''}`,
			combo,
			types,
		]),
	)('%s uses an index, never a full scan', (_label, combo, types) => {
		const q = {
			project_key: undefined,
			types: undefined,
			stream_id: undefined,
			since: undefined,
			until: undefined,
			after_sequence: undefined,
			before_sequence: undefined,
			limit: 100,
			order: 'asc' as const,
			...Object.fromEntries(
				(combo as string[]).map((n) => [n, filters[n as keyof typeof filters]]),
			),
			...(types === undefined ? {} : { types: types as NormalizedEventQuery['types'] }),
		};
		for (const { sql, params } of [buildQuerySql(q), buildCountSql(q)]) {
			const plan = db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {
				detail: string;
			}[];
			const access = plan.map((p) => p.detail).filter((d) => /\bevents\b/.test(d));
			expect(access.length, sql).toBeGreaterThan(0);
			for (const detail of access) expect(detail, sql).toMatch(/^SEARCH events USING/);
		}
	});

	it('merges several types in order, each cut to the limit, and counts them', async () => {
		const types = ['pilot_active', 'cursor_moved'] as const;
		const all = (await store.query({ limit: 100 })).filter((e) =>
			(types as readonly string[]).includes(e.type),
		);
		expect(seqs(await store.query({ types: [...types], limit: 100 }))).toEqual(seqs(all));
		expect(seqs(await store.query({ types: [...types], limit: 3, order: 'desc' }))).toEqual(
			seqs(all).reverse().slice(0, 3),
		);
		expect(await store.count('/even', { types: [...types] })).toBe(
			all.filter((e) => e.project_key === '/even').length,
		);
	});
});
