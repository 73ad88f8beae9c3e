import { describe, expect, it } from 'vitest';
import { createEvent } from '../createEvent.js';
import { rebuildProjections } from '../replay/rebuildProjections.js';
import { dumpProjections } from '../testing/dumpProjections.js';
import {
	event,
	expectRows,
	type ProjectionAssertion,
	projectionSpec,
	type SpecEvent,
} from '../testing/projectionSpec.js';

// provider_keys, secrets, key_limits and key_tokens: each event's rows, and a
// rebuild from the log gives the same tables.

const given = projectionSpec();
const FP1 = 'sha256:0123456789ab';
const FP2 = 'sha256:ba9876543210';
const HASH = 'a'.repeat(64);
const TOKEN = 'askey_abcdefghij12';
const EXPIRES = '2027-01-01T00:00:00.000Z';

const keyRows = (expected: Record<string, unknown>[]) =>
	expectRows(
		`SELECT provider, base_url, fingerprint, storage, added_at, updated_at, added_by
		FROM provider_keys ORDER BY provider`,
		expected,
	);
const secretRows = (expected: Record<string, unknown>[]) =>
	expectRows(
		'SELECT name, fingerprint, storage, set_at, set_by FROM secrets ORDER BY name',
		expected,
	);
const limitRows = (expected: Record<string, unknown>[]) =>
	expectRows(
		'SELECT agent_id, provider, rpm, tokens_per_day, set_at FROM key_limits ORDER BY agent_id, provider',
		expected,
	);
const tokenRows = (expected: Record<string, unknown>[]) =>
	expectRows(
		`SELECT token_id, name, token_hash, created_at, created_by, expires_at, revoked_at, revoked_by
		FROM key_tokens ORDER BY token_id`,
		expected,
	);

const added = (provider = 'anthropic', fields: object = {}) =>
	event('key_added', { provider, fingerprint: FP1, storage: 'file', ...fields });
const keyRow = (overrides: Record<string, unknown> = {}) => ({
	provider: 'anthropic',
	base_url: null,
	fingerprint: FP1,
	storage: 'file',
	added_at: given.at(1),
	updated_at: given.at(1),
	added_by: 'agentspace',
	...overrides,
});
const limit = (rpm: number | null, tokensPerDay: number | null) =>
	event('key_limit_set', {
		agent_id: 'writer',
		provider: 'openai',
		rpm,
		tokens_per_day: tokensPerDay,
	});

interface Case {
	readonly name: string;
	readonly given?: readonly SpecEvent[];
	readonly when: SpecEvent | readonly SpecEvent[];
	readonly expect: readonly ProjectionAssertion[];
}

const cases: Case[] = [
	{
		name: 'key_added: a row with the fingerprint, storage, time and actor',
		when: added('ollama', { base_url: 'http://127.0.0.1:11434' }),
		expect: [keyRows([keyRow({ provider: 'ollama', base_url: 'http://127.0.0.1:11434' })])],
	},
	{
		name: 'key_updated: a new fingerprint and base URL, added_at kept',
		given: [added()],
		when: event('key_updated', {
			provider: 'anthropic',
			base_url: 'https://proxy.example.com',
			fingerprint: FP2,
			storage: 'keychain',
		}),
		expect: [
			keyRows([
				keyRow({
					base_url: 'https://proxy.example.com',
					fingerprint: FP2,
					storage: 'keychain',
					updated_at: given.at(2),
				}),
			]),
		],
	},
	{
		name: 'key_removed: the row goes, others stay',
		given: [added(), added('openai')],
		when: event('key_removed', { provider: 'anthropic' }),
		expect: [
			keyRows([keyRow({ provider: 'openai', added_at: given.at(2), updated_at: given.at(2) })]),
		],
	},
	{
		name: 'secret_set twice: one row, the second value',
		given: [
			event('secret_set', { name: 'GH_TOKEN', fingerprint: FP1, storage: 'file', replaced: false }),
		],
		when: event('secret_set', {
			name: 'GH_TOKEN',
			fingerprint: FP2,
			storage: 'file',
			replaced: true,
		}),
		expect: [
			secretRows([
				{
					name: 'GH_TOKEN',
					fingerprint: FP2,
					storage: 'file',
					set_at: given.at(2),
					set_by: 'agentspace',
				},
			]),
		],
	},
	{
		name: 'secret_removed: the row goes',
		given: [
			event('secret_set', { name: 'GH_TOKEN', fingerprint: FP1, storage: 'file', replaced: false }),
		],
		when: event('secret_removed', { name: 'GH_TOKEN' }),
		expect: [secretRows([])],
	},
	{
		name: 'key_limit_set: a row, replaced by the next',
		given: [limit(60, null)],
		when: limit(null, 100_000),
		expect: [
			limitRows([
				{
					agent_id: 'writer',
					provider: 'openai',
					rpm: null,
					tokens_per_day: 100_000,
					set_at: given.at(2),
				},
			]),
		],
	},
	{
		name: 'key_limit_set with both null: no limit, no row',
		given: [limit(60, 1000)],
		when: limit(null, null),
		expect: [limitRows([])],
	},
	{
		name: 'key_token_minted then revoked: the row says when and by whom; a second revocation changes nothing',
		given: [
			event('key_token_minted', {
				token_id: TOKEN,
				name: 'me',
				token_hash: HASH,
				expires_at: EXPIRES,
			}),
			event('key_token_revoked', { token_id: TOKEN }),
		],
		when: event('key_token_revoked', { token_id: TOKEN }),
		expect: [
			tokenRows([
				{
					token_id: TOKEN,
					name: 'me',
					token_hash: HASH,
					created_at: given.at(1),
					created_by: 'agentspace',
					expires_at: EXPIRES,
					revoked_at: given.at(2),
					revoked_by: 'agentspace',
				},
			]),
		],
	},
];

describe('key projections', () => {
	for (const c of cases) {
		it(c.name, async () => {
			const db = await given(c.given ?? [])
				.when(c.when)
				.thenExpect(...c.expect);
			const live = dumpProjections(db);
			rebuildProjections(db);
			const rebuilt = dumpProjections(db);
			for (const table of ['provider_keys', 'secrets', 'key_limits', 'key_tokens']) {
				expect(rebuilt[table], table).toEqual(live[table]);
			}
		});
	}

	it('refuses an unknown provider, a bad fingerprint, a bad secret name or a zero limit', () => {
		const make = (type: string, fields: object) =>
			createEvent(type as never, { project_key: '/p', ...fields } as never);
		expect(() =>
			make('key_added', { provider: 'gemini', fingerprint: FP1, storage: 'file' }),
		).toThrow(/provider/);
		expect(() =>
			make('key_added', { provider: 'openai', fingerprint: 'sk-secret', storage: 'file' }),
		).toThrow(/fingerprint/);
		expect(() => make('secret_removed', { name: '../x' })).toThrow(/name/);
		expect(() =>
			make('key_limit_set', { agent_id: 'a', provider: 'openai', rpm: 0, tokens_per_day: null }),
		).toThrow(/rpm/);
	});
});
