import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
	type AgentSpaceDb,
	closeDb,
	openDb,
	recordAuditEvent,
	withImmediateTransaction,
} from '@agentspace/db';
import { appendToStream, createEvent, rebuildProjections } from '@agentspace/events';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVault } from '../vault/openVault.js';
import type { Vault } from '../vault/vaultTypes.js';
import { addProviderKey } from './addProviderKey.js';
import { fingerprintOf } from './fingerprint.js';
import { keyLimitFor, listKeyLimits, setKeyLimit } from './keyLimits.js';
import { listKeyTokens, mintKeyToken, revokeKeyToken, verifyKeyToken } from './keyTokens.js';
import { keyUsage } from './keyUsage.js';
import { listProviderKeys, readProviderKey } from './listProviderKeys.js';
import { removeProviderKey } from './removeProviderKey.js';
import { rotateProviderKey } from './rotateProviderKey.js';
import { listSecrets, readSecrets, removeSecret, setSecret } from './secrets.js';

const me = { type: 'human', id: 'me' } as const;
const KEY = 'sk-ant-api03-abcdefghijklmnop';
const KEY2 = 'sk-ant-api03-qrstuvwxyz012345';
let temp: TempHome;
let db: AgentSpaceDb;
let vault: Vault;
beforeEach(async () => {
	temp = createTempHome('keys-store');
	db = openDb({ path: join(temp.home, 'agentspace.db') });
	vault = await openVault({ home: temp.home, keychain: false });
});
afterEach(() => {
	closeDb(db);
	temp.cleanup();
});

const audits = (type: string) =>
	(
		db.$client
			.prepare(
				'SELECT actor_id, severity, subject_type, subject_id, metadata FROM audit_log WHERE event_type = ? ORDER BY id',
			)
			.all(type) as { metadata: string }[]
	).map((row) => ({ ...row, metadata: JSON.parse(row.metadata) }));
const count = (sql: string) => db.$client.prepare(sql).pluck().get() as number;
const codeOf = async (work: () => unknown): Promise<string | undefined> => {
	try {
		await work();
	} catch (error) {
		return (error as { code?: string }).code;
	}
	return undefined;
};
/** Every byte under the home (db, wal, vault) that is not the vault file. */
const homeBytesOutsideVault = (): string => {
	db.$client.pragma('wal_checkpoint(TRUNCATE)');
	const parts: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.name !== 'vault.json') parts.push(readFileSync(path, 'latin1'));
		}
	};
	walk(temp.home);
	return parts.join('\n');
};
const addAgent = (agentId: string) =>
	withImmediateTransaction(db, (tx) =>
		appendToStream(tx, [
			createEvent('agent_discovered', {
				project_key: 'agentspace',
				agent_id: agentId,
				name: agentId,
				version: '1.0.0',
				manifest_path: `/agents/${agentId}/agentspace.json`,
				manifest_hash: 'a'.repeat(64),
				permissions_hash: 'b'.repeat(64),
				requested_permissions: [],
			}),
		]),
	);

describe('provider keys', () => {
	it('adds, lists, rotates and removes a key: the value only in the vault, each change audited', async () => {
		const added = await addProviderKey(db, vault, { provider: 'anthropic', value: KEY, actor: me });
		expect(added).toMatchObject({
			provider: 'anthropic',
			fingerprint: fingerprintOf(KEY),
			storage: 'file',
			baseUrl: null,
		});
		expect(fingerprintOf(KEY)).toMatch(/^sha256:[0-9a-f]{12}$/);
		expect(listProviderKeys(db)).toEqual([
			{
				provider: 'anthropic',
				baseUrl: 'https://api.anthropic.com',
				fingerprint: fingerprintOf(KEY),
				storage: 'file',
				addedAt: expect.any(String),
				updatedAt: expect.any(String),
				lastUsedAt: null,
			},
		]);
		expect(await readProviderKey(db, vault, 'anthropic')).toEqual({
			value: KEY,
			baseUrl: 'https://api.anthropic.com',
			fingerprint: fingerprintOf(KEY),
		});
		expect(audits('key_added')).toEqual([
			{
				actor_id: 'me',
				severity: 'security',
				subject_type: 'provider',
				subject_id: 'anthropic',
				metadata: {
					provider: 'anthropic',
					fingerprint: fingerprintOf(KEY),
					storage: 'file',
					baseUrl: null,
				},
			},
		]);
		expect(
			await codeOf(() =>
				addProviderKey(db, vault, { provider: 'anthropic', value: KEY2, actor: me }),
			),
		).toBe('CONFLICT');
		expect(await readProviderKey(db, vault, 'anthropic')).toMatchObject({ value: KEY });

		await rotateProviderKey(db, vault, {
			provider: 'anthropic',
			value: KEY2,
			baseUrl: 'https://llm-gateway.example.com/',
			actor: me,
		});
		expect(await readProviderKey(db, vault, 'anthropic')).toEqual({
			value: KEY2,
			baseUrl: 'https://llm-gateway.example.com',
			fingerprint: fingerprintOf(KEY2),
		});
		expect(audits('key_updated')[0]?.metadata).toMatchObject({
			fingerprint: fingerprintOf(KEY2),
			previousFingerprint: fingerprintOf(KEY),
		});
		// The key_accessed entries the endpoint writes give "last used".
		recordAuditEvent(db, {
			eventType: 'key_accessed',
			subject: { type: 'provider', id: 'anthropic' },
			metadata: { provider: 'anthropic', status: 200 },
			timestamp: '2026-12-06T10:00:00.000Z',
		});
		expect(listProviderKeys(db)[0]?.lastUsedAt).toBe('2026-12-06T10:00:00.000Z');

		const before = listProviderKeys(db);
		rebuildProjections(db);
		expect(listProviderKeys(db)).toEqual(before);
		expect(homeBytesOutsideVault().includes(KEY)).toBe(false);
		expect(homeBytesOutsideVault().includes(KEY2)).toBe(false);

		await removeProviderKey(db, vault, { provider: 'anthropic', actor: me });
		expect(listProviderKeys(db)).toEqual([]);
		expect(await readProviderKey(db, vault, 'anthropic')).toBeUndefined();
		expect(await vault.get({ kind: 'provider-key', name: 'anthropic' })).toBeUndefined();
		expect(audits('key_removed')).toHaveLength(1);
		expect(
			await codeOf(() => removeProviderKey(db, vault, { provider: 'anthropic', actor: me })),
		).toBe('NOT_FOUND');
		expect(
			await codeOf(() =>
				rotateProviderKey(db, vault, { provider: 'anthropic', value: KEY, actor: me }),
			),
		).toBe('NOT_FOUND');
	});

	it('takes ollama as a URL without a key, and openai-compatible only with a base URL', async () => {
		await addProviderKey(db, vault, {
			provider: 'ollama',
			baseUrl: 'http://10.0.0.5:11434',
			actor: me,
		});
		expect(await readProviderKey(db, vault, 'ollama')).toEqual({
			baseUrl: 'http://10.0.0.5:11434',
			fingerprint: fingerprintOf('http://10.0.0.5:11434'),
		});
		expect(
			await codeOf(() =>
				addProviderKey(db, vault, { provider: 'openai-compatible:groq', value: KEY, actor: me }),
			),
		).toBe('VALIDATION_FAILED');
		await addProviderKey(db, vault, {
			provider: 'openai-compatible:groq',
			value: KEY,
			baseUrl: 'https://api.groq.example/openai/v1',
			actor: me,
		});
		expect((await readProviderKey(db, vault, 'openai-compatible:groq'))?.baseUrl).toBe(
			'https://api.groq.example/openai/v1',
		);
		expect(listProviderKeys(db).map((k) => k.provider)).toEqual([
			'ollama',
			'openai-compatible:groq',
		]);
	});

	it('refuses bad input with a clear error and writes nothing, not even to the vault', async () => {
		const bad = [
			{ provider: 'gemini', value: KEY },
			{ provider: 'openai-compatible:Bad_Name', value: KEY, baseUrl: 'https://x.example' },
			{ provider: 'openai' },
			{ provider: 'openai', value: '' },
			{ provider: 'openai', value: 'sk-one\r\nX-Injected: yes' },
			{ provider: 'openai', value: 'sk one' },
			{ provider: 'ollama', value: KEY },
			{ provider: 'openai', value: KEY, baseUrl: 'ftp://x.example' },
			{ provider: 'openai', value: KEY, baseUrl: 'https://user:pass@x.example' },
			{ provider: 'openai', value: KEY, baseUrl: 'https://x.example/?q=1' },
		];
		for (const input of bad) {
			expect(
				await codeOf(() => addProviderKey(db, vault, { ...input, actor: me })),
				JSON.stringify(input),
			).toBe('VALIDATION_FAILED');
		}
		const error = await addProviderKey(db, vault, {
			provider: 'openai',
			value: 'sk one',
			actor: me,
		}).catch((e: Error) => e);
		expect((error as Error).message).not.toContain('sk one');
		expect(count('SELECT count(*) FROM events')).toBe(0);
		expect(count('SELECT count(*) FROM audit_log')).toBe(0);
		expect(await vault.get({ kind: 'provider-key', name: 'openai' })).toBeUndefined();
	});
});

describe('secrets', () => {
	it('sets, replaces, reads and removes secrets: values only in the vault', async () => {
		const first = await setSecret(db, vault, {
			name: 'GH_TOKEN',
			value: 'ghp_first-value',
			actor: me,
		});
		expect(first).toMatchObject({
			replaced: false,
			storage: 'file',
			fingerprint: fingerprintOf('ghp_first-value'),
		});
		const second = await setSecret(db, vault, {
			name: 'GH_TOKEN',
			value: 'ghp_second-value',
			actor: me,
		});
		expect(second.replaced).toBe(true);
		await setSecret(db, vault, { name: 'db.password', value: 'multi\nline value', actor: me });
		expect(listSecrets(db).map((s) => [s.name, s.fingerprint])).toEqual([
			['GH_TOKEN', fingerprintOf('ghp_second-value')],
			['db.password', fingerprintOf('multi\nline value')],
		]);
		expect(await readSecrets(db, vault, ['GH_TOKEN', 'db.password', 'MISSING'])).toEqual({
			GH_TOKEN: 'ghp_second-value',
			'db.password': 'multi\nline value',
		});
		expect(audits('secret_set').map((a) => a.metadata.replaced)).toEqual([false, true, false]);
		expect(homeBytesOutsideVault().includes('second-value')).toBe(false);
		expect(statSync(join(temp.home, 'vault.json')).mode & 0o777).toBe(0o600);

		await removeSecret(db, vault, { name: 'GH_TOKEN', actor: me });
		expect(await readSecrets(db, vault, ['GH_TOKEN'])).toEqual({});
		expect(audits('secret_removed')).toHaveLength(1);
		expect(await codeOf(() => removeSecret(db, vault, { name: 'GH_TOKEN', actor: me }))).toBe(
			'NOT_FOUND',
		);
		for (const [name, value] of [
			['../etc', 'x'],
			['GH_TOKEN', ''],
			['GH_TOKEN', 'a\0b'],
		] as const) {
			expect(await codeOf(() => setSecret(db, vault, { name, value, actor: me }))).toBe(
				'VALIDATION_FAILED',
			);
		}
		const rows = listSecrets(db);
		rebuildProjections(db);
		expect(listSecrets(db)).toEqual(rows);
	});
});

describe('secret bounds', () => {
	it('refuses a second name for the same variable (a-b beside a_b, any case), writing nothing', async () => {
		await setSecret(db, vault, { name: 'deploy-key', value: 'first', actor: me });
		for (const name of ['deploy_key', 'DEPLOY.KEY', 'Deploy-Key']) {
			let error: { code?: string; message?: string; hint?: string } | undefined;
			try {
				await setSecret(db, vault, { name, value: 'second', actor: me });
			} catch (caught) {
				error = caught as typeof error;
			}
			expect(error?.code).toBe('CONFLICT');
			expect(error?.message).toContain('AGENTSPACE_SECRET_DEPLOY_KEY');
			expect(error?.message).toContain('deploy-key');
			expect(error?.message).not.toContain('second');
		}
		expect(listSecrets(db).map((s) => s.name)).toEqual(['deploy-key']);
		expect(audits('secret_set')).toHaveLength(1);
		expect(readFileSync(join(temp.home, 'vault.json'), 'utf8')).not.toContain('second');
		// Replacing the same name is still fine.
		expect(
			(await setSecret(db, vault, { name: 'deploy-key', value: 'third', actor: me })).replaced,
		).toBe(true);
	});

	it('bounds a value in bytes, not characters (an environment variable is bounded in bytes)', async () => {
		const fourByteChars = '\u{1F511}'.repeat(20_000); // 40,000 UTF-16 units, 80,000 bytes
		expect(
			await codeOf(() => setSecret(db, vault, { name: 'wide', value: fourByteChars, actor: me })),
		).toBe('VALIDATION_FAILED');
		expect(listSecrets(db)).toEqual([]);
		const fits = 'x'.repeat(65_536);
		await setSecret(db, vault, { name: 'fits', value: fits, actor: me });
		expect(await readSecrets(db, vault, ['fits'])).toEqual({ fits });
	});
});

describe('key limits', () => {
	it('sets, merges and clears an agent limit; refuses an unknown agent or a bad number', async () => {
		addAgent('writer');
		setKeyLimit(db, { agentId: 'writer', provider: 'openai', rpm: 60, actor: me });
		setKeyLimit(db, { agentId: 'writer', provider: 'openai', tokensPerDay: 100_000, actor: me });
		expect(keyLimitFor(db, 'writer', 'openai')).toEqual({ rpm: 60, tokensPerDay: 100_000 });
		expect(keyLimitFor(db, 'writer', 'anthropic')).toBeUndefined();
		expect(listKeyLimits(db)).toEqual([
			{
				agentId: 'writer',
				provider: 'openai',
				rpm: 60,
				tokensPerDay: 100_000,
				setAt: expect.any(String),
			},
		]);
		expect(audits('key_limit_set').at(-1)).toMatchObject({
			severity: 'info',
			subject_id: 'writer',
			metadata: { provider: 'openai', rpm: 60, perDay: 100_000 },
		});
		const limits = listKeyLimits(db);
		rebuildProjections(db);
		expect(listKeyLimits(db)).toEqual(limits);
		setKeyLimit(db, {
			agentId: 'writer',
			provider: 'openai',
			rpm: null,
			tokensPerDay: null,
			actor: me,
		});
		expect(keyLimitFor(db, 'writer', 'openai')).toBeUndefined();
		const events = count('SELECT count(*) FROM events');
		expect(
			await codeOf(() =>
				setKeyLimit(db, { agentId: 'ghost', provider: 'openai', rpm: 1, actor: me }),
			),
		).toBe('NOT_FOUND');
		for (const rpm of [0, -1, 1.5, 2_000_000_000]) {
			expect(
				await codeOf(() =>
					setKeyLimit(db, { agentId: 'writer', provider: 'openai', rpm, actor: me }),
				),
			).toBe('VALIDATION_FAILED');
		}
		expect(
			await codeOf(() => setKeyLimit(db, { agentId: 'writer', provider: 'openai', actor: me })),
		).toBe('VALIDATION_FAILED');
		expect(count('SELECT count(*) FROM events')).toBe(events);
	});
});

describe('key tokens and usage', () => {
	it('mints askey_ tokens verified until revoked, apart from MCP tokens', () => {
		const minted = mintKeyToken(db, { actor: me, name: 'my-script', lifetimeMs: 3_600_000 });
		expect(minted.token).toMatch(/^askey_[a-z0-9]{12}_[0-9a-f]{64}$/);
		expect(verifyKeyToken(db, minted.token)).toEqual({
			ok: true,
			tokenId: minted.tokenId,
			name: 'my-script',
		});
		expect(verifyKeyToken(db, `${minted.token.slice(0, -1)}x`)).toEqual({
			ok: false,
			refusal: 'wrong-token',
		});
		expect(count('SELECT count(*) FROM mcp_tokens')).toBe(0);
		expect(audits('key_token_minted')[0]).toMatchObject({
			subject_type: 'key-token',
			subject_id: minted.tokenId,
		});
		revokeKeyToken(db, { tokenId: minted.tokenId, actor: me });
		expect(verifyKeyToken(db, minted.token)).toEqual({
			ok: false,
			refusal: 'revoked-token',
			tokenId: minted.tokenId,
		});
		expect(listKeyTokens(db)[0]).toMatchObject({ status: 'revoked', name: 'my-script' });
		expect(homeBytesOutsideVault().includes(minted.token.slice(-64))).toBe(false);
	});

	it('sums key_accessed entries by agent and provider, filtered', () => {
		const access = (metadata: Record<string, unknown>, ts: string) =>
			recordAuditEvent(db, {
				eventType: 'key_accessed',
				subject: { type: 'provider', id: String(metadata.provider) },
				metadata: { status: 200, stream: false, durationMs: 5, path: '/v1/messages', ...metadata },
				timestamp: ts,
			});
		access(
			{ provider: 'anthropic', agentId: 'writer', inputCount: 10, outputCount: 5 },
			'2026-12-01T00:00:00.000Z',
		);
		access(
			{ provider: 'anthropic', agentId: 'writer', inputCount: 7, outputCount: 3 },
			'2026-12-05T00:00:00.000Z',
		);
		access({ provider: 'anthropic', agentId: 'writer', status: 429 }, '2026-12-05T00:00:01.000Z');
		access(
			{ provider: 'openai', mintedId: 'askey_aaaaaaaaaaaa', inputCount: 1, outputCount: 1 },
			'2026-12-05T00:00:02.000Z',
		);
		expect(keyUsage(db)).toEqual({
			rows: [
				{
					agentId: 'writer',
					provider: 'anthropic',
					requests: 3,
					inputTokens: 17,
					outputTokens: 8,
					errors: 1,
				},
				{
					agentId: null,
					provider: 'openai',
					requests: 1,
					inputTokens: 1,
					outputTokens: 1,
					errors: 0,
				},
			],
			totals: { requests: 4, inputTokens: 18, outputTokens: 9, errors: 1 },
		});
		expect(keyUsage(db, { since: '2026-12-02T00:00:00Z', provider: 'anthropic' }).totals).toEqual({
			requests: 2,
			inputTokens: 7,
			outputTokens: 3,
			errors: 1,
		});
		expect(keyUsage(db, { agentId: 'nobody' }).rows).toEqual([]);
		expect(() => keyUsage(db, { since: 'yesterday' })).toThrow(/invalid time/);
		expect(() => keyUsage(db, { provider: 'gemini' })).toThrow(/unknown provider/);
	});
});
