import type { AgentProtocolChannel, OnProtocolChannel, ProtocolRun } from '@agentspace/agents';
import { AgentSpaceError, loadConfig } from '@agentspace/core';
import type { Actor } from '@agentspace/events';
import type {
	BuiltinToolGroup,
	GatewayCatalog,
	McpAgentSession,
	ToolCaller,
	ToolRouter,
} from '@agentspace/tools';
import type { DaemonService, DaemonServiceContext } from '../daemonService.js';
import type { MethodHandlers } from '../methodTable.js';
import { startCallLogRetention } from './callLogRetention.js';
import { securityModeReader } from './securityModeReader.js';
import { type McpAgentStatus, TOOLS_METHODS, type ToolsStatus } from './toolsMethods.js';

/** What the tools service loads on first use (see toolsRuntime.ts). */
export type ToolsRuntime = typeof import('./toolsRuntime.js');

/** Options of {@link toolsService}. */
export interface ToolsServiceOptions {
	/** How long an MCP agent has to answer `initialize` and list its tools (10 s by default). */
	readonly handshakeTimeoutMs?: number;
	/**
	 * Time between health pings; by default config.json's
	 * `tools.pingIntervalMs` (15 s unless set), read as each agent connects.
	 */
	readonly pingIntervalMs?: number;
	/** Pings missed in a row that make an agent unhealthy (3 by default). */
	readonly missesAllowed?: number;
	/**
	 * A tool call's timeout when it names none; by default config.json's
	 * `tools.callTimeoutMs` (60 s unless set), read when the router is loaded.
	 */
	readonly defaultTimeoutMs?: number;
	/** Days the call log keeps; by default config.json's `tools.callLogRetentionDays`, read at each prune. */
	readonly callLogRetentionDays?: number;
	/** Time between prunes of the call log after the one at start (a day by default). */
	readonly pruneIntervalMs?: number;
	/**
	 * Loads the heavy half (the MCP SDK, Ajv) on first use; by default a
	 * dynamic import of toolsRuntime.ts. Tests pass one that counts loads.
	 */
	readonly loadRuntime?: () => Promise<ToolsRuntime>;
	/**
	 * AgentSpace's own tool groups (`agentspace`, `fleet`), made when the
	 * runtime loads — from the started daemon's context and the runtime (value
	 * imports of @agentspace/tools go through it) — and routed and listed like
	 * agents' tools. None by default.
	 */
	readonly builtins?: (
		context: DaemonServiceContext,
		runtime: ToolsRuntime,
	) => readonly BuiltinToolGroup[];
}

/** What MCP endpoints serve a session from (see serveGateway): one router, one catalog for all of them. */
export interface ToolsGateway {
	readonly router: ToolRouter;
	readonly catalog: GatewayCatalog;
	/** The loaded runtime: serveGateway and gatewayStreamTransport, without a static import of @agentspace/tools. */
	readonly runtime: ToolsRuntime;
}

/** The tool router as a daemon service, with the hook the supervisor hands MCP runs to. */
export interface ToolsService extends DaemonService<typeof TOOLS_METHODS, ToolsStatus> {
	/** Given to the supervisor (SharedSuperviseOptions.onProtocolChannel): each MCP run's channel. */
	readonly onProtocolChannel: OnProtocolChannel;
	/** The router calls go through, once loaded (by the first MCP channel or call). */
	router(): ToolRouter | undefined;
	/**
	 * The router and the gateway catalog every MCP client session lists (made
	 * once, with the router), loading the runtime when needed. The catalog is
	 * refreshed as agents connect, re-list and disconnect.
	 */
	gateway(): Promise<ToolsGateway>;
}

interface Connected {
	readonly session: McpAgentSession;
	health: 'healthy' | 'unhealthy';
	tools: number;
}

// Reasons the session gives when it ended without the agent misbehaving (see connectMcpAgent).
const BENIGN_ENDS: ReadonlySet<string> = new Set([
	'the agent closed its output (it exited)',
	'closed by AgentSpace',
]);

/** A person (the CLI's actor) or the daemon, as the router's caller. */
function callerOf(actor: Actor): ToolCaller {
	return { type: actor.type === 'human' ? 'user' : actor.type, id: actor.id };
}

/**
 * The daemon's MCP client of every running MCP agent, and the router its
 * tools are called through. The supervisor hands it each MCP run's channel:
 * it connects (initialize + tools/list within the handshake timeout; a
 * failure fails the run with the reason), records the tool list (again on
 * list_changed), attaches the session to the router, pings it (an unhealthy
 * agent is failed as unhealthy), and when the session ends clears the run's
 * tools. Everything is per agent: one agent's failure is logged and never
 * reaches another agent or the daemon. It answers `toolsCall`. The MCP
 * client and the router (the SDK, Ajv) are loaded by the first MCP channel or
 * call (toolsRuntime.ts): a daemon that runs no MCP agent never pays for them.
 */
export function toolsService(options: ToolsServiceOptions = {}): ToolsService {
	let context: DaemonServiceContext | undefined;
	let router: ToolRouter | undefined;
	let catalog: GatewayCatalog | undefined;
	const connected = new Map<string, Connected>();
	const log = (line: string) => context?.log(line);
	const sourceApp = () =>
		context?.sourceApp === undefined ? {} : { sourceApp: context.sourceApp };

	let stopRetention: (() => void) | undefined;
	const securityMode = securityModeReader(() => (context as DaemonServiceContext).home, log);

	// config.json's default call timeout; the router's own default if the file does not load now.
	const configuredCallTimeoutMs = (): number | undefined => {
		try {
			return loadConfig({ home: (context as DaemonServiceContext).home }).tools.callTimeoutMs;
		} catch (error) {
			log(`reading the tool call timeout: ${(error as Error).message}`);
			return undefined;
		}
	};

	// config.json's ping interval; the monitor's own default if the file does not load now.
	const configuredPingIntervalMs = (): number | undefined => {
		try {
			return loadConfig({ home: (context as DaemonServiceContext).home }).tools.pingIntervalMs;
		} catch (error) {
			log(`reading the ping interval: ${(error as Error).message}`);
			return undefined;
		}
	};

	// The heavy half, loaded once on first use (see toolsRuntime.ts); a failed
	// load is not kept, so the next channel or call tries again.
	let loading:
		| Promise<{ tools: ToolsRuntime; router: ToolRouter; catalog: GatewayCatalog }>
		| undefined;
	const loaded = () => {
		const startedContext = context;
		if (startedContext === undefined) {
			throw new AgentSpaceError('the daemon has not started its tool router yet', {
				code: 'CONFLICT',
				hint: 'try again in a moment: agentspace daemon status',
			});
		}
		loading ??= (options.loadRuntime ?? (() => import('./toolsRuntime.js')))().then(
			(tools) => {
				const builtins = options.builtins?.(startedContext, tools) ?? [];
				const loadedRouter = new tools.ToolRouter({
					db: startedContext.db,
					securityMode,
					defaultTimeoutMs: options.defaultTimeoutMs ?? configuredCallTimeoutMs(),
					builtins,
				});
				router = loadedRouter;
				// Made with the router (cheap: it reads nothing until a session lists); polls only while a session listens.
				catalog = new tools.GatewayCatalog({
					db: startedContext.db,
					securityMode,
					isRunning: (agentId) => loadedRouter.isRunning(agentId),
					builtins,
					log,
				});
				log('tools: loaded the MCP client and the tool router');
				return { tools, router: loadedRouter, catalog };
			},
			(error: unknown) => {
				loading = undefined;
				throw new AgentSpaceError(
					`the daemon cannot load its MCP client: ${(error as Error).message}`,
					{
						code: 'COMMAND_FAILED',
						hint: 'agentspace was rebuilt or upgraded since the daemon started: agentspace daemon stop && agentspace daemon start',
					},
				);
			},
		);
		return loading;
	};

	// A catalog failing to recompute stays its own problem: the agent's session goes on.
	const refreshCatalog = () => {
		try {
			catalog?.refresh();
		} catch (error) {
			log(`mcp gateway: refreshing the tool catalog: ${(error as Error).message}`);
		}
	};

	const fail = (
		run: ProtocolRun,
		channel: AgentProtocolChannel,
		reason: string,
		unhealthy = false,
	) => {
		log(`mcp ${run.agentId}: failing run ${run.runId}: ${reason}`);
		channel.fail(reason, unhealthy ? { unhealthy: true } : undefined).catch((error: unknown) => {
			log(`mcp ${run.agentId}: could not fail run ${run.runId}: ${(error as Error).message}`);
		});
	};

	const record = (
		recordToolList: ToolsRuntime['recordToolList'],
		session: McpAgentSession,
		tools = session.tools(),
	) => {
		const entry = connected.get(session.agentId);
		if (entry?.session === session) entry.tools = tools.length;
		try {
			const db = (context as DaemonServiceContext).db;
			const listed = recordToolList(db, {
				agentId: session.agentId,
				runId: session.runId,
				tools,
				...sourceApp(),
			});
			if (listed.drifted.length > 0)
				log(
					`mcp ${session.agentId}: held back (drifted): ${listed.drifted.join(', ').slice(0, 500)}`,
				);
		} catch (error) {
			log(`mcp ${session.agentId}: recording its tools: ${(error as Error).message}`);
		}
		// The daemon's own writes do not change the connection's data_version: told here.
		refreshCatalog();
	};

	const connect = async (run: ProtocolRun, channel: AgentProtocolChannel) => {
		if (context === undefined || context.closing()) {
			fail(run, channel, 'the daemon is not hosting tools now (starting or shutting down)');
			return;
		}
		const db = context.db;
		let tools: ToolsRuntime;
		let router: ToolRouter;
		try {
			({ tools, router } = await loaded());
		} catch (error) {
			fail(run, channel, (error as Error).message);
			return;
		}
		let session: McpAgentSession;
		try {
			session = await tools.connectMcpAgent(channel, {
				agentId: run.agentId,
				runId: run.runId,
				log,
				...(options.handshakeTimeoutMs === undefined
					? {}
					: { handshakeTimeoutMs: options.handshakeTimeoutMs }),
			});
		} catch (error) {
			fail(run, channel, (error as Error).message);
			return;
		}
		const entry: Connected = { session, health: 'healthy', tools: session.tools().length };
		connected.set(run.agentId, entry);
		try {
			// What initialize negotiated, kept in the event log (mcpAgents only holds it while connected).
			tools.recordMcpHandshake(db, {
				agentId: session.agentId,
				runId: session.runId,
				protocolVersion: session.protocolVersion,
				serverInfo: session.serverInfo,
				capabilities: session.capabilities,
				...sourceApp(),
			});
		} catch (error) {
			log(`mcp ${session.agentId}: recording its handshake: ${(error as Error).message}`);
		}
		router.attach(session);
		// Recorded once attached: the catalog it refreshes lists the agent's tools as routable.
		record(tools.recordToolList, session);
		log(
			`mcp ${run.agentId}: connected to run ${run.runId} (${session.serverInfo.name} ${session.serverInfo.version}, ${entry.tools} tools)`,
		);
		const unsubscribe = session.onToolsChanged((listed) =>
			record(tools.recordToolList, session, listed),
		);
		const pingIntervalMs = options.pingIntervalMs ?? configuredPingIntervalMs();
		const stopHealth = tools.monitorHealth(session, {
			...(pingIntervalMs === undefined ? {} : { intervalMs: pingIntervalMs }),
			...(options.missesAllowed === undefined ? {} : { missesAllowed: options.missesAllowed }),
			onUnhealthy: (reason) => {
				entry.health = 'unhealthy';
				router.markUnhealthy(run.agentId, reason);
				// No longer routed: MCP clients stop listing its tools now, not when its run has ended.
				refreshCatalog();
				fail(run, channel, reason, true);
			},
		});
		// The process may exit before the session notices (or the other way round): either ends it.
		void channel.closed.then(() => session.close()).catch(() => {});
		const reason = await session.ended;
		stopHealth();
		unsubscribe();
		if (connected.get(run.agentId) === entry) connected.delete(run.agentId);
		// A protocol failure while the agent still runs (garbage, a message over the limit, a flood) ends its run.
		if (!BENIGN_ENDS.has(reason) && entry.health === 'healthy') fail(run, channel, reason);
		try {
			tools.clearAgentTools(db, { agentId: run.agentId, runId: run.runId, reason, ...sourceApp() });
		} catch (error) {
			log(`mcp ${run.agentId}: clearing its tools: ${(error as Error).message}`);
		}
		refreshCatalog();
		log(`mcp ${run.agentId}: run ${run.runId} disconnected: ${reason}`);
	};

	const handlers: MethodHandlers<typeof TOOLS_METHODS> = {
		toolsCall: async (params, call) => {
			log(`tools call ${params.target.slice(0, 300)} for ${params.caller.id}`);
			return (await loaded()).router.callTool(callerOf(params.caller), params.target, params.args, {
				signal: call.signal,
				onProgress: (progress) => call.progress(progress),
				...(params.timeoutMs === undefined ? {} : { timeoutMs: params.timeoutMs }),
			});
		},
	};

	return {
		name: 'tools',
		methods: TOOLS_METHODS,
		handlers,
		onProtocolChannel: (run, channel) => {
			// Never throws into the supervisor: whatever the agent does stays with its run.
			connect(run, channel).catch((error: unknown) => {
				log(`mcp ${run.agentId}: ${(error as Error).message}`);
				fail(run, channel, `the daemon's MCP client failed: ${(error as Error).message}`);
			});
		},
		router: () => router,
		gateway: async () => {
			const { tools, router, catalog } = await loaded();
			return { router, catalog, runtime: tools };
		},
		async start(startedContext) {
			// The router and the MCP client are loaded by the first MCP channel or call, not here.
			context = startedContext;
			stopRetention = startCallLogRetention(startedContext, {
				...(options.callLogRetentionDays === undefined
					? {}
					: { retentionDays: options.callLogRetentionDays }),
				...(options.pruneIntervalMs === undefined ? {} : { intervalMs: options.pruneIntervalMs }),
			});
		},
		status: () => ({
			mcpAgents: [...connected.values()].map(
				(entry): McpAgentStatus => ({
					id: entry.session.agentId,
					runId: entry.session.runId,
					server: {
						name: entry.session.serverInfo.name,
						version: entry.session.serverInfo.version,
					},
					protocolVersion: entry.session.protocolVersion,
					tools: entry.tools,
					health: entry.health,
				}),
			),
		}),
		async close() {
			stopRetention?.();
			stopRetention = undefined;
			// The denials the router still folds are audited now (one count entry per
			// kind): else the last count waited for a write that never comes.
			router?.close();
			catalog?.close();
			// Nothing to stop here: the supervisor, closed next, stops every agent, which
			// ends each session (closing a session first would make its agent exit on
			// its own, recorded as an end rather than a stop).
			return {};
		},
	};
}
