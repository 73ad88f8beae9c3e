import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import { type AgentSpaceDb, getAuditEvents } from '@agentspace/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callDaemon } from './daemonClient.js';
import { listenDaemonSocket } from './daemonServer.js';
import { hostMethods } from './hostMethods.js';
import { MAX_REQUEST_BYTES } from './maxRequestBytes.js';
import { type DaemonOptions, type RunningDaemon, runDaemon } from './runDaemon.js';
import { daemonServices } from './services/daemonServices.js';

// Floods through the daemon's socket (issue 11 §4): a real daemon on a real
// Unix socket, real connections, the real audit log.
let temp: TempHomeDb;
let db: AgentSpaceDb;
let daemon: RunningDaemon | undefined;
let token: string;
beforeEach(() => {
	temp = openTempHomeDb('daemon-flood');
	db = temp.db;
	token = generateAuthToken();
});
afterEach(async () => {
	if (daemon !== undefined) {
		await daemon.close(0);
		await daemon.closed;
	}
	daemon = undefined;
	temp.cleanup();
});

async function start(options: Partial<DaemonOptions> = {}): Promise<string> {
	daemon = await runDaemon({
		db,
		home: temp.home,
		token,
		services: daemonServices({ env: process.env }),
		...options,
	});
	return daemon.socket;
}

/** Writes `data` on a new connection and resolves with everything read until the daemon closes it. */
function exchange(socket: string, data: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const connection = createConnection(socket);
		let answer = '';
		connection.setEncoding('utf8');
		connection.on('connect', () => connection.write(data));
		connection.on('data', (chunk: string) => {
			answer += chunk;
		});
		connection.on('close', () => resolve(answer.trim()));
		connection.on('error', (error: NodeJS.ErrnoException) => {
			// The daemon may close a refused connection before all of it was written.
			if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
			reject(error);
		});
	});
}

/** Opens a connection and resolves once it is open. */
function openIdle(socket: string): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const connection = createConnection(socket);
		connection.once('connect', () => resolve(connection));
		connection.once('error', reject);
	});
}

/** A connection refused for its token whose answer was read, its own end left open. */
function answeredHalfOpen(socket: string): Promise<Socket> {
	const line = `${JSON.stringify({ token: generateAuthToken(), method: 'status', params: {} })}\n`;
	return new Promise((resolve, reject) => {
		const connection = createConnection({ path: socket, allowHalfOpen: true });
		connection.once('error', reject);
		connection.once('end', () => resolve(connection));
		connection.on('connect', () => connection.write(line));
		connection.resume();
	});
}

const closedBy = (connection: Socket) =>
	new Promise<void>((resolve) => {
		if (connection.closed) resolve();
		else connection.once('close', () => resolve());
	});

async function socketDenials() {
	const entries = await getAuditEvents(db, { type: 'security.denied', order: 'asc' });
	return entries.filter((e) => e.metadata.interface === 'daemon-socket');
}

/** How many refusals of `kind` the entries stand for: 1 + foldedBefore each, foldedBefore for a count entry. */
function accountedFor(entries: Awaited<ReturnType<typeof socketDenials>>, kind: string): number {
	return entries
		.filter((e) => e.metadata.kind === kind)
		.reduce((sum, e) => {
			const folded = (e.metadata.foldedBefore as number | undefined) ?? 0;
			const isCount = String(e.metadata.reason).startsWith('refusals folded into a count');
			return sum + (isCount ? folded : 1 + folded);
		}, 0);
}

describe('the daemon socket under a flood', () => {
	it('folds wrong-token refusals: at most 1 audit row per 100, and every one accounted for after it stops', async () => {
		const socket = await start();
		const n = 1000;
		const line = `${JSON.stringify({ token: generateAuthToken(), method: 'status', params: {} })}\n`;
		for (let sent = 0; sent < n; sent += 50) {
			const answers = await Promise.all(Array.from({ length: 50 }, () => exchange(socket, line)));
			for (const answer of answers) expect(JSON.parse(answer).error.code).toBe('AUTH_FAILED');
		}
		// Still refusing, still answering its own.
		expect((await callDaemon({ socket, token }, 'status', {})).pid).toBe(process.pid);
		await daemon?.close(0);
		await daemon?.closed;
		daemon = undefined;
		const entries = await socketDenials();
		expect(entries.length).toBeLessThanOrEqual(n / 100);
		expect(accountedFor(entries, 'wrong-token')).toBe(n);
		expect(entries[0]?.metadata).toMatchObject({ kind: 'wrong-token', method: 'status' });
		expect(JSON.stringify(entries)).not.toContain(token);
	});

	it('closes a half-sent connection and an idle one after the deadline, and audits them', async () => {
		const socket = await start({ requestTimeoutMs: 200 });
		const halfSent = await openIdle(socket);
		halfSent.write(`{"token":"${token}","method":"sta`);
		const idle = await openIdle(socket);
		await Promise.all([closedBy(halfSent), closedBy(idle)]);
		// A request that arrives whole is still answered.
		expect((await callDaemon({ socket, token }, 'status', {})).pid).toBe(process.pid);
		await daemon?.close(0);
		await daemon?.closed;
		daemon = undefined;
		expect(accountedFor(await socketDenials(), 'timeout')).toBe(2);
	});

	it('at its cap of open connections closes the oldest idle one, so its own requests still get through', async () => {
		const socket = await start({ maxConnections: 20, requestTimeoutMs: 60_000 });
		const idle: Socket[] = [];
		for (let i = 0; i < 60; i++) idle.push(await openIdle(socket));
		// The first 40 made room for the last 20.
		await Promise.all(idle.slice(0, 40).map(closedBy));
		expect(idle.slice(40).every((c) => !c.closed)).toBe(true);
		expect((await callDaemon({ socket, token }, 'status', {})).pid).toBe(process.pid);
		for (const connection of idle) connection.destroy();
		await daemon?.close(0);
		await daemon?.closed;
		daemon = undefined;
		// 40 evicted to make room for the 41st to 60th, one more for the status request.
		expect(accountedFor(await socketDenials(), 'evicted')).toBe(41);
	});

	it('at its cap never closes or audits a connection already answered: only the oldest still waiting for its request', async () => {
		const socket = await start({ maxConnections: 20, requestTimeoutMs: 60_000 });
		// 10 refused for their token, their answer read, their end left open by the peer.
		const refused: Socket[] = [];
		for (let i = 0; i < 10; i++) refused.push(await answeredHalfOpen(socket));
		// Answered connections do not count: 20 idle ones fit beside them.
		const idle: Socket[] = [];
		for (let i = 0; i < 20; i++) idle.push(await openIdle(socket));
		// The 21st waiting one makes room by closing the oldest waiting one, not an answered one.
		idle.push(await openIdle(socket));
		await closedBy(idle[0] as Socket);
		expect(idle.slice(1).every((c) => !c.closed)).toBe(true);
		expect((await callDaemon({ socket, token }, 'status', {})).pid).toBe(process.pid);
		for (const connection of [...refused, ...idle]) connection.destroy();
		await daemon?.close(0);
		await daemon?.closed;
		daemon = undefined;
		const entries = await socketDenials();
		// Each refused once, for its token; evicted: the oldest idle one, and one for the status request.
		expect(accountedFor(entries, 'wrong-token')).toBe(10);
		expect(accountedFor(entries, 'evicted')).toBe(2);
	});

	it('keeps answered connections their peers leave open to as many as its cap, closing the oldest unaudited', async () => {
		const server = await listenDaemonSocket({
			socket: join(temp.home, 'd.sock'),
			token,
			db,
			methods: hostMethods(),
			handle: async () => ({}),
			maxConnections: 5,
			requestTimeoutMs: 60_000,
		});
		try {
			for (let i = 0; i < 12; i++) await answeredHalfOpen(join(temp.home, 'd.sock'));
			const open = await new Promise<number>((resolve, reject) =>
				server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
			);
			// 5 kept, and the newest (counted when it was opened).
			expect(open).toBeLessThanOrEqual(6);
		} finally {
			await server.close(0);
		}
		const entries = await socketDenials();
		expect(accountedFor(entries, 'wrong-token')).toBe(12);
		expect(accountedFor(entries, 'evicted')).toBe(0);
	});

	it(`holds the ${MAX_REQUEST_BYTES}-byte limit exactly, whatever the framing`, async () => {
		const socket = await start();
		/** A JSON request line of exactly `bytes` bytes (before its newline). */
		const requestOf = (bytes: number) => {
			const bare = JSON.stringify({ token: 'x', method: 'status', params: {}, pad: '' });
			return JSON.stringify({
				token: 'x',
				method: 'status',
				params: {},
				pad: 'a'.repeat(bytes - bare.length),
			});
		};
		expect(Buffer.byteLength(requestOf(MAX_REQUEST_BYTES))).toBe(MAX_REQUEST_BYTES);
		// At the limit: read and answered (refused for its token, not its size).
		const atLimit = JSON.parse(await exchange(socket, `${requestOf(MAX_REQUEST_BYTES)}\n`));
		expect(atLimit.error.code).toBe('AUTH_FAILED');
		// One byte over, newline and all in one write: refused unread.
		const over = JSON.parse(await exchange(socket, `${requestOf(MAX_REQUEST_BYTES + 1)}\n`));
		expect(over.error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect(over.error.message).toMatch(/request too large/);
		// 300 KB ending in a newline (what got through before).
		const big = JSON.parse(await exchange(socket, `${requestOf(300_000)}\n`));
		expect(big.error.message).toMatch(/request too large/);
		// Over the limit and no newline yet: refused without waiting for one.
		expect(JSON.parse(await exchange(socket, requestOf(MAX_REQUEST_BYTES + 1))).error.code).toBe(
			'VALIDATION_FAILED',
		);
		// Multi-byte characters count as the bytes they are.
		const wide = JSON.stringify({ token: 'x', pad: 'é'.repeat(MAX_REQUEST_BYTES / 2) });
		expect(JSON.parse(await exchange(socket, `${wide}\n`)).error.message).toMatch(/too large/);
		await daemon?.close(0);
		await daemon?.closed;
		daemon = undefined;
		expect(accountedFor(await socketDenials(), 'too-large')).toBe(4);
	});
});
