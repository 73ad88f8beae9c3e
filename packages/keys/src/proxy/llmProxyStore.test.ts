import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, openDb, withImmediateTransaction } from '@agentspace/db';
import { appendToStream, createEvent } from '@agentspace/events';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addProviderKey } from '../store/addProviderKey.js';
import { keyLimitFor, setKeyLimit } from '../store/keyLimits.js';
import { mintKeyToken, revokeKeyToken, verifyKeyToken } from '../store/keyTokens.js';
import { keyUsage } from '../store/keyUsage.js';
import { readProviderKey } from '../store/listProviderKeys.js';
import { type StandInProvider, startStandInProvider } from '../testing/standInProvider.js';
import { fileVault } from '../vault/fileVault.js';
import { createLlmProxy, type LlmProxy } from './createLlmProxy.js';
import type { LlmAuth } from './llmCaller.js';
import { send } from './proxyHarness.testing.js';

const me = { type: 'human', id: 'me' } as const;
const RUN = 'run-session-token-for-store-test';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
	await cleanup?.();
	cleanup = undefined;
});

async function start(): Promise<{
	db: AgentSpaceDb;
	standIn: StandInProvider;
	url: string;
	proxy: LlmProxy;
}> {
	const home: TempHome = createTempHome('keys-proxy-store');
	const db = openDb({ path: join(home.home, 'agentspace.db') });
	const vault = fileVault(join(home.home, 'vault.json'), 'test');
	const standIn = await startStandInProvider();
	await addProviderKey(db, vault, {
		provider: 'anthropic',
		value: 'sk-ant-stored-real-key-0123456789',
		baseUrl: standIn.url,
		actor: me,
	});
	const proxy = createLlmProxy({
		db,
		readKey: (provider) => readProviderKey(db, vault, provider),
		limitFor: (agentId, provider) => keyLimitFor(db, agentId, provider),
		authenticate: (presented): LlmAuth => {
			if (presented === RUN) {
				return {
					ok: true,
					caller: {
						kind: 'run',
						agentId: 'writer',
						runId: 'run-1',
						providers: [{ provider: 'anthropic', remembered: true }],
					},
				};
			}
			const check = verifyKeyToken(db, presented);
			return check.ok
				? { ok: true, caller: { kind: 'user', tokenId: check.tokenId, name: check.name } }
				: { ok: false, refusal: check.refusal };
		},
	});
	const server: Server = createServer((req, res) => proxy.handle(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	cleanup = async () => {
		await proxy.close();
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
		await standIn.close();
		closeDb(db);
		home.cleanup();
	};
	return { db, standIn, proxy, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const body = { model: 'claude-test', max_tokens: 8, messages: [] };

describe('the LLM endpoint over the real store', () => {
	it('sends the vault key, counts usage for keys usage, and obeys a limit set with the store', async () => {
		const { db, standIn, url } = await start();
		const ok = await send(url, '/anthropic/v1/messages', { headers: { 'x-api-key': RUN }, body });
		expect(ok.status).toBe(200);
		expect(standIn.requests[0]?.headers['x-api-key']).toBe('sk-ant-stored-real-key-0123456789');
		// Written with its group, within 10 ms of the response.
		await vi.waitFor(() =>
			expect(keyUsage(db).totals).toMatchObject({ requests: 1, inputTokens: 11, outputTokens: 7 }),
		);
		// The store sets limits for known agents only.
		withImmediateTransaction(db, (tx) =>
			appendToStream(tx, [
				createEvent('agent_discovered', {
					project_key: 'agentspace',
					agent_id: 'writer',
					name: 'writer',
					version: '1.0.0',
					manifest_path: '/agents/writer/agentspace.json',
					manifest_hash: 'a'.repeat(64),
					permissions_hash: 'b'.repeat(64),
					requested_permissions: [],
				}),
			]),
		);
		setKeyLimit(db, { agentId: 'writer', provider: 'anthropic', rpm: 1, actor: me });
		const over = await send(url, '/anthropic/v1/messages', { headers: { 'x-api-key': RUN }, body });
		expect(over.status).toBe(429);
		expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
	});

	it('takes a minted key token (actor: its name) and refuses it once revoked', async () => {
		const { db, url } = await start();
		const minted = mintKeyToken(db, { actor: me, name: 'my-script' });
		const headers = { authorization: `Bearer ${minted.token}` };
		expect((await send(url, '/anthropic/v1/messages', { headers, body })).status).toBe(200);
		revokeKeyToken(db, { actor: me, tokenId: minted.tokenId });
		const refused = await send(url, '/anthropic/v1/messages', { headers, body });
		expect(refused.status).toBe(401);
		expect(JSON.parse(refused.body).error.message).toContain('revoked');
		await vi.waitFor(() =>
			expect(keyUsage(db).rows).toEqual([
				expect.objectContaining({ agentId: null, provider: 'anthropic', requests: 1 }),
			]),
		);
	});
});
