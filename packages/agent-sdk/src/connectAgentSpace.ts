import { Socket } from 'node:net';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { AgentSpaceChannelError } from './agentSpaceChannelError.js';
import { SocketTransport } from './socketTransport.js';

/** The variable AgentSpace names a run's channel descriptor in. */
export const AGENTSPACE_MCP_FD = 'AGENTSPACE_MCP_FD';

/** Options of {@link connectAgentSpace}. */
export interface ConnectAgentSpaceOptions {
	/** Where AGENTSPACE_MCP_FD and AGENTSPACE_AGENT_ID are read; `process.env` by default. */
	readonly env?: Readonly<Record<string, string | undefined>>;
	/** How the client names itself in initialize; the agent's id by default. */
	readonly clientInfo?: { readonly name: string; readonly version: string };
	/** The SDK Client's options (capabilities…). */
	readonly clientOptions?: ClientOptions;
	/** How long initialize may take, in ms (the SDK's default otherwise). */
	readonly timeoutMs?: number;
}

const NOT_APPROVED =
	'this agent was not approved for tool:call, or runs outside the daemon (a foreground run has no channel)';

/** The descriptor AGENTSPACE_MCP_FD names, or why there is none. */
function channelFd(env: Readonly<Record<string, string | undefined>>): number {
	const text = env[AGENTSPACE_MCP_FD];
	if (text === undefined || text === '') {
		throw new AgentSpaceChannelError(
			`${AGENTSPACE_MCP_FD} is not set: ${NOT_APPROVED}`,
			'NO_CHANNEL',
			'request tool:call:<agent>/<tool> in agentspace.agent.json, have it approved (agentspace agents enable), and start the agent with the daemon (agentspace agents run)',
		);
	}
	if (!/^[0-9]{1,9}$/.test(text) || Number(text) < 3) {
		throw new AgentSpaceChannelError(
			`${AGENTSPACE_MCP_FD} is ${JSON.stringify(text.slice(0, 40))}, not a descriptor number of 3 or more`,
			'BAD_CHANNEL',
			'leave the variable as AgentSpace sets it',
		);
	}
	return Number(text);
}

/**
 * Connects to AgentSpace over the channel the daemon gives a run approved
 * for `tool:call:` (the descriptor named by AGENTSPACE_MCP_FD) and resolves
 * with the SDK `Client`, initialized. It lists and calls exactly the tools
 * the agent was approved for (`<agent>__<tool>`, `fleet__*`…), as the
 * agent. Throws an {@link AgentSpaceChannelError} when there is no channel.
 */
export async function connectAgentSpace(options: ConnectAgentSpaceOptions = {}): Promise<Client> {
	const env = options.env ?? process.env;
	const fd = channelFd(env);
	let socket: Socket;
	try {
		socket = new Socket({ fd, readable: true, writable: true });
	} catch (error) {
		throw new AgentSpaceChannelError(
			`descriptor ${fd} (${AGENTSPACE_MCP_FD}) cannot be used: ${(error as Error).message}`,
			'BAD_CHANNEL',
			`${NOT_APPROVED}; connect once per run — the channel is one connection`,
		);
	}
	const client = new Client(
		options.clientInfo ?? { name: env.AGENTSPACE_AGENT_ID ?? 'agentspace-agent', version: '0.0.0' },
		options.clientOptions,
	);
	try {
		await client.connect(
			new SocketTransport(socket),
			options.timeoutMs === undefined ? undefined : { timeout: options.timeoutMs },
		);
	} catch (error) {
		socket.destroy();
		throw new AgentSpaceChannelError(
			`initialize over descriptor ${fd} failed: ${(error as Error).message}`,
			'CONNECT_FAILED',
			'the daemon may have stopped, or the channel was used already: connect once per run',
		);
	}
	return client;
}
