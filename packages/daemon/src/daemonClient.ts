import { createConnection } from 'node:net';
import { AgentSpaceError, errorFromJSON } from '@agentspace/core';
import type { DaemonMethod, DaemonMethods } from './daemonMethods.js';
import type { DaemonResponse } from './daemonProtocol.js';
import { RETRYABLE_CODES, retryUnanswered, Unanswered } from './daemonRetry.js';
import type { MethodInput, MethodProgress, MethodResult, MethodTable } from './methodTable.js';

/** Thrown (code `NOT_FOUND`) when no daemon answers on the socket. */
export class DaemonNotRunningError extends AgentSpaceError {
	override readonly name = 'DaemonNotRunningError';
	constructor(socket: string) {
		super(`the AgentSpace daemon is not running (no answer on ${socket})`, {
			code: 'NOT_FOUND',
			hint: 'start it: agentspace daemon start',
		});
	}
}

/** True for a {@link DaemonNotRunningError}, also across bundle copies. */
export function isDaemonNotRunning(error: unknown): boolean {
	return error instanceof Error && error.name === 'DaemonNotRunningError';
}

/** A call the daemon did not answer within the connection's timeout (10 s by default). */
export function notAnsweredError(connection: DaemonConnection, method: string): AgentSpaceError {
	return new AgentSpaceError(
		`the AgentSpace daemon did not answer "${method}" within ${Math.round((connection.timeoutMs ?? 10_000) / 1000)} s`,
		{
			code: 'CONFLICT',
			hint: 'see its log, or restart it: agentspace daemon stop && agentspace daemon start',
		},
	);
}

/**
 * What a socket error rejects a call with: the error itself (tried again)
 * when it is retryable and nothing of the answer came back yet; else no
 * daemon on the socket (a {@link DaemonNotRunningError}), or one that cannot
 * be reached.
 */
export function socketError(
	connection: DaemonConnection,
	error: NodeJS.ErrnoException,
	nothingReceived: boolean,
): Error {
	if (nothingReceived && RETRYABLE_CODES.has(error.code ?? '')) return error;
	return error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
		? new DaemonNotRunningError(connection.socket)
		: new AgentSpaceError(`cannot reach the AgentSpace daemon: ${error.message}`, {
				code: 'CONFLICT',
				cause: error,
			});
}

/**
 * A connection the daemon closed before its answer: {@link Unanswered} (tried
 * again) when nothing of the answer came back yet, else a CONFLICT.
 */
export function closedEarlyError(method: string, nothingReceived: boolean): Error {
	return nothingReceived
		? new Unanswered(`the daemon closed the connection before answering "${method}"`)
		: new AgentSpaceError(`the AgentSpace daemon closed the connection during "${method}"`, {
				code: 'CONFLICT',
			});
}

/** Where and how to reach the daemon. */
export interface DaemonConnection {
	readonly socket: string;
	readonly token: string;
	/** How long to wait for the answer (default 10 s). */
	readonly timeoutMs?: number;
}

/**
 * Sends one request to the daemon and returns its result. The daemon's errors
 * come back as AgentSpaceErrors with their code and hint; no daemon is a
 * {@link DaemonNotRunningError}. A connection the daemon closed before
 * answering (it closes idle connections when a flood fills its cap; the
 * socket's backlog may be full) is tried again with backoff, within the
 * timeout: the daemon only ever closes a connection unanswered before it has
 * read the request, so nothing runs twice.
 */
export function callDaemon<M extends DaemonMethod>(
	connection: DaemonConnection,
	method: M,
	params: MethodInput<DaemonMethods, M>,
): Promise<MethodResult<DaemonMethods, M>> {
	return requestDaemon(connection, method, params) as Promise<MethodResult<DaemonMethods, M>>;
}

/** A `callDaemon` typed by another method table: a service of another package's callers use it with its table. */
export type DaemonCaller<T extends MethodTable> = <M extends keyof T & string>(
	connection: DaemonConnection,
	method: M,
	params: MethodInput<T, M>,
) => Promise<MethodResult<T, M>>;

/** Returns {@link callDaemon} typed by method table `T` (the checks on the socket are the daemon's). */
export function daemonCaller<T extends MethodTable>(): DaemonCaller<T> {
	return (connection, method, params) =>
		requestDaemon(connection, method, params) as Promise<MethodResult<T, typeof method>>;
}

/** Options of a streaming call ({@link streamDaemon}). */
export interface StreamCallOptions<G> {
	/** Each progress line the method sends before its answer, in order. */
	readonly onProgress?: (progress: G) => void;
	/**
	 * Aborting it closes the connection, which cancels the call in the daemon;
	 * the call then rejects with `INTERRUPTED`.
	 */
	readonly signal?: AbortSignal;
}

/**
 * Calls a method that streams (see streamingMethod): like {@link callDaemon},
 * and its progress lines go to `onProgress` as they arrive. Aborting
 * `signal` closes the connection: the daemon cancels the handler.
 */
export function streamDaemon<M extends DaemonMethod>(
	connection: DaemonConnection,
	method: M,
	params: MethodInput<DaemonMethods, M>,
	options: StreamCallOptions<MethodProgress<DaemonMethods, M>>,
): Promise<MethodResult<DaemonMethods, M>> {
	return requestDaemon(
		connection,
		method,
		params,
		options as StreamCallOptions<unknown>,
	) as Promise<MethodResult<DaemonMethods, M>>;
}

async function requestDaemon(
	connection: DaemonConnection,
	method: string,
	params: unknown,
	stream: StreamCallOptions<unknown> = {},
): Promise<unknown> {
	return retryUnanswered(connection.timeoutMs ?? 10_000, (remainingMs) =>
		requestOnce(connection, method, params, remainingMs, stream),
	);
}

function requestOnce(
	connection: DaemonConnection,
	method: string,
	params: unknown,
	timeoutMs: number,
	stream: StreamCallOptions<unknown>,
): Promise<unknown> {
	return new Promise((resolve, reject) => {
		if (stream.signal?.aborted) {
			reject(interrupted(method));
			return;
		}
		const socket = createConnection(connection.socket);
		let buffer = '';
		// Anything received (a progress line): the request ran, so it is never sent again.
		let received = false;
		let settled = false;
		const onAbort = () => settle(() => reject(interrupted(method)));
		stream.signal?.addEventListener('abort', onAbort, { once: true });
		const settle = (outcome: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			stream.signal?.removeEventListener('abort', onAbort);
			socket.destroy();
			outcome();
		};
		const timer = setTimeout(
			() => settle(() => reject(notAnsweredError(connection, method))),
			Math.max(timeoutMs, 0),
		);
		socket.on('error', (error: NodeJS.ErrnoException) =>
			settle(() => reject(socketError(connection, error, buffer === '' && !received))),
		);
		socket.on('connect', () => {
			socket.write(`${JSON.stringify({ token: connection.token, method, params })}\n`);
		});
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			buffer += chunk;
			let newline = buffer.indexOf('\n');
			// Progress lines of a streaming method come first, each `{"progress": …}`.
			while (newline !== -1 && buffer.startsWith('{"progress":')) {
				const progressLine = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 1);
				received = true;
				try {
					const { progress } = JSON.parse(progressLine) as { progress: unknown };
					stream.onProgress?.(progress);
				} catch {
					// An unreadable progress line is dropped; the answer still decides the call.
				}
				newline = buffer.indexOf('\n');
			}
			if (newline === -1) return;
			const line = buffer.slice(0, newline);
			settle(() => {
				let response: DaemonResponse;
				try {
					response = JSON.parse(line) as DaemonResponse;
				} catch {
					reject(new AgentSpaceError('the AgentSpace daemon sent an unreadable answer'));
					return;
				}
				if (response.ok) resolve(response.result);
				else if (typeof response.error !== 'object' || response.error === null)
					reject(new AgentSpaceError('the AgentSpace daemon sent an unreadable answer'));
				// The same kind of error as the handler threw (AUTH_FAILED an AuthError, CONFLICT a
				// ConflictError…), with its hint and issues; bounded, as the peer is another process.
				else reject(errorFromJSON(response.error));
			});
		});
		const closedEarly = () =>
			settle(() => reject(closedEarlyError(method, buffer === '' && !received)));
		socket.on('end', closedEarly);
		socket.on('close', closedEarly);
	});
}

function interrupted(method: string): AgentSpaceError {
	return new AgentSpaceError(`"${method}" cancelled: the connection to the daemon was closed`, {
		code: 'INTERRUPTED',
		hint: 'the daemon cancelled the request when the connection closed',
	});
}
