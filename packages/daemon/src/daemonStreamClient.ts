import { createConnection, type Socket } from 'node:net';
import { AgentSpaceError, errorFromJSON } from '@agentspace/core';
import {
	closedEarlyError,
	type DaemonConnection,
	notAnsweredError,
	socketError,
} from './daemonClient.js';
import type { DaemonMethod, DaemonMethods } from './daemonMethods.js';
import type { DaemonResponse } from './daemonProtocol.js';
import { retryUnanswered } from './daemonRetry.js';
import type { MethodInput, MethodResult } from './methodTable.js';

/** An upgraded connection to the daemon (see upgradeMethod): the method's answer, then the connection as a byte stream. */
export interface DaemonStream<R> {
	readonly result: R;
	/**
	 * The connection after the answer line: what the daemon's service sends,
	 * and what it reads. Paused: pipe it, or resume it once listening. An
	 * error on it closes it ('close' follows); it is never thrown.
	 */
	readonly stream: Socket;
}

// An answer line longer than this is not the daemon's (its answers to an upgrade are a few bytes).
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Calls an upgrade method (`mcpConnect`) and returns its answer with the
 * connection, which stays open as a raw byte stream. The daemon's errors come
 * back as AgentSpaceErrors with their code and hint; no daemon is a
 * DaemonNotRunningError; a connection closed unanswered (a flooded socket) is
 * tried again with backoff within `connection.timeoutMs` (10 s by default),
 * as callDaemon does — nothing is sent on it before its answer, so nothing is
 * lost or sent twice.
 */
export async function openDaemonStream<M extends DaemonMethod>(
	connection: DaemonConnection,
	method: M,
	params: MethodInput<DaemonMethods, M>,
): Promise<DaemonStream<MethodResult<DaemonMethods, M>>> {
	return (await retryUnanswered(connection.timeoutMs ?? 10_000, (remainingMs) =>
		openOnce(connection, method, params, remainingMs),
	)) as DaemonStream<MethodResult<DaemonMethods, M>>;
}

function openOnce(
	connection: DaemonConnection,
	method: string,
	params: unknown,
	timeoutMs: number,
): Promise<DaemonStream<unknown>> {
	return new Promise((resolve, reject) => {
		const socket = createConnection(connection.socket);
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (outcome: () => void, keep = false) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.off('data', onData);
			socket.off('end', closedEarly);
			socket.off('close', closedEarly);
			if (!keep) socket.destroy();
			outcome();
		};
		const timer = setTimeout(
			() => settle(() => reject(notAnsweredError(connection, method))),
			Math.max(timeoutMs, 0),
		);
		// Kept after the hand-over: a late error (the daemon went away) closes the stream, never throws.
		socket.on('error', (error: NodeJS.ErrnoException) =>
			settle(() => reject(socketError(connection, error, size === 0))),
		);
		socket.on('connect', () => {
			socket.write(`${JSON.stringify({ token: connection.token, method, params })}\n`);
		});
		const onData = (chunk: Buffer) => {
			const newline = chunk.indexOf(0x0a);
			if (newline === -1) {
				chunks.push(chunk);
				size += chunk.length;
				if (size > MAX_ANSWER_BYTES)
					settle(() =>
						reject(new AgentSpaceError('the AgentSpace daemon sent an unreadable answer')),
					);
				return;
			}
			chunks.push(chunk.subarray(0, newline));
			size += newline + 1;
			let response: DaemonResponse;
			try {
				response = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DaemonResponse;
			} catch {
				settle(() =>
					reject(new AgentSpaceError('the AgentSpace daemon sent an unreadable answer')),
				);
				return;
			}
			if (!response.ok) {
				const { error } = response;
				settle(() =>
					reject(
						typeof error === 'object' && error !== null
							? errorFromJSON(error)
							: new AgentSpaceError('the AgentSpace daemon sent an unreadable answer'),
					),
				);
				return;
			}
			// What followed the answer in this chunk is the stream's first bytes.
			socket.pause();
			const rest = chunk.subarray(newline + 1);
			settle(() => {
				if (rest.length > 0) socket.unshift(rest);
				resolve({ result: response.result, stream: socket });
			}, true);
		};
		socket.on('data', onData);
		const closedEarly = () => settle(() => reject(closedEarlyError(method, size === 0)));
		socket.on('end', closedEarly);
		socket.on('close', closedEarly);
	});
}
