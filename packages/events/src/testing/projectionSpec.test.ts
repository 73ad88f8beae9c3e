import { isConflictError } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { event, expectRows, projectionSpec } from './projectionSpec.js';

const given = projectionSpec({ projectKey: '/q', start: '2026-01-01T00:00:00.000Z' });
const registered = event('pilot_registered', { callsign: 'viper-1' });
const active = event('pilot_active', { callsign: 'viper-1' });

describe('projectionSpec', () => {
	it('appends given then when events one second apart, in the spec’s project, and checks the rows', async () => {
		const db = await given(registered)
			.when([active])
			.thenExpect(
				expectRows('SELECT project_key, status, last_active_at FROM pilots', [
					{ project_key: '/q', status: 'active', last_active_at: given.at(2) },
				]),
			);
		expect(given.at(2)).toBe('2026-01-01T00:00:02.000Z');
		expect(db.$client.prepare('SELECT timestamp FROM events ORDER BY sequence').all()).toEqual([
			{ timestamp: given.at(1) },
			{ timestamp: given.at(2) },
		]);
	});

	it('fails when the rows differ, naming the query', async () => {
		const wrong = given([registered])
			.when(active)
			.thenExpect(expectRows('SELECT status FROM pilots', [{ status: 'registered' }]));
		await expect(wrong).rejects.toThrow(/rows of SELECT status FROM pilots/);
	});

	it('each case starts from an empty database', async () => {
		await given([registered]).when(active).thenExpect();
		await given()
			.when(event('pilot_registered', { callsign: 'viper-2' }))
			.thenExpect(expectRows('SELECT callsign FROM pilots', [{ callsign: 'viper-2' }]));
	});

	it('thenThrows passes on the expected error and fails when none or another is thrown', async () => {
		const lock = (holder: string) =>
			event('lock_acquired', {
				lock_id: `l-${holder}`,
				resource: 'deploy',
				holder,
				ttl_seconds: 60,
				expires_at: '2026-01-01T00:01:00.000Z',
			});
		const refused = await given(lock('a'))
			.when(lock('b'))
			.thenThrows(/held by a/);
		expect(isConflictError(refused)).toBe(true);
		await expect(
			given(lock('a'))
				.when(lock('b'))
				.thenThrows(/held by c/),
		).rejects.toThrow(/not the expected error/);
		await expect(given().when(lock('a')).thenThrows()).rejects.toThrow(/did not/);
		// A failing given event is not what is under test: it fails the case.
		await expect(
			given([lock('a'), lock('b')])
				.when(active)
				.thenThrows(),
		).rejects.toThrow(/held by a/);
	});
});
