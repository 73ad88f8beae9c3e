import type { ChangeActor } from '@agentspace/agents';
import { AgentSpaceError, getOrCreateAuthToken } from '@agentspace/core';
import { recordAuditEvent } from '@agentspace/db';
import type { DaemonService, DaemonServiceContext } from '../daemonService.js';
import type { MethodHandlers } from '../methodTable.js';
import {
	type McpHttpEndpoint,
	type McpHttpEndpointOptions,
	type McpHttpRuntime,
	startMcpHttpEndpoint,
} from './mcpHttpEndpoint.js';
import {
	DEFAULT_MCP_HTTP_PORT,
	MCP_HTTP_METHODS,
	type McpHttpStarted,
	type McpHttpStatus,
} from './mcpHttpMethods.js';
import type { ToolsGateway } from './toolsService.js';

/** Options of {@link mcpHttpService}. */
export interface McpHttpServiceOptions {
	/** The router and catalog sessions are served from (the tools service's gateway()). */
	readonly gateway: () => Promise<ToolsGateway>;
	/** The home's auth token; by default read from the home's store when the endpoint first starts. */
	readonly authToken?: string;
	/** Loads the SDK's HTTP transport on first use; by default a dynamic import of mcpHttpRuntime.ts. */
	readonly loadRuntime?: () => Promise<McpHttpRuntime>;
	/** Limits (tests). */
	readonly limits?: Pick<
		McpHttpEndpointOptions,
		'maxBodyBytes' | 'maxSessions' | 'maxSessionsPerToken' | 'refusalWindowMs' | 'tokenSweepMs'
	>;
}

/** The MCP HTTP endpoint as a daemon service. */
export type McpHttpService = DaemonService<typeof MCP_HTTP_METHODS, McpHttpStatus>;

/**
 * The MCP Streamable HTTP endpoint the daemon hosts on request
 * (`agentspace mcp --http`), like the admin UI: `mcpHttpStart` listens on
 * 127.0.0.1:port (moving there if it listened elsewhere), `mcpHttpStop` stops
 * it; opening and closing are audited (`mcp.http_opened` / `mcp.http_closed`)
 * and run one at a time. The SDK's transport is loaded on the first start.
 */
export function mcpHttpService(options: McpHttpServiceOptions): McpHttpService {
	let context: DaemonServiceContext | undefined;
	let current: McpHttpEndpoint | undefined;
	const log = (line: string) => context?.log(line);
	let queue: Promise<unknown> = Promise.resolve();
	const serially = <T>(work: () => Promise<T>): Promise<T> => {
		const next = queue.then(work, work);
		queue = next.catch(() => {});
		return next;
	};
	const sourceApp = () =>
		context?.sourceApp === undefined ? {} : { sourceApp: context.sourceApp };

	const audit = async (actor: ChangeActor, eventType: string, port: number) => {
		try {
			await recordAuditEvent((context as DaemonServiceContext).db, {
				eventType,
				actor: { type: actor.type, id: actor.id },
				severity: 'security',
				metadata: { address: `127.0.0.1:${port}` },
				...sourceApp(),
			});
		} catch (error) {
			log(`mcp http: could not audit ${eventType}: ${(error as Error).message}`);
		}
	};

	const stop = async (endpoint: McpHttpEndpoint, actor: ChangeActor) => {
		await endpoint.close();
		await audit(actor, 'mcp.http_closed', endpoint.port);
		log(`mcp http: stopped listening on ${endpoint.url}`);
	};

	const start = async (port: number): Promise<McpHttpEndpoint> => {
		const started = context as DaemonServiceContext;
		const homeToken =
			options.authToken ?? (await getOrCreateAuthToken({ home: started.home })).token;
		const [gateway, runtime] = await Promise.all([
			options.gateway(),
			(options.loadRuntime ?? (() => import('./mcpHttpRuntime.js')))(),
		]);
		try {
			return await startMcpHttpEndpoint({
				db: started.db,
				port,
				homeToken,
				gateway,
				runtime,
				log,
				...sourceApp(),
				...options.limits,
			});
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			throw new AgentSpaceError(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`, {
				code: 'CONFLICT',
				hint:
					code === 'EACCES'
						? 'ports below 1024 need privileges: choose another, e.g. agentspace mcp --http --port 3272'
						: 'choose another port: agentspace mcp --http --port <port>',
			});
		}
	};

	const handlers: MethodHandlers<typeof MCP_HTTP_METHODS> = {
		mcpHttpStart: (params) =>
			serially(async (): Promise<McpHttpStarted> => {
				if (context === undefined || context.closing()) {
					throw new AgentSpaceError(
						'the daemon is not serving MCP now (starting or shutting down)',
						{
							code: 'CONFLICT',
							hint: 'try again in a moment: agentspace mcp --http',
						},
					);
				}
				const port = params.port ?? DEFAULT_MCP_HTTP_PORT;
				if (current?.port === port) return { url: current.url, port, started: false };
				const next = await start(port);
				await audit(params.actor, 'mcp.http_opened', port);
				const previous = current;
				current = next;
				log(`mcp http: listening on ${next.url} for ${params.actor.id}`);
				if (previous !== undefined) await stop(previous, params.actor);
				return { url: next.url, port, started: true };
			}),
		mcpHttpStop: (params) =>
			serially(async () => {
				const open = current;
				if (open === undefined) return { closed: false };
				current = undefined;
				await stop(open, params.actor);
				return { closed: true };
			}),
	};

	return {
		name: 'mcp-http',
		methods: MCP_HTTP_METHODS,
		handlers,
		async start(startedContext) {
			context = startedContext;
		},
		status: () => ({ mcpHttpUrl: current?.url ?? null, mcpHttpSessions: current?.sessions() ?? 0 }),
		async close(actor) {
			const open = current;
			current = undefined;
			try {
				if (open !== undefined) await stop(open, actor);
			} catch (error) {
				// The other services are closed whatever happened here.
				log(`mcp http: closing: ${(error as Error).message}`);
			}
			return {};
		},
	};
}
