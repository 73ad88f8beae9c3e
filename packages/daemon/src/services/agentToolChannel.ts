import { type OnToolChannel, type ToolChannelRun, toolCallAllowed } from '@agentspace/agents';
import type { GatewaySession } from '@agentspace/tools';
import type { DaemonService } from '../daemonService.js';
import type { ToolsGateway } from './toolsService.js';

/** Options of {@link agentToolChannelService}. */
export interface AgentToolChannelOptions {
	/** The router and catalog to serve from (the tools service's `gateway()`, loading the runtime on first use). */
	readonly gateway: () => Promise<ToolsGateway>;
}

/** The agents' tool channels as a daemon service, with the hook the supervisor hands them to. */
export interface AgentToolChannelService extends DaemonService<Record<string, never>> {
	/** Given to the supervisor (SharedSuperviseOptions.onToolChannel): each tool:call-approved run's channel. */
	readonly onToolChannel: OnToolChannel;
}

/** Who a run's calls are recorded as: the agent itself, whatever its initialize said. */
function agentCaller(run: ToolChannelRun) {
	return { type: 'agent' as const, id: run.agentId, detail: { runId: run.runId } };
}

/**
 * Serves MCP on each channel the supervisor hands over (a run approved for
 * `tool:call:`; see OnToolChannel): one gateway session per run, its caller
 * the agent (never what its initialize claims), listing and calling only the
 * targets its approved scopes allow (toolCallAllowed) — any other call is
 * refused, recorded in the call log and audited by the gateway. The
 * session's input is bounded (gatewayStreamTransport): an agent sending
 * garbage, a flood or a huge message ends its own session, nothing else. It
 * ends when the run does, or at the daemon's shutdown.
 */
export function agentToolChannelService(options: AgentToolChannelOptions): AgentToolChannelService {
	const sessions = new Set<GatewaySession>();
	let log: (line: string) => void = () => {};
	let closing = false;

	const serve: OnToolChannel = (run, channel) => {
		const where = `agent channel ${run.agentId} (${run.runId})`;
		const serving = async () => {
			const { router, catalog, runtime } = await options.gateway();
			if (closing || channel.stream.destroyed) return;
			const session = await runtime.serveGateway({
				transport: runtime.gatewayStreamTransport(channel.stream, {
					log: (line) => log(`${where}: ${line}`),
				}),
				catalog,
				router,
				callerOf: () => agentCaller(run),
				allows: (target) => toolCallAllowed(run.allowed, target),
				log: (line) => log(`${where}: ${line}`),
			});
			sessions.add(session);
			// The run's end closes its session; a session the agent ended leaves the run alone.
			await Promise.race([session.closed, channel.closed]);
			await session.close();
			sessions.delete(session);
		};
		// Never throws into the supervisor: whatever the channel does stays with it.
		serving().catch((error: unknown) => {
			log(`${where}: ${(error as Error).message}`);
			channel.stream.destroy();
		});
	};

	return {
		name: 'agentChannels',
		methods: {},
		handlers: {},
		onToolChannel: (run, channel) => {
			if (closing) channel.stream.destroy();
			else serve(run, channel);
		},
		async start(context) {
			log = context.log;
		},
		async close() {
			closing = true;
			await Promise.allSettled([...sessions].map((session) => session.close()));
			sessions.clear();
			return {};
		},
	};
}
