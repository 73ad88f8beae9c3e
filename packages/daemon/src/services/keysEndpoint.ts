import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { basename, dirname, join } from 'node:path';

/** The most connections the endpoint holds open on each of its doors (200 concurrent streams fit). */
export const MAX_LLM_ENDPOINT_CONNECTIONS = 1024;

/** Options of {@link listenLlmEndpoint}. */
export interface LlmEndpointListenOptions {
	/** `127.0.0.1` (the config allows nothing else). */
	readonly host: string;
	readonly port: number;
	/** The Unix socket sandboxed runs reach it through (their bridge connects there). */
	readonly socketPath: string;
	/** Every request of either door. */
	readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

/** The endpoint while it listens. */
export interface LlmEndpointListener {
	readonly url: string;
	readonly port: number;
	readonly socketPath: string;
	/** Stops listening on both doors and ends every open connection. */
	close(): Promise<void>;
}

function server(handle: LlmEndpointListenOptions['handle'], open: Set<Socket>): Server {
	const http = createServer(handle);
	http.maxConnections = MAX_LLM_ENDPOINT_CONNECTIONS;
	// A stream may run for minutes: no whole-request deadline, only the head's.
	http.requestTimeout = 0;
	http.on('connection', (socket: Socket) => {
		open.add(socket);
		socket.once('close', () => open.delete(socket));
	});
	return http;
}

function listen(http: Server, target: { port: number; host: string } | string): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		const done = () => {
			http.off('error', reject);
			resolve();
		};
		if (typeof target === 'string') http.listen(target, done);
		else http.listen(target.port, target.host, done);
	});
}

const closeServer = (http: Server): Promise<void> =>
	new Promise((resolve) => {
		if (!http.listening) return resolve();
		http.close(() => resolve());
	});

/**
 * The directory of the endpoint's socket must be the user's own and closed
 * to others (the run directory of the home, or the per-user directory under
 * /tmp a long home falls back to): created 0700, refused otherwise.
 */
function ensurePrivateDir(dir: string): void {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const stat = lstatSync(dir);
	const uid = process.getuid?.();
	if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o077) !== 0) {
		throw new Error(
			`${dir} is not a directory of this user closed to others (mode 0700): the LLM socket is not put there`,
		);
	}
}

/**
 * Listens on host:port (TCP) and on `socketPath` (mode 0600, bound under a
 * temp name beside it and moved into place, as the daemon's own socket is)
 * with one handler. Either failing closes the other and rejects with its
 * error (EADDRINUSE for a port in use).
 */
export async function listenLlmEndpoint(
	options: LlmEndpointListenOptions,
): Promise<LlmEndpointListener> {
	const open = new Set<Socket>();
	const tcp = server(options.handle, open);
	const unix = server(options.handle, open);
	const dir = dirname(options.socketPath);
	const bound = join(dir, `.${basename(options.socketPath)}.${process.pid}`);
	try {
		await listen(tcp, { port: options.port, host: options.host });
		ensurePrivateDir(dir);
		rmSync(bound, { force: true });
		const umask = process.umask(0o177);
		try {
			await listen(unix, bound);
		} finally {
			process.umask(umask);
		}
		chmodSync(bound, 0o600);
		// Replaces a stale socket of an earlier daemon of this home (the daemon's lock is held).
		renameSync(bound, options.socketPath);
	} catch (error) {
		await Promise.all([closeServer(tcp), closeServer(unix)]);
		rmSync(bound, { force: true });
		throw error;
	}
	// A later error of a listening door (none is expected) must not end the daemon.
	tcp.on('error', () => {});
	unix.on('error', () => {});
	return {
		url: `http://${options.host}:${options.port}`,
		port: options.port,
		socketPath: options.socketPath,
		async close() {
			const closing = Promise.all([closeServer(tcp), closeServer(unix)]);
			for (const socket of open) socket.destroy();
			await closing;
			// Node unlinked the temp name it bound (gone since the rename): remove the real one.
			rmSync(options.socketPath, { force: true });
		},
	};
}
