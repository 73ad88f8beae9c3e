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

const given = projectionSpec();
const HASH = 'a'.repeat(64);
const ID = 'asmcp_abcdefghij12';
const EXPIRES = '2027-01-01T00:00:00.000Z';

const minted = (tokenId = ID, name?: string) =>
	event('mcp_token_minted', {
		token_id: tokenId,
		token_hash: HASH,
		expires_at: EXPIRES,
		...(name === undefined ? {} : { name }),
	});
const revoked = (tokenId = ID) => event('mcp_token_revoked', { token_id: tokenId });
const rows = (expected: Record<string, unknown>[]) =>
	expectRows(
		`SELECT token_id, name, token_hash, created_at, created_by, expires_at, revoked_at, revoked_by
		FROM mcp_tokens ORDER BY token_id`,
		expected,
	);
const row = (overrides: Record<string, unknown> = {}) => ({
	token_id: ID,
	name: null,
	token_hash: HASH,
	created_at: given.at(1),
	created_by: 'agentspace',
	expires_at: EXPIRES,
	revoked_at: null,
	revoked_by: null,
	...overrides,
});

interface Case {
	readonly name: string;
	readonly given?: readonly SpecEvent[];
	readonly when: SpecEvent | readonly SpecEvent[];
	readonly expect: readonly ProjectionAssertion[];
}

const cases: Case[] = [
	{
		name: 'mcp_token_minted: one row with the hash, the time, the actor and the expiry',
		when: minted(ID, 'claude-desktop'),
		expect: [rows([row({ name: 'claude-desktop' })])],
	},
	{
		name: 'mcp_token_minted without a name: name is null',
		when: minted(),
		expect: [rows([row()])],
	},
	{
		name: 'mcp_token_revoked: the row says when and by whom',
		given: [minted()],
		when: revoked(),
		expect: [rows([row({ revoked_at: given.at(2), revoked_by: 'agentspace' })])],
	},
	{
		name: 'a second revocation changes nothing',
		given: [minted(), revoked()],
		when: revoked(),
		expect: [rows([row({ revoked_at: given.at(2), revoked_by: 'agentspace' })])],
	},
	{
		name: 'revoking an unknown token writes no row',
		when: revoked('asmcp_zzzzzzzzzzzz'),
		expect: [rows([])],
	},
];

describe('mcpTokensProjection', () => {
	for (const c of cases) {
		it(c.name, async () => {
			const db = await given(c.given ?? [])
				.when(c.when)
				.thenExpect(...c.expect);
			const live = dumpProjections(db);
			rebuildProjections(db);
			expect(dumpProjections(db).mcp_tokens).toEqual(live.mcp_tokens);
		});
	}

	it('refuses a token id of another shape, or a hash that is not sha256', () => {
		const make = (fields: object) =>
			createEvent('mcp_token_minted', {
				project_key: '/p',
				token_id: ID,
				token_hash: HASH,
				expires_at: EXPIRES,
				...fields,
			} as never);
		expect(() => make({ token_id: 'tok_1' })).toThrow(/token_id/);
		expect(() => make({ token_hash: 'secret' })).toThrow(/token_hash/);
	});
});
