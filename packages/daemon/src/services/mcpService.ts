import type { Duplex } from 'node:stream';
import { AgentSpaceError } from '@agentspace/core';
import type { GatewayClientInfo, GatewaySession, ToolCaller } from '@agentspace/tools';
import type { DaemonService, DaemonServiceContext } from '../daemonService.js';
import type { MethodHandlers } from '../methodTable.js';
import { mcpClientCaller } from './mcpHttpCaller.js';
import { MCP_METHODS, type McpStatus } from './mcpMethods.js';
import type { ToolsGateway } from './toolsService.js';

/** Options of {@link mcpService}. */
export interface McpServiceOptions {
	/** The router and catalog sessions are served from (the tools service's gateway()). */
	readonly gateway: () => Promise<ToolsGateway>;
}

/** The MCP endpoint as a daemon service: `mcpConnect`, and the sessions it serves. */
export type McpService = DaemonService<typeof MCP_METHODS, McpStatus>;

/**
 * Who a stdio session's calls are recorded as: the MCP client (see
 * mcpClientCaller), the transport, and the pid of the `agentspace mcp` it runs.
 */
export function stdioCallerOf(
	client: GatewayClientInfo | undefined,
	pid: number | undefined,
): ToolCaller {
	return mcpClientCaller(client, {
		transport: 'stdio',
		...(pid === undefined ? {} : { pid: String(pid) }),
	});
}

/**
 * The MCP endpoint `agentspace mcp` reaches: each `mcpConnect` becomes one
 * gateway session (serveGateway) over its own connection — the tools of every
 * running MCP agent and the built-in groups, each call routed and recorded
 * with the client as caller. The gateway (the SDK, Ajv) is loaded by the
 * first session, through the tools service. Sessions end when their client
 * goes, and all of them when the daemon shuts down (before the agents stop).
 */
export function mcpService(options: McpServiceOptions): McpService {
	let context: DaemonServiceContext | undefined;
	const sessions = new Set<GatewaySession>();
	const log = (line: string) => context?.log(line);

	const serve = async (stream: Duplex, gateway: ToolsGateway, pid: number | undefined) => {
		const who = pid === undefined ? 'a client' : `pid ${pid}`;
		const transport = gateway.runtime.gatewayStreamTransport(stream, { log });
		const session = await gateway.runtime.serveGateway({
			transport,
			catalog: gateway.catalog,
			router: gateway.router,
			callerOf: (client) => stdioCallerOf(client, pid),
			log,
		});
		sessions.add(session);
		// The transport listens now: what the client sent after its request line is read first.
		stream.resume();
		log(`mcp: session of ${who} opened (${sessions.size} open)`);
		await session.closed;
		sessions.delete(session);
		// The transport ended our side; the peer has nothing more to say to a closed session.
		if (stream.writableFinished) stream.destroy();
		else stream.once('finish', () => stream.destroy());
		log(`mcp: session of ${who} closed`);
	};

	const handlers: MethodHandlers<typeof MCP_METHODS> = {
		mcpConnect: async (params, call) => {
			if (context === undefined || context.closing()) {
				throw new AgentSpaceError('the daemon is not serving MCP now (starting or shutting down)', {
					code: 'CONFLICT',
					hint: 'try again in a moment: agentspace daemon status',
				});
			}
			// Loaded before the answer: a runtime that fails to load is an error answer, and nothing is upgraded.
			const gateway = await options.gateway();
			const upgraded = call.upgrade();
			const pid = params.client.pid;
			upgraded.stream.then(
				(stream) =>
					serve(stream, gateway, pid).catch((error: unknown) => {
						log(`mcp: a session failed: ${(error as Error).message}`);
						stream.destroy();
					}),
				() => {
					// Answered with an error, or the client went away first: no session.
				},
			);
			return { protocol: 'mcp' };
		},
	};

	return {
		name: 'mcp',
		methods: MCP_METHODS,
		handlers,
		async start(startedContext) {
			context = startedContext;
		},
		status: () => ({ mcpSessions: sessions.size }),
		async close() {
			// Before the supervisor stops the agents: clients see the endpoint go, not every tool vanish first.
			await Promise.allSettled([...sessions].map((session) => session.close()));
			sessions.clear();
			return {};
		},
	};
}
