import type { IncomingMessage, ServerResponse } from 'node:http';
import { AgentSpaceError, loadConfig } from '@agentspace/core';
import type { LlmAuth, LlmGrant, LlmProxy, ProviderId, Vault } from '@agentspace/keys';
import type { DaemonService, DaemonServiceContext } from '../daemonService.js';
import type { MethodHandlers } from '../methodTable.js';
import { LlmUseApprovals } from './keysApprovals.js';
import { type LlmEndpointListener, listenLlmEndpoint } from './keysEndpoint.js';
import { KEYS_METHODS, type KeysStatus, type LlmEndpointStatus } from './keysMethods.js';
import { type RegisteredRunCredentials, RunRegistry } from './keysRunRegistry.js';
import { securityModeReader } from './securityModeReader.js';

/** What the service uses of `@agentspace/keys` (loaded when the daemon starts). */
export type KeysRuntime = typeof import('@agentspace/keys');

/** Options of {@link keysService}. */
export interface KeysServiceOptions {
	/** How long a run's first use of a provider waits for `agentspace keys approve` (120 s by default). */
	readonly approvalTimeoutMs?: number;
	/** Whether the vault may use the OS keychain (default: as openVault decides). */
	readonly keychain?: boolean;
	/** Loads `@agentspace/keys`; a dynamic import unless given. */
	readonly loadRuntime?: () => Promise<KeysRuntime>;
}

/** What the supervisor is given of the endpoint for the runs it starts (SharedSuperviseOptions' fields). */
export interface KeysSupervision {
	/** Where runs reach the endpoint, when it serves (read when the supervisor starts, after this service). */
	endpoint(): { readonly port: number; readonly socketPath: string } | undefined;
	/** Registers a run's session token; the returned function releases it when the run ends. */
	onRunCredentials(run: RegisteredRunCredentials): () => void;
	/** Values of approved `secret:read:` secrets from the vault; missing ones (or no vault) are left out. */
	resolveSecrets(names: readonly string[]): Promise<Readonly<Record<string, string>>>;
}

/** The LLM endpoint as a daemon service, with what the supervisor needs of it. */
export interface KeysService extends DaemonService<typeof KEYS_METHODS, KeysStatus> {
	readonly supervision: KeysSupervision;
}

/**
 * The local LLM endpoint (`apiEndpoint`, 127.0.0.1:3271 by default), started
 * with the daemon: listens on the configured TCP port and on the daemon's
 * LLM socket (for sandboxed runs' bridges) and, on the first request, opens
 * the vault and makes the proxy (`createLlmProxy`). A port in use leaves it
 * `failed` with the reason — the daemon serves on; a vault that does not
 * open answers 503 (tried again on the next request). Callers are
 * runs, by the session token the supervisor registers here before each run
 * starts (refused as `ended-run` once it ended), then key tokens
 * (`agentspace keys token`). In `limited-control` a run's first use of a
 * provider waits for `agentspace keys approve` (LlmUseApprovals).
 */
export function keysService(options: KeysServiceOptions = {}): KeysService {
	const registry = new RunRegistry();
	let context: DaemonServiceContext | undefined;
	let proxy: LlmProxy | undefined;
	let listener: LlmEndpointListener | undefined;
	let approvals: LlmUseApprovals | undefined;
	let where = { host: '127.0.0.1', port: 3271, socketPath: '' };
	let state: { state: LlmEndpointStatus['state']; reason?: string } = { state: 'stopped' };
	const log = (line: string) => context?.log(line);
	const sourceApp = () =>
		context?.sourceApp === undefined ? {} : { sourceApp: context.sourceApp };

	// Read per request, at most once a second from the file (as the tool router does).
	const securityMode = securityModeReader(
		() => (context as DaemonServiceContext).home,
		(line) => log(`keys: ${line}`),
	);

	const grantsOf = (llm: RegisteredRunCredentials['llm'], keys: KeysRuntime): LlmGrant[] => {
		const grants: LlmGrant[] = [];
		for (const grant of llm) {
			try {
				grants.push({ provider: keys.parseProvider(grant.provider), remembered: grant.remembered });
			} catch {
				// Not a provider the endpoint knows: no grant (the proxy refuses its use as not approved).
			}
		}
		return grants;
	};

	const authenticate = (presented: string | undefined, keys: KeysRuntime): LlmAuth => {
		if (presented === undefined || presented === '') return { ok: false, refusal: 'no-token' };
		const found = registry.lookup(presented);
		if (found.found === 'live') {
			const { run } = found;
			return {
				ok: true,
				caller: {
					kind: 'run',
					agentId: run.agentId,
					runId: run.runId,
					providers: grantsOf(run.llm, keys),
				},
			};
		}
		if (found.found === 'ended') return { ok: false, refusal: 'ended-run' };
		const check = keys.verifyKeyToken((context as DaemonServiceContext).db, presented);
		if (check.ok) {
			return { ok: true, caller: { kind: 'user', tokenId: check.tokenId, name: check.name } };
		}
		return { ok: false, refusal: check.refusal };
	};

	const status = (): LlmEndpointStatus => ({
		state: state.state,
		url: `http://${where.host}:${where.port}`,
		port: where.port,
		socketPath: where.socketPath,
		...(state.reason === undefined ? {} : { reason: state.reason }),
		requests: proxy?.stats().requests ?? 0,
		pending: approvals?.pending().length ?? 0,
	});

	const failed = (reason: string) => {
		state = { state: 'failed', reason };
		log(`keys: the LLM endpoint is not serving: ${reason}`);
	};

	const handlers: MethodHandlers<typeof KEYS_METHODS> = {
		keysStatus: async () => status(),
		keysPending: async () => ({ pending: approvals?.pending() ?? [] }),
		keysApprove: async (params) => {
			if (approvals === undefined) {
				throw new AgentSpaceError('the daemon has not started its LLM endpoint', {
					code: 'CONFLICT',
					hint: 'see why: agentspace keys serve',
				});
			}
			const provider = (await loadRuntime()).parseProvider(params.provider);
			return approvals.decide({
				agentId: params.agentId,
				provider,
				deny: params.deny === true,
				actor: params.actor,
			});
		},
	};

	// `@agentspace/keys`, the vault and the proxy load on first use (the first request, a
	// run's secrets, an approval): a daemon nobody asks for a provider does not carry them
	// (~5 MB of its idle memory: the https client, the keychain). A failed load is not kept.
	let runtimeLoading: Promise<KeysRuntime> | undefined;
	const loadRuntime = (): Promise<KeysRuntime> => {
		runtimeLoading ??= (options.loadRuntime ?? (() => import('@agentspace/keys')))().catch(
			(error: unknown) => {
				runtimeLoading = undefined;
				throw error;
			},
		);
		return runtimeLoading;
	};
	let vaultOpening: Promise<Vault> | undefined;
	const openVault = (): Promise<Vault> => {
		const started = context as DaemonServiceContext;
		vaultOpening ??= loadRuntime()
			.then((keys) =>
				keys.openVault({
					home: started.home,
					...(options.keychain === undefined ? {} : { keychain: options.keychain }),
				}),
			)
			.catch((error: unknown) => {
				vaultOpening = undefined;
				throw error;
			});
		return vaultOpening;
	};
	let proxyLoading: Promise<LlmProxy> | undefined;
	const loadProxy = (): Promise<LlmProxy> => {
		proxyLoading ??= (async () => {
			const started = context as DaemonServiceContext;
			const gate = approvals as LlmUseApprovals;
			const [keys, opened] = await Promise.all([loadRuntime(), openVault()]);
			const db = started.db;
			// The key's value is kept in memory by its fingerprint: the vault is not read per request.
			const readKey = keys.providerKeyReader(db, opened);
			proxy = keys.createLlmProxy({
				db,
				readKey,
				limitFor: (agentId: string, provider: ProviderId) =>
					keys.keyLimitFor(db, agentId, provider),
				authenticate: (presented) => authenticate(presented, keys),
				approveFirstUse: (caller, provider, signal) =>
					gate.approveFirstUse(
						{ agentId: caller.agentId, runId: caller.runId, llm: caller.providers },
						provider,
						signal,
					),
				log,
				...sourceApp(),
			});
			log('keys: loaded the LLM proxy and opened the vault');
			return proxy;
		})().catch((error: unknown) => {
			proxyLoading = undefined;
			throw error;
		});
		return proxyLoading;
	};

	const handle = (req: IncomingMessage, res: ServerResponse): void => {
		if (proxy !== undefined) {
			proxy.handle(req, res);
			return;
		}
		// The request's body waits, unread, until the proxy reads it.
		loadProxy().then(
			(loaded) => loaded.handle(req, res),
			(error: unknown) => {
				log(`keys: the LLM proxy cannot start: ${(error as Error).message}`);
				req.resume();
				if (res.headersSent) return void res.end();
				// The reason (a vault file's path, a keychain's message) is the daemon log's, not the caller's.
				const body = JSON.stringify({
					error: {
						type: 'api_error',
						message:
							"agentspace: the LLM endpoint cannot start; run `agentspace doctor`, and see the daemon's log for why",
					},
				});
				res.writeHead(503, {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
				});
				res.end(body);
			},
		);
	};

	const start = async (started: DaemonServiceContext) => {
		approvals = new LlmUseApprovals({
			db: started.db,
			securityMode,
			log,
			...sourceApp(),
			...(options.approvalTimeoutMs === undefined ? {} : { timeoutMs: options.approvalTimeoutMs }),
		});
		const gate = approvals;
		registry.onEnded((run) => gate.endRun(run.runId));
		try {
			listener = await listenLlmEndpoint({ ...where, handle });
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			failed(
				code === 'EADDRINUSE'
					? `port ${where.port} is in use (set another: agentspace config set apiEndpoint.port <port>, then restart the daemon)`
					: code === 'EACCES'
						? `cannot listen on port ${where.port}: ports below 1024 need privileges`
						: (error as Error).message,
			);
			return;
		}
		state = { state: 'serving' };
		log(`keys: the LLM endpoint serves ${status().url} and ${where.socketPath}`);
	};

	return {
		name: 'keys',
		methods: KEYS_METHODS,
		handlers,
		supervision: {
			endpoint: () =>
				state.state === 'serving' ? { port: where.port, socketPath: where.socketPath } : undefined,
			onRunCredentials: (run) => registry.register(run),
			resolveSecrets: async (names) => {
				if (names.length === 0 || context === undefined) return {};
				// A vault that does not open passes nothing (the run's log names what was not passed).
				try {
					const [keys, opened] = await Promise.all([loadRuntime(), openVault()]);
					return await keys.readSecrets(context.db, opened, names);
				} catch (error) {
					log(`keys: reading secrets for a run: ${(error as Error).message}`);
					return {};
				}
			},
		},
		async start(startedContext) {
			context = startedContext;
			where = { ...where, socketPath: startedContext.paths.llmSocket };
			try {
				const { apiEndpoint } = loadConfig({ home: startedContext.home });
				where = { ...where, host: apiEndpoint.host, port: apiEndpoint.port };
				await start(startedContext);
			} catch (error) {
				// Whatever went wrong here (a config that does not load), the daemon serves on.
				failed((error as Error).message);
			}
		},
		status: () => ({ llmEndpoint: status() }),
		async close() {
			approvals?.close();
			const open = listener;
			listener = undefined;
			try {
				await open?.close();
				const loaded = await proxyLoading?.catch(() => undefined);
				await loaded?.close();
			} catch (error) {
				log(`keys: closing: ${(error as Error).message}`);
			}
			if (state.state === 'serving') state = { state: 'stopped' };
			return {};
		},
	};
}
