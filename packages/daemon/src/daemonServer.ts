import { chmodSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import {
	AgentSpaceError,
	constantTimeEqual,
	type ErrorJSON,
	type FieldIssue,
	isAgentSpaceError,
} from '@agentspace/core';
import { type AgentSpaceDb, asDamagedDatabaseError } from '@agentspace/db';
import { checkDaemonRequest } from './daemonRequestSchema.js';
import { MAX_REQUEST_BYTES } from './maxRequestBytes.js';
import type { MethodCall, MethodTable, UpgradedConnection } from './methodTable.js';
import { SocketRefusals } from './socketRefusals.js';

/**
 * Answers one authenticated request whose params its method's schema has
 * checked. `call.signal` aborts when the client closes the connection before
 * the answer; `call.progress` sends a `{"progress": …}` line before it (only
 * for a method that declares it streams; a no-op for the others).
 */
export type DaemonHandler = (
	method: string,
	params: unknown,
	call: MethodCall<unknown>,
) => Promise<unknown>;

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
	/** The methods it answers: a request is checked against their schemas before `handle` sees it. */
	readonly methods: MethodTable;
	readonly handle: DaemonHandler;
	readonly sourceApp?: string;
	/** How long a connection may take to send its whole request line (default 5 s). */
	readonly requestTimeoutMs?: number;
	/** How many connections may be open at once (default 512); see listenDaemonSocket. */
	readonly maxConnections?: number;
	/** How many upgraded connections (MCP sessions) may be open at once (default 256). */
	readonly maxUpgraded?: number;
	/** The window refusals are folded in (default 10 s). */
	readonly refusalWindowMs?: number;
	/** Told what goes wrong beside the requests (the daemon's log). */
	readonly log?: (line: string) => void;
}

/** A request line must arrive whole within this long after the connection opens. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
/**
 * Open connections at most. The CLI opens one per command and closes it at
 * once; a few hundred is far beyond real use, and far below the daemon's file
 * descriptor limit (Node raises its soft limit to the hard one at start-up).
 */
export const DEFAULT_MAX_CONNECTIONS = 512;
/**
 * Upgraded connections at most (see upgradeMethod): each `agentspace mcp`
 * holds one for as long as its MCP client runs. Counted apart from the
 * requests (they are never evicted), and bounded so that clients left
 * running cannot take every file descriptor.
 */
export const DEFAULT_MAX_UPGRADED = 256;

/**
 * Listens on the daemon's Unix socket (mode 0600, created under a 0177 umask
 * so it is never open to others, even for an instant). Each connection sends
 * one request line; a request without the home's auth token is refused with
 * `AUTH_FAILED`, a line over MAX_REQUEST_BYTES with `VALIDATION_FAILED`
 * (unread), a malformed authenticated one with `VALIDATION_FAILED`. Nothing
 * is run for any of them.
 *
 * A flood cannot starve it: a connection that has not sent its whole request
 * within `requestTimeoutMs` is closed, and at `maxConnections` connections
 * waiting for their request or being answered, the oldest one still waiting
 * for its request (idle or half-sent) is closed to make room — a socket cannot
 * tell the CLI from another process of the same user, but the CLI sends its
 * request the moment it connects, so it is never the oldest idle one for long,
 * and it retries a connection closed before its answer (nothing of it ran). A
 * connection being answered is never closed early; one answered is not
 * counted (it closes when its peer does, or `requestTimeoutMs` later). Every
 * refusal and every connection closed unanswered is audited as
 * `security.denied`, folded (see SocketRefusals).
 *
 * A method declared with upgradeMethod may keep its connection: once its
 * handler answers, the connection becomes a byte stream the handler's service
 * reads and writes (see UpgradedConnection). It then leaves the counts above
 * (no timeout, never evicted) and counts against `maxUpgraded` instead; past
 * it, `call.upgrade()` refuses with `CONFLICT`.
 */
export async function listenDaemonSocket(options: DaemonSocketOptions): Promise<DaemonSocket> {
	const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
	const refusals = new SocketRefusals({
		db: options.db,
		...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		...(options.refusalWindowMs === undefined ? {} : { windowMs: options.refusalWindowMs }),
		...(options.log === undefined ? {} : { log: options.log }),
	});
	// Each open connection by where it is, oldest first (a Set keeps insertion order).
	// Waiting: its request not read yet — the only ones ever evicted, and
	// nothing is lost by closing them. Handling: its request being answered —
	// never closed early (the CLI retries a connection closed before its answer:
	// the request would run twice). Answered: its answer written and its end
	// sent — not counted, it closes when its peer does or after the deadline.
	const waiting = new Set<Socket>();
	const handling = new Set<Socket>();
	const answered = new Set<Socket>();
	// Upgraded: its handler asked for the stream (counted from then, against
	// maxUpgraded) — held for as long as its peer and its service keep it.
	const upgraded = new Set<Socket>();
	const maxUpgraded = options.maxUpgraded ?? DEFAULT_MAX_UPGRADED;
	const server = createServer((connection) => {
		if (waiting.size + handling.size >= maxConnections) {
			const oldest = waiting.values().next().value;
			refusals.refuse('evicted');
			if (oldest === undefined) {
				// Every counted connection is being answered: this one waits for none of them.
				connection.destroy();
				return;
			}
			waiting.delete(oldest); // Now, not at its 'close': the next one must not evict another.
			oldest.destroy();
		}
		// Answers not yet closed by their peers hold descriptors too: past as many
		// again, the oldest whose answer is wholly handed to the kernel is closed
		// (its peer reads it all the same), unaudited — it was answered.
		if (answered.size >= maxConnections) {
			for (const done of answered) {
				if (!done.writableFinished) continue;
				answered.delete(done);
				done.destroy();
				break;
			}
		}
		waiting.add(connection);
		connection.once('close', () => {
			waiting.delete(connection);
			handling.delete(connection);
			answered.delete(connection);
			upgraded.delete(connection);
		});
		serve(connection, {
			...options,
			refusals,
			requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
			moved: (to) => {
				if (to === 'upgrading') {
					if (upgraded.size >= maxUpgraded) return false;
					upgraded.add(connection);
					return true;
				}
				// An upgrade that ends in an error answer frees its place.
				if (to === 'answered') upgraded.delete(connection);
				// Only while open: an evicted or closed connection is in no set.
				if (!waiting.delete(connection) && !handling.delete(connection)) return false;
				if (to === 'handling') handling.add(connection);
				else if (to === 'answered') answered.add(connection);
				return true;
			},
		});
	});
	// Bound under a temp name beside it (short: socket paths are limited to 107 bytes).
	const bound = join(dirname(options.socket), `.d${process.pid}`);
	rmSync(bound, { force: true });
	const umask = process.umask(0o177);
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(bound, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} finally {
		process.umask(umask);
	}
	chmodSync(bound, 0o600);
	// Moved into place whole (replacing a stale one). Node unlinks the path it
	// bound when the server closes: that is the temp name, gone by then, so it
	// never removes a socket at the real path that is not ours.
	renameSync(bound, options.socket);
	const ours = statSync(options.socket).ino;
	return {
		server,
		close(graceMs) {
			return new Promise((resolve) => {
				// Requests still being answered (the `shutdown` itself) get `graceMs` to finish.
				const timer = setTimeout(() => {
					for (const connection of [...waiting, ...handling, ...answered, ...upgraded])
						connection.destroy();
				}, graceMs);
				for (const connection of waiting) connection.destroy();
				// Their peers hear the daemon is going (what is written still reaches them).
				for (const connection of upgraded) connection.end();
				if (statSync(options.socket, { throwIfNoEntry: false })?.ino === ours) {
					rmSync(options.socket, { force: true });
				}
				server.close(() => {
					clearTimeout(timer);
					refusals.close();
					resolve();
				});
			});
		},
	};
}

interface ServeOptions extends DaemonSocketOptions {
	readonly refusals: SocketRefusals;
	readonly requestTimeoutMs: number;
	/**
	 * Told when the connection's request starts being handled, when it is
	 * answered, and when its handler asks to upgrade it (false: no room).
	 */
	readonly moved: (to: 'handling' | 'answered' | 'upgrading' | 'upgraded') => boolean;
}

/** A line's verdict before any handler runs: an answer already, or the checked request. */
type CheckedLine =
	| { readonly ok: false; readonly response: unknown }
	| { readonly ok: true; readonly method: string; readonly params: unknown };

function serve(connection: Socket, options: ServeOptions): void {
	const chunks: Buffer[] = [];
	let size = 0;
	let state: 'waiting' | 'handling' | 'answered' | 'upgraded' = 'waiting';
	// From the moment it opens, not from its last byte: a request trickled a byte at a time is cut too.
	let deadline = setTimeout(() => {
		options.refusals.refuse('timeout');
		connection.destroy();
	}, options.requestTimeoutMs);
	connection.once('close', () => clearTimeout(deadline));
	// An upgrade method's connection: the bytes after its request line, and the handler's stream once asked for.
	let rest: Buffer | undefined;
	let upgrade: { resolve: (stream: Socket) => void; reject: (error: Error) => void } | undefined;
	const answer = (response: unknown) => {
		if (state === 'answered' || state === 'upgraded') return;
		const line = `${JSON.stringify(response)}\n`;
		if (upgrade !== undefined && (response as { ok?: unknown }).ok === true) {
			if (connection.destroyed) {
				upgrade.reject(new Error('the client closed the connection before its answer'));
				options.moved('answered');
				return;
			}
			state = 'upgraded';
			options.moved('upgraded');
			clearTimeout(deadline);
			connection.off('data', onData);
			// Still paused (since its request line): the answer first, then what the client sent after it.
			connection.write(line);
			if (rest !== undefined && rest.length > 0) connection.unshift(rest);
			upgrade.resolve(connection);
			return;
		}
		upgrade?.reject(new Error('the request was answered with an error'));
		state = 'answered';
		options.moved('answered');
		clearTimeout(deadline);
		// An upgrade method paused the connection: its peer's end must be read to close it.
		connection.resume();
		connection.end(line);
		// A peer that never closes its end must not keep the connection.
		deadline = setTimeout(() => connection.destroy(), options.requestTimeoutMs);
	};
	const fail = (code: string, message: string, hint?: string, issues?: readonly FieldIssue[]) =>
		answer({ ok: false, error: errorJSON(code, message, hint, issues) });
	connection.on('error', () => connection.destroy());
	// The client closing before its answer (Ctrl-C on `tools call`) cancels what the handler does for it.
	const cancel = new AbortController();
	connection.once('close', () => {
		if (state === 'handling') cancel.abort(new Error('the client closed the connection'));
	});
	const progress = (value: unknown) => {
		if (state !== 'handling' || connection.destroyed) return;
		connection.write(`${JSON.stringify({ progress: value })}\n`);
	};
	const requestUpgrade = (): UpgradedConnection => {
		if (upgrade !== undefined || state !== 'handling')
			throw new Error('upgrade() is called once, before the handler answers');
		if (!options.moved('upgrading')) {
			options.log?.(
				`refused an upgrade: ${options.maxUpgraded ?? DEFAULT_MAX_UPGRADED} upgraded connections open`,
			);
			throw new AgentSpaceError(
				`the daemon holds ${options.maxUpgraded ?? DEFAULT_MAX_UPGRADED} open MCP connections already`,
				{
					code: 'CONFLICT',
					hint: 'close MCP clients you no longer use (each one runs its own `agentspace mcp`), or restart the daemon: agentspace daemon stop && agentspace daemon start',
				},
			);
		}
		const stream = new Promise<Socket>((resolve, reject) => {
			upgrade = { resolve, reject };
		});
		// A handler that stops caring once it answered with an error must not leave an unhandled rejection.
		stream.catch(() => {});
		return { stream };
	};
	const onData = (chunk: Buffer) => {
		if (state !== 'waiting') return;
		const newline = chunk.indexOf(0x0a);
		// The limit holds for the line whatever its framing: the bytes before the newline, however they arrive.
		if (size + (newline === -1 ? chunk.length : newline) > MAX_REQUEST_BYTES) {
			options.refusals.refuse('too-large');
			fail(
				'VALIDATION_FAILED',
				`request too large (over ${MAX_REQUEST_BYTES} bytes)`,
				'the CLI and the daemon may be different versions: agentspace daemon stop && agentspace daemon start',
			);
			return;
		}
		if (newline === -1) {
			chunks.push(chunk);
			size += chunk.length;
			return;
		}
		chunks.push(chunk.subarray(0, newline));
		state = 'handling';
		options.moved('handling');
		clearTimeout(deadline);
		const line = Buffer.concat(chunks).toString('utf8');
		chunks.length = 0;
		let checked: CheckedLine;
		try {
			checked = checkLine(line, options);
		} catch (error) {
			fail('INTERNAL', `the daemon failed: ${(error as Error).message}`);
			return;
		}
		if (!checked.ok) {
			answer(checked.response);
			return;
		}
		const upgrades = options.methods[checked.method]?.upgrades === true;
		if (upgrades) {
			// Nothing past the request line is read until the handler has answered: it is the
			// stream's, kept (and the socket's own buffer after it) for whoever takes the stream.
			connection.pause();
			rest = chunk.subarray(newline + 1);
		}
		// Only a method that declares it streams sends progress lines: the others answer with one line, as ever.
		const streams = options.methods[checked.method]?.streams === true;
		const call: MethodCall<unknown> = {
			signal: cancel.signal,
			progress: streams ? progress : () => {},
			...(upgrades ? { upgrade: requestUpgrade } : {}),
		};
		// Async, so that a handler throwing at once is answered like one rejecting.
		(async () => options.handle(checked.method, checked.params, call))().then(
			(result) => answer({ ok: true, result }),
			(error: unknown) => {
				// A table dropped under the running daemon is damage to report, not a daemon bug.
				const known = isAgentSpaceError(error)
					? error
					: asDamagedDatabaseError(error, options.db.$client.name);
				// Its issues go with it: the client rebuilds the error whole (errorFromJSON).
				if (known !== undefined) fail(known.code, known.message, known.hint, known.issues);
				else fail('INTERNAL', `the daemon failed: ${(error as Error).message}`);
			},
		);
	};
	connection.on('data', onData);
}

/** An error as it crosses the socket: what `AgentSpaceError.toJSON()` writes, issues only when there are some. */
function errorJSON(
	code: string,
	message: string,
	hint: string | undefined,
	issues: readonly FieldIssue[] | undefined,
): ErrorJSON {
	return {
		code,
		message,
		...(hint === undefined ? {} : { hint }),
		...(issues === undefined || issues.length === 0 ? {} : { issues }),
	};
}

/** Authenticates a request line and checks it against the methods, before any handler runs. */
function checkLine(line: string, options: ServeOptions): CheckedLine {
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
		options.refusals.refuse(typeof token === 'string' ? 'wrong-token' : 'no-token', method);
		return {
			ok: false,
			response: {
				ok: false,
				error: {
					code: 'AUTH_FAILED',
					message: 'the daemon refused the request: wrong or missing auth token',
					hint: 'use the CLI of the same AgentSpace home (AGENTSPACE_HOME) as the daemon',
				},
			},
		};
	}
	const checked = checkDaemonRequest(raw, options.methods);
	if (!checked.ok) {
		return {
			ok: false,
			response: {
				ok: false,
				error: errorJSON(
					'VALIDATION_FAILED',
					`malformed daemon request: ${checked.issues
						.map((issue) => `${issue.path}: ${issue.message}`)
						.join('; ')}`,
					'the CLI and the daemon may be different versions: agentspace daemon stop && agentspace daemon start',
					checked.issues,
				),
			},
		};
	}
	return { ok: true, method: checked.method, params: checked.params };
}
