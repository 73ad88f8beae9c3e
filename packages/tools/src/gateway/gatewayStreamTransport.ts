import type { Duplex } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { BoundedStdioTransport } from '../session/boundedStdioTransport.js';
import { SessionLog } from '../session/sessionLog.js';

/**
 * Messages a gateway client may send a second (calls are bounded by the
 * session's maxCallsInFlight instead; this only stops a flood of
 * notifications from holding the daemon's event loop).
 */
export const GATEWAY_MESSAGES_PER_SECOND = 100_000;

/**
 * The server side of a gateway session over a byte stream (a daemon socket
 * upgraded by `mcpConnect`, an agent's inherited socketpair end): MCP's
 * newline-delimited JSON-RPC, with the client's input bounded as an agent's
 * is — no message over MAX_MESSAGE_BYTES is buffered, unparsable lines are
 * dropped and a stream of them ends the session, a flood of messages over
 * {@link GATEWAY_MESSAGES_PER_SECOND} ends it. Closing it ends the stream.
 */
export function gatewayStreamTransport(
	stream: Duplex,
	options: { readonly log: (line: string) => void },
): Transport {
	return new BoundedStdioTransport(stream, stream, {
		log: new SessionLog('mcp gateway: ', options.log),
		maxNotificationsPerSecond: GATEWAY_MESSAGES_PER_SECOND,
	});
}
