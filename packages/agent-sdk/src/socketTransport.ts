import type { Socket } from 'node:net';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * The SDK's Transport over a connected socket, framed as its stdio
 * transports frame (newline-delimited JSON-RPC). The SDK's stdio client
 * transport starts a process of its own; this one speaks over a descriptor
 * the agent was given.
 */
export class SocketTransport implements Transport {
	onclose?: () => void;
	onerror?: (error: Error) => void;
	onmessage?: (message: JSONRPCMessage) => void;
	readonly #socket: Socket;
	readonly #buffer = new ReadBuffer();
	#closed = false;

	constructor(socket: Socket) {
		this.#socket = socket;
	}

	async start(): Promise<void> {
		this.#socket.on('data', (chunk: Buffer) => {
			try {
				this.#buffer.append(chunk);
				for (let message = this.#buffer.readMessage(); message !== null; ) {
					this.onmessage?.(message);
					message = this.#buffer.readMessage();
				}
			} catch (error) {
				this.onerror?.(error as Error);
			}
		});
		this.#socket.on('error', (error) => this.onerror?.(error));
		this.#socket.once('close', () => this.#end());
	}

	send(message: JSONRPCMessage): Promise<void> {
		return new Promise((resolve, reject) => {
			if (this.#closed) {
				reject(new Error('the AgentSpace channel is closed'));
				return;
			}
			this.#socket.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
		});
	}

	async close(): Promise<void> {
		this.#socket.destroy();
		this.#end();
	}

	#end(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.#buffer.clear();
		this.onclose?.();
	}
}
