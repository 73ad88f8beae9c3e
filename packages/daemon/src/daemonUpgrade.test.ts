// Upgraded connections (upgradeMethod): a real socket server, real connections,
// a trivial service that echoes what it reads once it has the stream.
import { mkdirSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import { AgentSpaceError, generateAuthToken } from '@agentspace/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callDaemon } from './daemonClient.js';
import { daemonPaths } from './daemonPaths.js';
import { type DaemonSocket, listenDaemonSocket } from './daemonServer.js';
import { openDaemonStream } from './daemonStreamClient.js';
import { method, upgradeMethod } from './methodTable.js';
import { MCP_METHODS } from './services/mcpMethods.js';

let temp: TempHomeDb;
let token: string;
let server: DaemonSocket | undefined;
// Each stream a handler was handed, and how the handler's stream promise settled when it was not.
let streams: Duplex[];
let refusedStreams: Error[];

beforeEach(() => {
	temp = openTempHomeDb('daemon-upgrade');
	token = generateAuthToken();
	streams = [];
	refusedStreams = [];
});
afterEach(async () => {
	await server?.close(0);
	server = undefined;
	temp.cleanup();
});

const METHODS = {
	// The same name and params as the MCP endpoint's, so the typed client can call it.
	mcpConnect: MCP_METHODS.mcpConnect,
	plain: method<{ plain: true }>()(z.strictObject({})),
	failing: upgradeMethod<never>()(z.strictObject({})),
	declining: upgradeMethod<{ declined: true }>()(z.strictObject({})),
	status: method<{ pid: number }>()(z.strictObject({})),
};

/** Listens with a handler that echoes every upgraded stream (each chunk back, as it comes). */
async function listen(
	options: { requestTimeoutMs?: number; maxConnections?: number; maxUpgraded?: number } = {},
) {
	const paths = daemonPaths(temp.home);
	mkdirSync(paths.runDir, { recursive: true, mode: 0o700 });
	const socket = paths.socket;
	server = await listenDaemonSocket({
		socket,
		token,
		db: temp.db,
		methods: METHODS,
		...options,
		handle: async (name, params, call) => {
			if (name === 'status') return { pid: process.pid };
			if (name === 'plain') return { plain: true };
			if (name === 'declining') return { declined: true };
			const upgraded = (call.upgrade as () => { stream: Promise<Duplex> })();
			upgraded.stream.then(
				(stream) => {
					streams.push(stream);
					// A service that speaks first: its bytes may share a chunk with the answer.
					if ((params as { client?: { pid?: number } }).client?.pid === 1) stream.write('hello\n');
					stream.on('data', (chunk: Buffer) => stream.write(chunk));
					stream.resume();
				},
				(error: Error) => refusedStreams.push(error),
			);
			if (name === 'failing') throw new AgentSpaceError('it failed', { code: 'CONFLICT' });
			return { protocol: 'mcp' };
		},
	});
	return socket;
}

/** A raw connection whose reads are collected. */
function connect(
	socket: string,
): Promise<{ connection: Socket; read: () => string; closed: Promise<void> }> {
	return new Promise((resolve, reject) => {
		const connection = createConnection(socket);
		let data = '';
		connection.setEncoding('utf8');
		connection.on('data', (chunk: string) => {
			data += chunk;
		});
		const closed = new Promise<void>((done) => connection.once('close', () => done()));
		connection.once('error', reject);
		connection.once('connect', () => resolve({ connection, read: () => data, closed }));
	});
}

async function until(check: () => boolean, what: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const request = (name: string, params: unknown = {}) =>
	`${JSON.stringify({ token, method: name, params })}\n`;
const connectLine = () => request('mcpConnect', { client: { pid: 42 } });

describe('upgraded connections', () => {
	it('answers, then carries raw bytes both ways: what the client sent right after its request is not lost', async () => {
		const socket = await listen();
		const client = await connect(socket);
		// The request and the first stream bytes in one write: one chunk at the daemon.
		client.connection.write(`${connectLine()}first line\n`);
		await until(() => client.read().includes('first line'), 'the echo of the pipelined bytes');
		const [answer, ...rest] = client.read().split('\n');
		expect(JSON.parse(answer as string)).toEqual({ ok: true, result: { protocol: 'mcp' } });
		expect(rest.join('\n')).toBe('first line\n');
		client.connection.write('second\n');
		await until(() => client.read().endsWith('second\n'), 'the echo of later bytes');
		client.connection.end();
		await client.closed;
	});

	it('has no request timeout and is never evicted at the cap of waiting connections', async () => {
		const socket = await listen({ requestTimeoutMs: 100, maxConnections: 2 });
		const client = await connect(socket);
		client.connection.write(connectLine());
		await until(() => client.read().includes('"protocol":"mcp"'), 'the answer');
		// Idle connections fill the cap and evict each other; the upgraded one is not counted.
		const idle = await Promise.all([1, 2, 3, 4].map(() => connect(socket)));
		await Promise.all(idle.slice(0, 2).map((c) => c.closed));
		// Well past the request timeout, which closed every idle connection.
		await Promise.all(idle.map((c) => c.closed));
		client.connection.write('still here\n');
		await until(() => client.read().endsWith('still here\n'), 'the echo after the timeout');
		expect(client.connection.closed).toBe(false);
		client.connection.destroy();
	});

	it('refuses an upgrade past maxUpgraded with CONFLICT, and takes one again once a place is free', async () => {
		const socket = await listen({ maxUpgraded: 1 });
		const first = await openDaemonStream({ socket, token }, 'mcpConnect', { client: {} });
		await expect(
			openDaemonStream({ socket, token }, 'mcpConnect', { client: {} }),
		).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/holds 1 open MCP connections already/),
		});
		// Plain requests are not affected.
		expect(await callDaemon({ socket, token }, 'status', {})).toEqual({ pid: process.pid });
		first.stream.destroy();
		await until(() => streams[0]?.destroyed === true, 'the daemon to see the first one close');
		const again = await openDaemonStream({ socket, token }, 'mcpConnect', { client: {} });
		expect(again.result).toEqual({ protocol: 'mcp' });
		again.stream.destroy();
	});

	it('upgrades nothing when the handler answers with an error, or does not ask for the stream', async () => {
		const socket = await listen({ maxUpgraded: 1 });
		const failing = await connect(socket);
		failing.connection.write(`${request('failing')}bytes for no one\n`);
		await failing.closed;
		expect(JSON.parse(failing.read())).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
		await until(() => refusedStreams.length === 1, 'the stream promise to reject');
		const declining = await connect(socket);
		declining.connection.write(request('declining'));
		await declining.closed;
		expect(JSON.parse(declining.read())).toEqual({ ok: true, result: { declined: true } });
		// The failed upgrade gave its place back.
		const upgraded = await openDaemonStream({ socket, token }, 'mcpConnect', { client: {} });
		upgraded.stream.destroy();
		expect(streams).toHaveLength(1);
	});

	it('openDaemonStream: bytes the service sends right after the answer reach the stream', async () => {
		const socket = await listen();
		const { result, stream } = await openDaemonStream({ socket, token }, 'mcpConnect', {
			client: { pid: 1 },
		});
		expect(result).toEqual({ protocol: 'mcp' });
		let echoed = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => {
			echoed += chunk;
		});
		// Handed over paused: data listeners see nothing until it is resumed (or piped).
		stream.resume();
		stream.write('ping\n');
		await until(() => echoed === 'hello\nping\n', 'the greeting and the echo');
		stream.destroy();
	});

	it('refuses a request without the token before any upgrade', async () => {
		const socket = await listen();
		await expect(
			openDaemonStream({ socket, token: generateAuthToken() }, 'mcpConnect', { client: {} }),
		).rejects.toMatchObject({ code: 'AUTH_FAILED' });
		expect(streams).toHaveLength(0);
	});

	it('ends upgraded connections when the socket closes', async () => {
		const socket = await listen();
		const { stream } = await openDaemonStream({ socket, token }, 'mcpConnect', { client: {} });
		const ended = new Promise<void>((resolve) => stream.once('end', () => resolve()));
		stream.resume();
		await (server as DaemonSocket).close(5000);
		server = undefined;
		await ended;
	});
});
