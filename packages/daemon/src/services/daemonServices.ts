import type { HostedUiFactory } from '../hostedUi.js';
import { agentspaceToolGroup } from './agentspaceTools.js';
import { agentToolChannelService } from './agentToolChannel.js';
import { type KeysServiceOptions, keysService } from './keysService.js';
import { type McpHttpServiceOptions, mcpHttpService } from './mcpHttpService.js';
import { mcpService } from './mcpService.js';
import { type SupervisorService, supervisorService } from './supervisorService.js';
import { type ToolsServiceOptions, toolsService } from './toolsService.js';
import { uiService } from './uiService.js';

/** Options of {@link daemonServices}. */
export interface DaemonServicesOptions {
	/** The daemon's environment: PATH, LANG, TZ (and approved variables) for the runs it starts itself. */
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly userHome?: string;
	/** How sandboxed runs are started (see superviseAgent). */
	readonly sandboxHostScript?: string;
	/** The web UI it can host (`agentspace ui`); without one, `ui` requests are refused. */
	readonly ui?: HostedUiFactory;
	/** The tool router's timings (handshake, pings, call timeout); defaults otherwise. */
	readonly tools?: ToolsServiceOptions;
	/** The MCP HTTP endpoint's token and limits; by default the home's token, read when it first starts. */
	readonly mcpHttp?: Omit<McpHttpServiceOptions, 'gateway'>;
	/** The LLM endpoint's approval timeout and vault (tests); its address is the config's apiEndpoint. */
	readonly keys?: KeysServiceOptions;
}

/**
 * The services of the daemon `agentspace daemon` runs, in the order they
 * start (and the reverse of the order they close): the supervisor, the tool
 * router, which the supervisor hands each MCP run's channel (runs start
 * once every service has started), the MCP endpoint (`agentspace mcp`), whose
 * sessions are served from the tool router (closed before the agents stop),
 * then the admin UI, which runs and stops agents through the supervisor,
 * and the LLM endpoint (`apiEndpoint`), whose address and run registry the
 * supervisor uses for the runs it starts.
 * Its methods are DAEMON_METHODS.
 */
export function daemonServices(options: DaemonServicesOptions) {
	const { ui, tools: toolsOptions, mcpHttp, keys: keysOptions, ...supervised } = options;
	// The LLM endpoint: the supervisor gives runs its address and registers their tokens with it.
	const keys = keysService(keysOptions);
	// AgentSpace's own tools (agentspace__…, fleet__…), made when the router first loads:
	// the agentspace group starts and stops agents through this daemon's supervisor.
	const tools = toolsService({
		...toolsOptions,
		builtins:
			toolsOptions?.builtins ??
			((context, runtime) => [
				agentspaceToolGroup({
					db: context.db,
					home: context.home,
					launcher: supervisor.launcher,
					log: context.log,
				}),
				runtime.fleetToolGroup({ db: context.db }),
			]),
	});
	// Agents approved for tool:call are MCP clients of the same gateway, over their inherited fd.
	const agentChannels = agentToolChannelService({ gateway: tools.gateway });
	const supervisor: SupervisorService = supervisorService({
		...supervised,
		onProtocolChannel: tools.onProtocolChannel,
		onToolChannel: agentChannels.onToolChannel,
		llm: keys.supervision,
	});
	return [
		supervisor,
		tools,
		agentChannels,
		mcpService({ gateway: tools.gateway }),
		// `agentspace mcp --http`: the same gateway over Streamable HTTP on 127.0.0.1, started on request.
		mcpHttpService({ ...mcpHttp, gateway: tools.gateway }),
		uiService({ launcher: supervisor.launcher, ...(ui === undefined ? {} : { ui }) }),
		// Last: it listens once the rest has started (runs start after that), and closes first.
		keys,
	] as const;
}
