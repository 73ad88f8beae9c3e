import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AgentSpaceDb } from '@agentspace/db';
import type { GatewaySession } from '@agentspace/tools';
import { mcpTokenUsable, verifyMcpToken } from '@agentspace/tools/tokens';
import { MAX_MCP_HTTP_BODY_BYTES, readBody } from './mcpHttpBody.js';
import { httpCallerOf } from './mcpHttpCaller.js';
import { bearerToken, checkHostAndOrigin } from './mcpHttpGuards.js';
import { type McpHttpRefusalKind, McpHttpRefusals } from './mcpHttpRefusals.js';
import type { ToolsGateway } from './toolsService.js';

/** What the endpoint loads on first use (see mcpHttpRuntime.ts). */
export type McpHttpRuntime = typeof import('./mcpHttpRuntime.js');

/**
 * The most HTTP sessions open at once; a new one past it closes the least
 * recently used session of the token holding the most (so a client opening
 * sessions without end closes its own, never another token's).
 */
export const MAX_MCP_HTTP_SESSIONS = 64;
/** The most HTTP sessions one token holds open; a new one past it closes that token's least recently used. */
export const MAX_MCP_HTTP_SESSIONS_PER_TOKEN = 16;

/** Options of {@link startMcpHttpEndpoint}. */
export interface McpHttpEndpointOptions {
	readonly db: AgentSpaceDb;
	readonly port: number;
	/** The home's auth token: accepted as a bearer beside minted tokens. */
	readonly homeToken: string;
	readonly gateway: ToolsGateway;
	readonly runtime: McpHttpRuntime;
	readonly sourceApp?: string;
	readonly log: (line: string) => void;
	readonly maxBodyBytes?: number;
	/** MAX_MCP_HTTP_SESSIONS unless given (tests). */
	readonly maxSessions?: number;
	/** MAX_MCP_HTTP_SESSIONS_PER_TOKEN unless given (tests). */
	readonly maxSessionsPerToken?: number;
	/** The refusal folding window (10 s by default). */
	readonly refusalWindowMs?: number;
	/** How often sessions opened with a minted token are checked against it (5 s by default). */
	readonly tokenSweepMs?: number;
}

/** The endpoint while it listens. */
export interface McpHttpEndpoint {
	readonly port: number;
	readonly url: string;
	sessions(): number;
	/** Stops listening, ends every session, records the refusals still folded. */
	close(): Promise<void>;
}

interface Session {
	readonly transport: InstanceType<McpHttpRuntime['StreamableHTTPServerTransport']>;
	readonly gateway: GatewaySession;
	/** Who opened it (`home` or a minted token's id): only the same bearer may use it. */
	readonly via: string;
	lastUsed: number;
}

const SECURITY_HEADERS = {
	'Cache-Control': 'no-store',
	'X-Content-Type-Options': 'nosniff',
} as const;

/** Answers with a JSON-RPC error (id null), as the SDK's transport does; no CORS header, ever. */
function answer(
	res: ServerResponse,
	status: number,
	code: number,
	message: string,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent) return void res.end();
	const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
	res.writeHead(status, {
		...SECURITY_HEADERS,
		...headers,
		'Content-Type': 'application/json',
		'Content-Length': String(Buffer.byteLength(body)),
	});
	res.end(body);
}

const TOKEN_REASONS: Readonly<Record<string, string>> = {
	'no-token': 'MCP HTTP request without a bearer token',
	'wrong-token': 'MCP HTTP request with a wrong bearer token',
	'expired-token': 'MCP HTTP request with an expired token',
	'revoked-token': 'MCP HTTP request with a revoked token',
};

/**
 * Serves MCP Streamable HTTP on 127.0.0.1:`port`/mcp: one SDK
 * StreamableHTTPServerTransport per session, each served by serveGateway.
 * Every request is checked here before the SDK sees it, in this order —
 * Host and Origin (DNS rebinding: 403), the bearer token (the home's or a
 * minted one: 401 with WWW-Authenticate), the body read by this code up to
 * 4 MiB (413), JSON (400, parse error), one JSON-RPC message and not a batch
 * (400) — and each refusal is audited (folded) with nothing called.
 */
export async function startMcpHttpEndpoint(
	options: McpHttpEndpointOptions,
): Promise<McpHttpEndpoint> {
	const { db, port, log } = options;
	const address = `127.0.0.1:${port}`;
	const url = `http://${address}/mcp`;
	const maxBodyBytes = options.maxBodyBytes ?? MAX_MCP_HTTP_BODY_BYTES;
	const maxSessions = options.maxSessions ?? MAX_MCP_HTTP_SESSIONS;
	const maxPerToken = Math.min(
		maxSessions,
		options.maxSessionsPerToken ?? MAX_MCP_HTTP_SESSIONS_PER_TOKEN,
	);
	const refusals = new McpHttpRefusals({
		db,
		address,
		log,
		...(options.sourceApp === undefined ? {} : { sourceApp: options.sourceApp }),
		...(options.refusalWindowMs === undefined ? {} : { windowMs: options.refusalWindowMs }),
	});
	const sessions = new Map<string, Session>();
	// Gateway sessions alive, initialized or not (what status counts): each is a Server and a catalog listener.
	let live = 0;

	const openSession = async (via: string): Promise<Session> => {
		const victim = sessionToClose(sessions, via, maxSessions, maxPerToken);
		if (victim !== undefined) {
			const [oldestId, oldest] = victim;
			sessions.delete(oldestId);
			log(
				`mcp http: closing the least recently used session of ${oldest.via.slice(0, 100)} (${sessions.size + 1} open)`,
			);
			void oldest.gateway.close();
		}
		let session: Session | undefined;
		const transport = new options.runtime.StreamableHTTPServerTransport({
			sessionIdGenerator: () => randomUUID(),
			onsessioninitialized: (id) => {
				if (session !== undefined) sessions.set(id, session);
			},
		});
		const gateway = await options.gateway.runtime.serveGateway({
			transport,
			catalog: options.gateway.catalog,
			router: options.gateway.router,
			callerOf: (client) => httpCallerOf(client, via),
			log,
		});
		session = { transport, gateway, via, lastUsed: Date.now() };
		live += 1;
		void gateway.closed.then(() => {
			live -= 1;
			const id = transport.sessionId;
			if (id !== undefined && sessions.get(id) === session) sessions.delete(id);
		});
		return session;
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const method = req.method ?? '-';
		const path = (req.url ?? '/').split('?')[0] ?? '/';
		const refuse = (
			kind: McpHttpRefusalKind,
			status: number,
			code: number,
			reason: string,
			headers: Record<string, string> = {},
		) => {
			refusals.refuse({ kind, reason, method, path });
			answer(res, status, code, reason, headers);
		};

		const header = checkHostAndOrigin(req.headers, port);
		if (header !== undefined) return refuse(header.kind, 403, -32000, header.reason);
		const token = bearerToken(req.headers);
		const check = verifyMcpToken(db, token, { homeToken: options.homeToken });
		if (!check.ok) {
			const challenge =
				check.refusal === 'no-token'
					? 'Bearer realm="agentspace"'
					: 'Bearer realm="agentspace", error="invalid_token"';
			return refuse(
				check.refusal,
				401,
				-32001,
				`${TOKEN_REASONS[check.refusal]}${check.tokenId === undefined ? '' : ` (${check.tokenId})`}`,
				{ 'WWW-Authenticate': challenge },
			);
		}
		const via = check.via === 'home' ? 'home' : check.tokenId;
		if (path !== '/mcp') return answer(res, 404, -32000, 'not found: the MCP endpoint is /mcp');
		if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
			return answer(res, 405, -32000, 'method not allowed', { Allow: 'GET, POST, DELETE' });
		}

		let message: unknown;
		let initialize = false;
		if (method === 'POST') {
			const body = await readBody(req, maxBodyBytes);
			if (!body.ok) {
				// The rest of an oversized body is not read: the connection goes with the answer.
				return body.kind === 'too-large'
					? refuse('too-large', 413, -32000, `request body over ${maxBodyBytes} bytes`, {
							Connection: 'close',
						})
					: refuse('unreadable', 400, -32000, 'request body could not be read', {
							Connection: 'close',
						});
			}
			let parsed: unknown;
			try {
				parsed = JSON.parse(body.text);
			} catch {
				return refuse('malformed-json', 400, -32700, 'Parse error: the body is not JSON');
			}
			const checked = options.runtime.checkJsonRpcMessage(parsed);
			if (!checked.ok) {
				return refuse(
					checked.kind === 'batch' ? 'batch' : 'malformed-jsonrpc',
					400,
					-32600,
					`Invalid Request: ${checked.reason}`,
				);
			}
			message = checked.message;
			initialize = checked.initialize;
		}

		const sessionId = req.headers['mcp-session-id'];
		let session: Session | undefined;
		if (typeof sessionId !== 'string') {
			if (!initialize) {
				return answer(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
			}
			session = await openSession(via);
		} else {
			session = sessions.get(sessionId);
			// Another bearer's session is not told apart from an unknown one.
			if (session === undefined || session.via !== via) {
				return answer(res, 404, -32001, 'Session not found');
			}
			session.lastUsed = Date.now();
		}
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
		await session.transport.handleRequest(req, res, message);
		// An initialize the transport refused (e.g. a wrong Accept header) opened no session: end its server.
		if (typeof sessionId !== 'string' && session.transport.sessionId === undefined) {
			await session.gateway.close();
		}
	};

	// A session outlives its requests (its event stream stays open): once its
	// token is revoked or expires, the session is ended, not only its next request refused.
	const sweep = setInterval(() => {
		const now = new Date();
		for (const [id, session] of sessions) {
			let usable: boolean;
			try {
				usable = session.via === 'home' || mcpTokenUsable(db, session.via, now);
			} catch (error) {
				// A failed read (a damaged database) must not throw out of a timer: that would end
				// the daemon and every agent it runs. The session is left as it is; its requests
				// are still checked one by one.
				log(`mcp http: could not check the token of a session: ${(error as Error).message}`);
				return;
			}
			if (usable) continue;
			sessions.delete(id);
			log(`mcp http: ended a session of ${session.via}: the token was revoked or expired`);
			void session.gateway.close();
		}
	}, options.tokenSweepMs ?? 5000);
	sweep.unref();

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			log(`mcp http: ${req.method} ${(req.url ?? '').slice(0, 100)}: ${(error as Error).message}`);
			answer(res, 500, -32603, 'Internal error');
		});
	});
	// Bounded waits: a client that sends its headers or body slowly is cut off.
	server.headersTimeout = 10_000;
	server.requestTimeout = 60_000;
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen({ port, host: '127.0.0.1' }, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} catch (error) {
		// Nothing was refused yet: this only stops the timers.
		clearInterval(sweep);
		refusals.close();
		throw error;
	}
	// After listening, a server error must not take the daemon (and its agents) down.
	server.on('error', (error) => log(`mcp http on ${address}: ${error.message}`));
	return {
		port,
		url,
		sessions: () => live,
		close: async () => {
			clearInterval(sweep);
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			await Promise.allSettled([...sessions.values()].map((session) => session.gateway.close()));
			sessions.clear();
			server.closeAllConnections();
			await closed;
			refusals.close();
		},
	};
}

/**
 * The session a new one of `via` makes room by closing, if any: at the
 * per-token cap, `via`'s own least recently used; at the overall cap, the
 * least recently used of the token holding the most sessions.
 */
function sessionToClose(
	sessions: ReadonlyMap<string, Session>,
	via: string,
	maxSessions: number,
	maxPerToken: number,
): [string, Session] | undefined {
	const byVia = new Map<string, [string, Session][]>();
	for (const entry of sessions) {
		const list = byVia.get(entry[1].via) ?? [];
		list.push(entry);
		byVia.set(entry[1].via, list);
	}
	let pool = byVia.get(via) ?? [];
	if (pool.length < maxPerToken) {
		if (sessions.size < maxSessions) return undefined;
		for (const list of byVia.values()) if (list.length > pool.length) pool = list;
	}
	return pool.reduce<[string, Session] | undefined>(
		(oldest, entry) =>
			oldest === undefined || entry[1].lastUsed < oldest[1].lastUsed ? entry : oldest,
		undefined,
	);
}
