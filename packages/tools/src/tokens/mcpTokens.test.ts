import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrorCode } from '@agentspace/core';
import { closeDb, openDb } from '@agentspace/db';
import { rebuildProjections } from '@agentspace/events';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listMcpTokens } from './listMcpTokens.js';
import { parseMcpTokenLifetime } from './mcpTokenLifetime.js';
import { mcpTokenUsable } from './mcpTokenUsable.js';
import { MAX_ACTIVE_MCP_TOKENS, mintMcpToken } from './mintMcpToken.js';
import { revokeMcpToken } from './revokeMcpToken.js';
import { verifyMcpToken } from './verifyMcpToken.js';

const me = { type: 'human', id: 'me' } as const;
let temp: TempHome;
let db: ReturnType<typeof openDb>;
beforeEach(() => {
	temp = createTempHome('mcp-tokens');
	db = openDb({ path: join(temp.home, 'agentspace.db') });
});
afterEach(() => {
	closeDb(db);
	temp.cleanup();
});

const audits = (type: string) =>
	(
		db.$client
			.prepare(
				`SELECT actor_type, actor_id, severity, subject_type, subject_id, metadata FROM audit_log
				WHERE event_type = ? ORDER BY id`,
			)
			.all(type) as { metadata: string }[]
	).map((row) => ({ ...row, metadata: JSON.parse(row.metadata) }));

const codeOf = (work: () => unknown): string | undefined => {
	try {
		work();
	} catch (error) {
		return (error as { code?: string }).code;
	}
	return undefined;
};

describe('MCP endpoint tokens', () => {
	it('mints a token stored only as its hash, audited, and verified until it expires', () => {
		const t0 = new Date('2026-12-06T10:00:00.000Z');
		const minted = mintMcpToken(db, {
			actor: me,
			name: 'claude-desktop',
			lifetimeMs: 3_600_000,
			now: () => t0,
		});
		expect(minted.token).toMatch(/^asmcp_[a-z0-9]{12}_[0-9a-f]{64}$/);
		expect(minted.token.startsWith(`${minted.tokenId}_`)).toBe(true);
		expect(minted.expiresAt).toBe('2026-12-06T11:00:00.000Z');
		// The secret is nowhere in the database file (events, projection, audit).
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		const secret = minted.token.slice(-64);
		expect(readFileSync(join(temp.home, 'agentspace.db')).includes(secret)).toBe(false);
		expect(listMcpTokens(db, { now: () => t0 })).toEqual([
			{
				tokenId: minted.tokenId,
				name: 'claude-desktop',
				createdAt: expect.any(String),
				createdBy: 'me',
				expiresAt: minted.expiresAt,
				revokedAt: null,
				revokedBy: null,
				status: 'active',
			},
		]);
		expect(audits('mcp.token_minted')).toEqual([
			{
				actor_type: 'human',
				actor_id: 'me',
				severity: 'security',
				subject_type: 'mcp-token',
				subject_id: minted.tokenId,
				metadata: { name: 'claude-desktop', expiresAt: minted.expiresAt },
			},
		]);

		const at = (iso: string) => ({ now: () => new Date(iso) });
		expect(verifyMcpToken(db, minted.token, at('2026-12-06T10:59:59.999Z'))).toEqual({
			ok: true,
			via: 'minted',
			tokenId: minted.tokenId,
			name: 'claude-desktop',
		});
		expect(verifyMcpToken(db, minted.token, at('2026-12-06T11:00:00.000Z'))).toEqual({
			ok: false,
			refusal: 'expired-token',
			tokenId: minted.tokenId,
		});
		expect(listMcpTokens(db, at('2026-12-06T11:00:00.000Z'))[0]?.status).toBe('expired');
		expect(mcpTokenUsable(db, minted.tokenId, new Date('2026-12-06T10:59:59.999Z'))).toBe(true);
		expect(mcpTokenUsable(db, minted.tokenId, new Date('2026-12-06T11:00:00.000Z'))).toBe(false);
		expect(mcpTokenUsable(db, 'asmcp_000000000000', t0)).toBe(false);
	});

	it('refuses a wrong token, one off by a character, and tells no token apart', () => {
		const minted = mintMcpToken(db, { actor: me });
		const last = minted.token.at(-1) === '0' ? '1' : '0';
		for (const wrong of [
			`${minted.token.slice(0, -1)}${last}`,
			'x'.repeat(64),
			`${minted.token}0`,
		]) {
			expect(verifyMcpToken(db, wrong, { homeToken: 'h'.repeat(64) })).toEqual({
				ok: false,
				refusal: 'wrong-token',
			});
		}
		expect(verifyMcpToken(db, undefined)).toEqual({ ok: false, refusal: 'no-token' });
		expect(verifyMcpToken(db, '')).toEqual({ ok: false, refusal: 'no-token' });
		expect(verifyMcpToken(db, 'h'.repeat(64), { homeToken: 'h'.repeat(64) })).toEqual({
			ok: true,
			via: 'home',
		});
	});

	it('revokes once: refused from then on, audited, and replayed to the same rows', () => {
		const minted = mintMcpToken(db, { actor: me });
		expect(verifyMcpToken(db, minted.token).ok).toBe(true);
		revokeMcpToken(db, { tokenId: minted.tokenId, actor: me });
		expect(verifyMcpToken(db, minted.token)).toEqual({
			ok: false,
			refusal: 'revoked-token',
			tokenId: minted.tokenId,
		});
		expect(audits('mcp.token_revoked')).toHaveLength(1);
		expect(mcpTokenUsable(db, minted.tokenId)).toBe(false);
		expect(codeOf(() => revokeMcpToken(db, { tokenId: minted.tokenId, actor: me }))).toBe(
			'CONFLICT',
		);
		expect(codeOf(() => revokeMcpToken(db, { tokenId: 'asmcp_000000000000', actor: me }))).toBe(
			'NOT_FOUND',
		);
		expect(codeOf(() => revokeMcpToken(db, { tokenId: minted.token, actor: me }))).toBe(
			'VALIDATION_FAILED',
		);
		const before = listMcpTokens(db);
		rebuildProjections(db);
		expect(listMcpTokens(db)).toEqual(before);
		expect(before[0]).toMatchObject({ status: 'revoked', revokedBy: 'me' });
	});

	it('refuses a bad name or lifetime, and more usable tokens than the cap, writing nothing', () => {
		expect(codeOf(() => mintMcpToken(db, { actor: me, name: 'a\nb' }))).toBe('VALIDATION_FAILED');
		expect(codeOf(() => mintMcpToken(db, { actor: me, lifetimeMs: 1000 }))).toBe(
			'VALIDATION_FAILED',
		);
		expect(listMcpTokens(db)).toEqual([]);
		for (let i = 0; i < MAX_ACTIVE_MCP_TOKENS; i += 1) mintMcpToken(db, { actor: me });
		let caught: unknown;
		try {
			mintMcpToken(db, { actor: me });
		} catch (error) {
			caught = error;
		}
		expect(hasErrorCode(caught, 'CONFLICT')).toBe(true);
		expect(listMcpTokens(db)).toHaveLength(MAX_ACTIVE_MCP_TOKENS);
	});

	it('parses lifetimes in minutes, hours and days, up to a year', () => {
		expect(parseMcpTokenLifetime('90m')).toBe(90 * 60_000);
		expect(parseMcpTokenLifetime('24h')).toBe(86_400_000);
		expect(parseMcpTokenLifetime('365d')).toBe(365 * 86_400_000);
		for (const bad of ['0h', '366d', '1w', '', '-1d', '1.5h', 'never']) {
			expect(
				codeOf(() => parseMcpTokenLifetime(bad)),
				bad,
			).toBe('VALIDATION_FAILED');
		}
	});
});
