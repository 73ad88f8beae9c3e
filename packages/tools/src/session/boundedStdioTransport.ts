import type { Readable, Writable } from 'node:stream';
import { serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import {
	FLOOD_SECONDS_FATAL,
	MAX_GARBAGE_LINES_PER_SECOND,
	MAX_MESSAGE_BYTES,
	MAX_MESSAGE_DEPTH,
	MAX_NOTIFICATIONS_PER_SECOND,
} from '../limits.js';
import { RateWindow } from './rateWindow.js';
import { printable, type SessionLog } from './sessionLog.js';

/** Options of {@link BoundedStdioTransport}. */
export interface BoundedStdioTransportOptions {
	/** Where problems with the agent's output go (bounded). */
	readonly log: SessionLog;
	/** The largest message accepted; MAX_MESSAGE_BYTES by default. */
	readonly maxMessageBytes?: number;
	/** Unsolicited messages accepted per second; MAX_NOTIFICATIONS_PER_SECOND by default. */
	readonly maxNotificationsPerSecond?: number;
	/**
	 * Sees each message before the SDK does, in arrival order; returning true
	 * consumes it. (The session takes its calls' progress here: the SDK runs
	 * notification handlers a microtask later than it settles a response, so
	 * the last progress before an answer would be lost.)
	 */
	readonly intercept?: (message: JSONRPCMessage) => boolean;
}

/**
 * The MCP SDK's `Transport` over the streams of an agent process someone else
 * started (the supervisor): newline-delimited JSON-RPC, as the SDK's stdio
 * transports speak it, with every untrusted input bounded. A line longer than
 * the message limit fails the transport as soon as it is known to be too long
 * (never buffered past the limit); unparsable lines are logged and dropped,
 * and only a persistent stream of them fails it; unsolicited messages
 * (notifications, the agent's requests) over the per-second allowance are
 * dropped and counted, and a flood that keeps up fails it. A failure closes
 * the transport with `failure` saying why.
 */
export class BoundedStdioTransport implements Transport {
	onclose?: () => void;
	onerror?: (error: Error) => void;
	onmessage?: <T extends JSONRPCMessage>(message: T) => void;

	/** Why the transport failed, when it did (a protocol violation by the agent). */
	failure: string | undefined;
	/** The protocol version the client negotiated (the SDK's Client sets it after initialize). */
	protocolVersion: string | undefined;

	readonly #maxBytes: number;
	readonly #log: SessionLog;
	readonly #intercept: ((message: JSONRPCMessage) => boolean) | undefined;
	readonly #garbage = new RateWindow(MAX_GARBAGE_LINES_PER_SECOND, FLOOD_SECONDS_FATAL);
	readonly #unsolicited: RateWindow;
	readonly #perSecond: number;
	#pending: Buffer[] = [];
	#pendingBytes = 0;
	#closed = false;
	#started = false;

	constructor(
		private readonly fromAgent: Readable,
		private readonly toAgent: Writable,
		options: BoundedStdioTransportOptions,
	) {
		this.#maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
		this.#log = options.log;
		this.#intercept = options.intercept;
		this.#perSecond = options.maxNotificationsPerSecond ?? MAX_NOTIFICATIONS_PER_SECOND;
		this.#unsolicited = new RateWindow(this.#perSecond, FLOOD_SECONDS_FATAL);
	}

	async start(): Promise<void> {
		if (this.#started) throw new Error('BoundedStdioTransport already started');
		this.#started = true;
		this.fromAgent.on('data', this.#onData);
		this.fromAgent.on('end', this.#onEnd);
		this.fromAgent.on('close', this.#onEnd);
		this.fromAgent.on('error', this.#onStreamError);
		this.toAgent.on('error', this.#onStreamError);
		if (this.fromAgent.readableEnded || this.fromAgent.destroyed) this.#onEnd();
	}

	async send(message: JSONRPCMessage): Promise<void> {
		if (this.#closed) throw new Error('the agent session is closed');
		const ok = this.toAgent.write(serializeMessage(message));
		if (ok) return;
		// Back-pressure: wait until the agent reads its stdin (or the session ends).
		await new Promise<void>((resolve) => {
			const done = () => {
				this.toAgent.off('drain', done);
				this.toAgent.off('close', done);
				resolve();
			};
			this.toAgent.on('drain', done);
			this.toAgent.on('close', done);
		});
	}

	/** Bytes of an unfinished line held now (never more than the message limit). */
	get bufferedBytes(): number {
		return this.#pendingBytes;
	}

	setProtocolVersion(version: string): void {
		this.protocolVersion = version;
	}

	/**
	 * Counts one unsolicited message the transport cannot see as such (an answer
	 * to an id never asked, reported by the SDK through onerror) against the
	 * flood allowance.
	 */
	countUnsolicited(): void {
		if (this.#unsolicited.record() === 'fatal') this.fail(this.#floodReason());
	}

	/** Ends the transport because the agent broke the protocol; `reason` becomes {@link failure}. */
	fail(reason: string): void {
		if (this.#closed) return;
		this.failure ??= reason;
		this.#log.line(`session failed: ${reason}`);
		this.onerror?.(new Error(reason));
		void this.close();
	}

	/** Stops reading, ends the agent's stdin (an MCP server exits on it) and reports the close once. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		this.#pending = [];
		this.#pendingBytes = 0;
		this.fromAgent.off('data', this.#onData);
		this.fromAgent.off('end', this.#onEnd);
		this.fromAgent.off('close', this.#onEnd);
		// Keeps an error listener: a late EPIPE/ECONNRESET must not be an uncaught 'error'.
		// Resumed, the pipe is drained and discarded rather than filling up.
		this.fromAgent.resume();
		if (!this.toAgent.writableEnded && !this.toAgent.destroyed) this.toAgent.end();
		this.onclose?.();
	}

	readonly #onStreamError = (error: Error): void => {
		// EPIPE and the like when the agent exits: the close follows; nothing to throw.
		if (!this.#closed) this.#log.problem('stream', `stream error: ${error.message}`);
	};

	readonly #onEnd = (): void => {
		if (this.#closed) return;
		if (this.#pendingBytes > 0)
			this.#log.problem('garbage', 'the agent ended in the middle of a message');
		void this.close();
	};

	readonly #onData = (chunk: Buffer | string): void => {
		let data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		while (!this.#closed) {
			const newline = data.indexOf(0x0a);
			if (newline === -1) {
				if (this.#pendingBytes + data.length > this.#maxBytes) {
					this.fail(this.#tooLong(this.#pendingBytes + data.length));
					return;
				}
				if (data.length > 0) {
					this.#pending.push(data);
					this.#pendingBytes += data.length;
				}
				return;
			}
			const lineBytes = this.#pendingBytes + newline;
			if (lineBytes > this.#maxBytes) {
				this.fail(this.#tooLong(lineBytes));
				return;
			}
			const line =
				this.#pending.length === 0
					? data.subarray(0, newline)
					: Buffer.concat([...this.#pending, data.subarray(0, newline)], lineBytes);
			this.#pending = [];
			this.#pendingBytes = 0;
			data = data.subarray(newline + 1);
			this.#onLine(line);
		}
	};

	#onLine(bytes: Buffer): void {
		const text = bytes.toString('utf8').replace(/\r$/, '');
		if (text.trim() === '') return;
		let message: JSONRPCMessage;
		try {
			if (jsonDepthExceeds(text, MAX_MESSAGE_DEPTH))
				throw new Error(`nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
			const parsed = JSONRPCMessageSchema.safeParse(JSON.parse(text));
			if (!parsed.success) throw new Error('not a JSON-RPC 2.0 message');
			message = parsed.data;
		} catch (error) {
			this.#log.problem(
				'garbage',
				`dropped a line that is not a protocol message (${(error as Error).message}): ${printable(text.slice(0, 120))}`,
			);
			if (this.#garbage.record() === 'fatal')
				this.fail(
					`protocol error: more than ${MAX_GARBAGE_LINES_PER_SECOND} unparsable lines a second on stdout`,
				);
			return;
		}
		if ('method' in message) {
			const verdict = this.#unsolicited.record();
			if (verdict === 'fatal') {
				this.fail(this.#floodReason());
				return;
			}
			if (verdict === 'drop') {
				this.#log.problem(
					'flood',
					`dropped ${message.method}: over ${this.#perSecond} messages a second`,
				);
				return;
			}
		}
		try {
			if (this.#intercept?.(message) === true) return;
			this.onmessage?.(message);
		} catch (error) {
			// The SDK's handlers run here; whatever they throw stays in this session.
			this.#log.problem('handler', `handling a message failed: ${(error as Error).message}`);
		}
	}

	#tooLong(bytes: number): string {
		return `protocol error: message over ${this.#maxBytes} bytes (at least ${bytes})`;
	}

	#floodReason(): string {
		return `protocol error: flood of more than ${this.#perSecond} messages a second (${this.#unsolicited.dropped} dropped)`;
	}
}

/** Whether JSON text nests objects/arrays deeper than `max` (a scan of the text: nothing is parsed or allocated). */
export function jsonDepthExceeds(text: string, max: number): boolean {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c)
				i++; // backslash: skip the escaped character
			else if (c === 0x22) inString = false;
		} else if (c === 0x22) inString = true;
		else if (c === 0x7b || c === 0x5b) {
			if (++depth > max) return true;
		} else if (c === 0x7d || c === 0x5d) depth--;
	}
	return false;
}
