import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { BoundedStdioTransport, jsonDepthExceeds } from './boundedStdioTransport.js';
import { SessionLog } from './sessionLog.js';

function transportOver(options: { maxMessageBytes?: number } = {}) {
	const fromAgent = new PassThrough();
	const toAgent = new PassThrough();
	const log: string[] = [];
	const transport = new BoundedStdioTransport(fromAgent, toAgent, {
		log: new SessionLog('', (line) => log.push(line)),
		...options,
	});
	const messages: JSONRPCMessage[] = [];
	const errors: string[] = [];
	let closed = 0;
	transport.onmessage = (message) => messages.push(message);
	transport.onerror = (error) => errors.push(error.message);
	transport.onclose = () => closed++;
	return { fromAgent, toAgent, transport, messages, errors, log, closed: () => closed };
}

/** Lets the stream deliver what was written (a PassThrough emits data asynchronously). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const ping = (id: number) => `${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })}`;

describe('BoundedStdioTransport', () => {
	it('reads newline-delimited messages split across chunks, several in one chunk, with CRLF and blank lines', async () => {
		const { fromAgent, transport, messages } = transportOver();
		await transport.start();
		const text = `${ping(1)}\n\n${ping(2)}\r\n${ping(3)}\n`;
		fromAgent.write(text.slice(0, 10));
		fromAgent.write(text.slice(10, 50));
		fromAgent.write(text.slice(50));
		await settle();
		expect(messages.map((m) => ('id' in m ? m.id : undefined))).toEqual([1, 2, 3]);
	});

	it('holds at most the message limit of an unfinished line, and fails as soon as a line would pass it', async () => {
		const { fromAgent, transport, errors, closed } = transportOver({ maxMessageBytes: 1000 });
		await transport.start();
		fromAgent.write('x'.repeat(990));
		await settle();
		expect(transport.bufferedBytes).toBe(990);
		expect(transport.failure).toBeUndefined();
		fromAgent.write('x'.repeat(20));
		await settle();
		expect(transport.failure).toBe('protocol error: message over 1000 bytes (at least 1010)');
		expect(errors).toEqual(['protocol error: message over 1000 bytes (at least 1010)']);
		expect(transport.bufferedBytes).toBe(0);
		expect(closed()).toBe(1);
		// No longer read: what follows is discarded, not buffered.
		fromAgent.write('x'.repeat(100_000));
		await settle();
		expect(transport.bufferedBytes).toBe(0);
	});

	it('accepts a line of exactly the limit, and refuses one byte more even when it arrives whole', async () => {
		const line = ping(7);
		const { fromAgent, transport, messages } = transportOver({ maxMessageBytes: line.length });
		await transport.start();
		fromAgent.write(`${line}\n`);
		await settle();
		expect(messages).toHaveLength(1);
		fromAgent.write(`${line} \n`);
		await settle();
		expect(transport.failure).toMatch(/message over \d+ bytes/);
	});

	it('drops and logs lines that are not JSON-RPC, and goes on', async () => {
		const { fromAgent, transport, messages, log } = transportOver();
		await transport.start();
		fromAgent.write(`not json\n{"jsonrpc":"1.0"}\n${ping(1)}\n`);
		await settle();
		expect(messages).toHaveLength(1);
		expect(log).toHaveLength(2);
		expect(transport.failure).toBeUndefined();
	});

	it('keeps a failing message handler inside the session', async () => {
		const { fromAgent, transport, log } = transportOver();
		await transport.start();
		transport.onmessage = () => {
			throw new Error('handler broke');
		};
		fromAgent.write(`${ping(1)}\n`);
		await settle();
		expect(log).toEqual(['handling a message failed: handler broke']);
	});

	it('writes each message as one line, ends the agent stdin on close, and refuses to send after', async () => {
		const { toAgent, transport, closed } = transportOver();
		await transport.start();
		const written: string[] = [];
		toAgent.on('data', (chunk: Buffer) => written.push(chunk.toString()));
		await transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
		await transport.close();
		await transport.close();
		await settle();
		expect(written.join('')).toBe(`${ping(1)}\n`);
		expect(toAgent.writableEnded).toBe(true);
		expect(closed()).toBe(1);
		await expect(transport.send({ jsonrpc: '2.0', id: 2, method: 'ping' })).rejects.toThrow(
			/closed/,
		);
	});

	it('reports the close when the agent output ends', async () => {
		const { fromAgent, transport, closed } = transportOver();
		await transport.start();
		fromAgent.end();
		await settle();
		expect(closed()).toBe(1);
		expect(transport.failure).toBeUndefined();
	});

	it('measures nesting on the text, ignoring brackets inside strings', () => {
		expect(jsonDepthExceeds('{"a":[1,{"b":2}]}', 3)).toBe(false);
		expect(jsonDepthExceeds('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
		expect(jsonDepthExceeds('{"a":"[[[[{{{{\\"[[[["}', 1)).toBe(false);
	});
});
