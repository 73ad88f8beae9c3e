import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, getAuditEvents, openDb } from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import type { ProviderId } from '../providers.js';
import {
	type StandInOptions,
	type StandInProvider,
	startStandInProvider,
} from '../testing/standInProvider.js';
import { createLlmProxy, type LlmProxy, type LlmProxyOptions } from './createLlmProxy.js';
import type { KeyLimitSetting } from './limitTracker.js';
import type { LlmAuth, LlmCaller } from './llmCaller.js';

/** The real keys the harness stores, by provider. */
export const REAL_KEYS: Partial<Record<ProviderId, string>> = {
	anthropic: 'sk-ant-real-key-0123456789',
	openai: 'sk-openai-real-key-0123456789',
	'openai-compatible:local': 'sk-compat-real-key-0123456789',
};

/** A run token with every provider approved (remembered), and a user key token. */
export const RUN_TOKEN = 'run-session-token-aaaaaaaaaaaa';
export const USER_TOKEN = 'askey_usertoken1.secretpart';

/** A proxy on a real HTTP server in front of a stand-in provider, over a real SQLite home. */
export interface ProxyHarness {
	readonly db: AgentSpaceDb;
	readonly standIn: StandInProvider;
	readonly proxy: LlmProxy;
	/** `http://127.0.0.1:<port>` of the endpoint. */
	readonly url: string;
	readonly port: number;
	/** Callers by presented token; tests add their own. */
	readonly callers: Map<string, LlmCaller>;
	/** Limits by `agent\0provider`. */
	readonly limits: Map<string, KeyLimitSetting>;
	/** Base URLs by provider (default: the stand-in's). */
	readonly baseUrls: Map<ProviderId, string>;
	/** The audit entries of a type, oldest first. */
	audit(type: string): Promise<
		{
			metadata: Readonly<Record<string, unknown>>;
			actorType: string;
			actorId?: string | undefined;
		}[]
	>;
	close(): Promise<void>;
}

/** Starts a harness; `overrides` replace the proxy's options (with `db`, over that database, left open on close). */
export async function startProxyHarness(
	overrides: Partial<LlmProxyOptions> = {},
	standInOptions: StandInOptions = {},
): Promise<ProxyHarness> {
	// A second endpoint over the first one's database stands for a daemon restart.
	const home: TempHome | undefined =
		overrides.db === undefined ? createTempHome('keys-proxy') : undefined;
	const db = overrides.db ?? openDb({ path: join((home as TempHome).home, 'agentspace.db') });
	const standIn = await startStandInProvider(standInOptions);
	const callers = new Map<string, LlmCaller>([
		[
			RUN_TOKEN,
			{
				kind: 'run',
				agentId: 'writer',
				runId: 'run-1',
				providers: [
					{ provider: 'anthropic', remembered: true },
					{ provider: 'openai', remembered: true },
					{ provider: 'ollama', remembered: true },
					{ provider: 'openai-compatible:local', remembered: true },
				],
			},
		],
		[USER_TOKEN, { kind: 'user', tokenId: 'askey_usertoken1', name: 'laptop' }],
	]);
	const limits = new Map<string, KeyLimitSetting>();
	const baseUrls = new Map<ProviderId, string>();
	const proxy = createLlmProxy({
		db,
		readKey: async (provider) => ({
			...(REAL_KEYS[provider] === undefined ? {} : { value: REAL_KEYS[provider] }),
			baseUrl: baseUrls.get(provider) ?? `${standIn.url}/`,
		}),
		limitFor: (agentId, provider) => limits.get(`${agentId}\u0000${provider}`),
		authenticate: (presented): LlmAuth => {
			if (presented === undefined) return { ok: false, refusal: 'no-token' };
			const caller = callers.get(presented);
			return caller === undefined ? { ok: false, refusal: 'wrong-token' } : { ok: true, caller };
		},
		...overrides,
	});
	const server: Server = createServer((req, res) => proxy.handle(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		db,
		standIn,
		proxy,
		url: `http://127.0.0.1:${port}`,
		port,
		callers,
		limits,
		baseUrls,
		async audit(type) {
			// Entries wait up to 10 ms for their group: what ended is read written.
			proxy.flushAudit();
			const entries = await getAuditEvents(db, { type, order: 'asc', limit: 1000 });
			return entries.map((e) => ({
				metadata: e.metadata,
				actorType: e.actor.type,
				...(e.actor.id === null ? {} : { actorId: e.actor.id }),
			}));
		},
		async close() {
			await proxy.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await standIn.close();
			if (home !== undefined) {
				closeDb(db);
				home.cleanup();
			}
		},
	};
}

/** A response as the client saw it: status, headers, and the body's chunks as they arrived. */
export interface ClientResponse {
	readonly status: number;
	readonly headers: IncomingHttpHeaders;
	readonly chunks: readonly string[];
	readonly body: string;
}

/** Sends one request with node:http and collects the answer (whole). */
export function send(
	url: string,
	path: string,
	options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<ClientResponse> {
	return new Promise((resolve, reject) => {
		const body = options.body === undefined ? undefined : JSON.stringify(options.body);
		const req = request(`${url}${path}`, {
			method: options.method ?? 'POST',
			headers: { 'content-type': 'application/json', ...options.headers },
		});
		req.on('response', (res) => {
			const chunks: string[] = [];
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => chunks.push(chunk));
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					chunks,
					body: chunks.join(''),
				}),
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(body);
	});
}
