import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { constantTimeEqual, isAgentSpaceError } from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import { recordDenial } from '../catalog/recordChange.js';
import { DAEMON_ACTOR, MAX_REQUEST_BYTES } from './daemonProtocol.js';
import { type CheckedDaemonRequest, DaemonRequestSchema } from './daemonRequestSchema.js';

/** Answers one checked, authenticated request. */
export type DaemonHandler = (request: CheckedDaemonRequest) => Promise<unknown>;

/** The listening socket. */
export interface DaemonSocket {
	readonly server: Server;
	/** Stops accepting at once; resolves when every connection has ended (cut after `graceMs`). */
	close(graceMs: number): Promise<void>;
}

/** Options of {@link listenDaemonSocket}. */
export interface DaemonSocketOptions {
	readonly socket: string;
	readonly token: string;
	readonly db: AgentSpaceDb;
	readonly handle: DaemonHandler;
	readonly sourceApp?: string;
}

/**
 * Listens on the daemon's Unix socket (mode 0600, created under a 0177 umask
 * so it is never open to others, even for an instant). Each connection sends
 * one request line; a request without the home's auth token is refused with
 * `AUTH_FAILED` and audited as `security.denied`; a malformed one gets
 * `VALIDATION_FAILED`. Nothing is run for either.
 */
export async function listenDaemonSocket(options: DaemonSocketOptions): Promise<DaemonSocket> {
	rmSync(options.socket, { force: true }); // Stale: the lock says no daemon owns it.
	const connections = new Set<Socket>();
	const server = createServer((connection) => {
		connections.add(connection);
		connection.once('close', () => connections.delete(connection));
		serve(connection, options);
	});
	const umask = process.umask(0o177);
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.socket, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} finally {
		process.umask(umask);
	}
	chmodSync(options.socket, 0o600);
	return {
		server,
		close(graceMs) {
			return new Promise((resolve) => {
				// Requests still being answered (the `shutdown` itself) get `graceMs` to finish.
				const timer = setTimeout(() => {
					for (const connection of connections) connection.destroy();
				}, graceMs);
				server.close(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		},
	};
}

function serve(connection: Socket, options: DaemonSocketOptions): void {
	let buffer = '';
	let answered = false;
	const answer = (response: unknown) => {
		if (answered) return;
		answered = true;
		connection.end(`${JSON.stringify(response)}\n`);
	};
	const fail = (code: string, message: string, hint?: string) =>
		answer({ ok: false, error: { code, message, ...(hint === undefined ? {} : { hint }) } });
	connection.setEncoding('utf8');
	connection.on('error', () => connection.destroy());
	connection.on('data', (chunk: string) => {
		if (answered) return;
		buffer += chunk;
		const newline = buffer.indexOf('\n');
		if (newline === -1) {
			if (buffer.length > MAX_REQUEST_BYTES) fail('VALIDATION_FAILED', 'request too large');
			return;
		}
		void handleLine(buffer.slice(0, newline), options).then(answer, (error: unknown) => {
			if (isAgentSpaceError(error)) fail(error.code, error.message, error.hint);
			else fail('INTERNAL', `the daemon failed: ${(error as Error).message}`);
		});
	});
}

async function handleLine(line: string, options: DaemonSocketOptions): Promise<unknown> {
	let raw: unknown;
	try {
		raw = JSON.parse(line);
	} catch {
		raw = undefined;
	}
	const token = (raw as { token?: unknown } | undefined)?.token;
	// Authentication first: an unauthenticated caller learns nothing, not even what was malformed.
	if (typeof token !== 'string' || !constantTimeEqual(token, options.token)) {
		const method = (raw as { method?: unknown } | undefined)?.method;
		recordDenial(
			options.db,
			DAEMON_ACTOR,
			{
				eventType: 'security.denied',
				metadata: {
					reason:
						typeof token === 'string'
							? 'daemon request with a wrong auth token'
							: 'daemon request without an auth token',
					method: typeof method === 'string' ? method.slice(0, 64) : null,
				},
			},
			options.sourceApp,
		);
		return {
			ok: false,
			error: {
				code: 'AUTH_FAILED',
				message: 'the daemon refused the request: wrong or missing auth token',
				hint: 'use the CLI of the same AgentSpace home (AGENTSPACE_HOME) as the daemon',
			},
		};
	}
	const checked = DaemonRequestSchema.safeParse(raw);
	if (!checked.success) {
		return {
			ok: false,
			error: {
				code: 'VALIDATION_FAILED',
				message: `malformed daemon request: ${checked.error.issues
					.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`)
					.join('; ')}`,
				hint: 'the CLI and the daemon may be different versions: agentspace daemon stop && agentspace daemon start',
			},
		};
	}
	return { ok: true, result: await options.handle(checked.data) };
}
