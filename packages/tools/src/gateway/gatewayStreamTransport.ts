import type { Duplex } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { MAX_MESSAGE_BYTES } from '../limits.js';
import { BoundedStdioTransport } from '../session/boundedStdioTransport.js';
import { SessionLog } from '../session/sessionLog.js';

/**
 * Messages a gateway client may send a second (calls are bounded by the
 * session's maxCallsInFlight instead; this only stops a flood of
 * notifications from holding the daemon's event loop).
 */
export const GATEWAY_MESSAGES_PER_SECOND = 100_000;

/**
 * The most bytes of answers held for a client that does not read them (four
 * of the largest messages): past it the session ends, rather than the daemon
 * buffering without end for one client.
 */
export const MAX_GATEWAY_WRITE_BUFFER = 4 * MAX_MESSAGE_BYTES;

/** Options of {@link gatewayStreamTransport}. */
export interface GatewayStreamTransportOptions {
	/** Where problems with the client's input go (bounded lines, each kind logged a few times). */
	readonly log: (line: string) => void;
	/** {@link MAX_GATEWAY_WRITE_BUFFER} unless given (tests). */
	readonly maxWriteBufferBytes?: number;
}

/**
 * The server side of a gateway session over a byte stream (a daemon socket
 * upgraded by `mcpConnect`, an agent's inherited socketpair end): MCP's
 * newline-delimited JSON-RPC, with the client's input bounded as an agent's
 * output is — no message over MAX_MESSAGE_BYTES is buffered, unparsable lines
 * are dropped and a stream of them ends the session, a flood of messages over
 * {@link GATEWAY_MESSAGES_PER_SECOND} ends it — and its output too: a client
 * that leaves more than {@link MAX_GATEWAY_WRITE_BUFFER} bytes unread is cut
 * off. Closing it ends the stream.
 */
export function gatewayStreamTransport(
	stream: Duplex,
	options: GatewayStreamTransportOptions,
): Transport {
	return new GatewayStreamTransport(stream, options);
}

class GatewayStreamTransport extends BoundedStdioTransport {
	readonly #stream: Duplex;
	readonly #maxWriteBuffer: number;

	constructor(stream: Duplex, options: GatewayStreamTransportOptions) {
		super(stream, stream, {
			log: new SessionLog('mcp gateway: ', options.log),
			maxNotificationsPerSecond: GATEWAY_MESSAGES_PER_SECOND,
		});
		this.#stream = stream;
		this.#maxWriteBuffer = options.maxWriteBufferBytes ?? MAX_GATEWAY_WRITE_BUFFER;
	}

	override async send(message: JSONRPCMessage): Promise<void> {
		if (this.#stream.writableLength > this.#maxWriteBuffer) {
			const reason = `the client left over ${this.#maxWriteBuffer} bytes of answers unread`;
			this.fail(reason);
			throw new Error(reason);
		}
		return super.send(message);
	}
}
