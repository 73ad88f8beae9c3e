import { createConnection } from 'node:net';
import { AgentSpaceError, errorFromJSON } from '@agentspace/core';
import type { DaemonMethod, DaemonMethods } from './daemonMethods.js';
import type { DaemonResponse } from './daemonProtocol.js';
import type { MethodInput, MethodResult, MethodTable } from './methodTable.js';

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

/** Where and how to reach the daemon. */
export interface DaemonConnection {
	readonly socket: string;
	readonly token: string;
	/** How long to wait for the answer (default 10 s). */
	readonly timeoutMs?: number;
}

/** Connection failures after which the request was never answered, so it is sent again. */
const RETRYABLE = new Set(['EAGAIN', 'ECONNRESET', 'EPIPE']);
const FIRST_RETRY_MS = 25;
const MAX_RETRY_MS = 800;

/** A connection that ended before any answer: the daemon closed it unanswered (busy, or flooded). */
class Unanswered extends Error {}

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

async function requestDaemon(
	connection: DaemonConnection,
	method: string,
	params: unknown,
): Promise<unknown> {
	const timeoutMs = connection.timeoutMs ?? 10_000;
	const deadline = Date.now() + timeoutMs;
	let wait = FIRST_RETRY_MS;
	for (;;) {
		try {
			return await requestOnce(connection, method, params, deadline - Date.now());
		} catch (error) {
			const retryable =
				error instanceof Unanswered || RETRYABLE.has((error as NodeJS.ErrnoException).code ?? '');
			if (!retryable) throw error;
			if (Date.now() + wait >= deadline) {
				throw new AgentSpaceError(
					`cannot reach the AgentSpace daemon: ${(error as Error).message} (tried for ${Math.round(timeoutMs / 1000)} s)`,
					{
						code: 'CONFLICT',
						hint: 'something floods its socket, or it is stuck: see agentspace audit list --type security.denied, or restart it: agentspace daemon stop && agentspace daemon start',
						cause: error,
					},
				);
			}
			await new Promise((resolve) => setTimeout(resolve, wait));
			wait = Math.min(wait * 2, MAX_RETRY_MS);
		}
	}
}

function requestOnce(
	connection: DaemonConnection,
	method: string,
	params: unknown,
	timeoutMs: number,
): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const socket = createConnection(connection.socket);
		let buffer = '';
		let settled = false;
		const settle = (outcome: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			outcome();
		};
		const timer = setTimeout(
			() =>
				settle(() =>
					reject(
						new AgentSpaceError(
							`the AgentSpace daemon did not answer "${method}" within ${Math.round((connection.timeoutMs ?? 10_000) / 1000)} s`,
							{
								code: 'CONFLICT',
								hint: 'see its log, or restart it: agentspace daemon stop && agentspace daemon start',
							},
						),
					),
				),
			Math.max(timeoutMs, 0),
		);
		socket.on('error', (error: NodeJS.ErrnoException) =>
			settle(() => {
				if (buffer === '' && RETRYABLE.has(error.code ?? '')) {
					reject(error);
					return;
				}
				reject(
					error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
						? new DaemonNotRunningError(connection.socket)
						: new AgentSpaceError(`cannot reach the AgentSpace daemon: ${error.message}`, {
								code: 'CONFLICT',
								cause: error,
							}),
				);
			}),
		);
		socket.on('connect', () => {
			socket.write(`${JSON.stringify({ token: connection.token, method, params })}\n`);
		});
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			buffer += chunk;
			const newline = buffer.indexOf('\n');
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
			settle(() =>
				reject(
					buffer === ''
						? new Unanswered(`the daemon closed the connection before answering "${method}"`)
						: new AgentSpaceError(
								`the AgentSpace daemon closed the connection during "${method}"`,
								{ code: 'CONFLICT' },
							),
				),
			);
		socket.on('end', closedEarly);
		socket.on('close', closedEarly);
	});
}
