import { createConnection } from 'node:net';
import { AgentSpaceError, type ErrorCode } from '@agentspace/core';
import type { DaemonResponse, DaemonResults } from './daemonProtocol.js';
import type { DaemonMethod, DaemonParams } from './daemonRequestSchema.js';

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

/**
 * Sends one request to the daemon and returns its result. The daemon's errors
 * come back as AgentSpaceErrors with their code and hint; no daemon is a
 * {@link DaemonNotRunningError}.
 */
export function callDaemon<M extends DaemonMethod>(
	connection: DaemonConnection,
	method: M,
	params: DaemonParams[M],
): Promise<DaemonResults[M]> {
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
		const timeoutMs = connection.timeoutMs ?? 10_000;
		const timer = setTimeout(
			() =>
				settle(() =>
					reject(
						new AgentSpaceError(
							`the AgentSpace daemon did not answer "${method}" within ${Math.round(timeoutMs / 1000)} s`,
							{
								code: 'CONFLICT',
								hint: 'see its log, or restart it: agentspace daemon stop && agentspace daemon start',
							},
						),
					),
				),
			timeoutMs,
		);
		socket.on('error', (error: NodeJS.ErrnoException) =>
			settle(() =>
				reject(
					error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
						? new DaemonNotRunningError(connection.socket)
						: new AgentSpaceError(`cannot reach the AgentSpace daemon: ${error.message}`, {
								code: 'CONFLICT',
								cause: error,
							}),
				),
			),
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
				let response: DaemonResponse<M>;
				try {
					response = JSON.parse(line) as DaemonResponse<M>;
				} catch {
					reject(new AgentSpaceError('the AgentSpace daemon sent an unreadable answer'));
					return;
				}
				if (response.ok) resolve(response.result);
				else
					reject(
						new AgentSpaceError(response.error.message, {
							code: response.error.code as ErrorCode,
							...(response.error.hint === undefined ? {} : { hint: response.error.hint }),
						}),
					);
			});
		});
		socket.on('end', () =>
			settle(() =>
				reject(
					new AgentSpaceError(`the AgentSpace daemon closed the connection during "${method}"`, {
						code: 'CONFLICT',
					}),
				),
			),
		);
	});
}
