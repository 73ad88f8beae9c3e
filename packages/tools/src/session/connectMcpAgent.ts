import { setMaxListeners } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { AgentSpaceError } from '@agentspace/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
	CallToolResultSchema,
	ErrorCode,
	McpError,
	ProgressNotificationSchema,
	ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import {
	DEFAULT_HANDSHAKE_TIMEOUT_MS,
	MAX_TOOL_LIST_PAGES,
	MIN_RELIST_INTERVAL_MS,
} from '../limits.js';
import type { ToolDefinition } from '../toolDefinition.js';
import { BoundedStdioTransport } from './boundedStdioTransport.js';
import { checkDuration } from './checkDuration.js';
import { listAgentTools, ToolListRefused } from './listAgentTools.js';
import { boundedCapabilities, boundedServerInfo } from './serverFacts.js';
import { SessionLog } from './sessionLog.js';
import { ToolCallFailure } from './toolCallFailure.js';

/** The two streams of a running MCP agent's process (its stdout and stdin). */
export interface McpAgentChannel {
	/** The agent's stdout: protocol messages from the agent (untrusted). */
	readonly fromAgent: Readable;
	/** The agent's stdin: protocol messages to the agent. */
	readonly toAgent: Writable;
}

/** Options of {@link connectMcpAgent}. */
export interface ConnectMcpAgentOptions {
	readonly agentId: string;
	readonly runId: string;
	/** How long `initialize` and the first full `tools/list` may take together; DEFAULT_HANDSHAKE_TIMEOUT_MS by default. */
	readonly handshakeTimeoutMs?: number;
	/** Where problems with the agent go, one bounded, escaped line each (nothing by default). */
	readonly log?: (line: string) => void;
	/** The largest message accepted from the agent; MAX_MESSAGE_BYTES by default. */
	readonly maxMessageBytes?: number;
	/** Unsolicited messages accepted per second; MAX_NOTIFICATIONS_PER_SECOND by default. */
	readonly maxNotificationsPerSecond?: number;
}

/** Progress of a tool call, as the agent reports it (notifications/progress, in order). */
export interface ToolCallProgress {
	readonly progress: number;
	readonly total?: number;
	readonly message?: string;
}

/** Options of one {@link McpAgentSession.callTool}. */
export interface SessionCallOptions {
	/** Aborting it cancels the call: the agent is sent notifications/cancelled. */
	readonly signal?: AbortSignal;
	/** Called for each progress notification of this call, in the order received. */
	readonly onProgress?: (progress: ToolCallProgress) => void;
	/** The call fails as `timeout` (and is cancelled at the agent) after this long. */
	readonly timeoutMs: number;
}

/** What a tool answered: its content, and `isError` when the tool itself reports failure. */
export interface ToolCallOutcome {
	readonly isError: boolean;
	readonly content: readonly unknown[];
	readonly structuredContent?: Record<string, unknown>;
}

/** The daemon's MCP session with one run of one agent. */
export interface McpAgentSession {
	readonly agentId: string;
	readonly runId: string;
	readonly serverInfo: { readonly name: string; readonly version: string; readonly title?: string };
	/** The protocol version agreed in `initialize`. */
	readonly protocolVersion: string;
	/** The capabilities the agent declared (bounded). */
	readonly capabilities: Readonly<Record<string, unknown>>;
	/** The tools the agent offers now (checked and bounded; bad ones dropped with a logged problem). */
	tools(): readonly ToolDefinition[];
	/** Called with the new list after notifications/tools/list_changed (re-listed, bounded); returns an unsubscribe. */
	onToolsChanged(listener: (tools: readonly ToolDefinition[]) => void): () => void;
	/** Calls one tool; rejects with a ToolCallFailure when there is no result (see its `kind`). */
	callTool(
		name: string,
		args: Record<string, unknown>,
		options: SessionCallOptions,
	): Promise<ToolCallOutcome>;
	/** Pings the agent; rejects when it does not answer within `timeoutMs`. */
	ping(timeoutMs: number): Promise<void>;
	/** Resolves with why the session ended (agent exited, protocol error, closed by us). */
	readonly ended: Promise<string>;
	/** Ends the session: stops reading and closes the agent's stdin (an MCP server exits on it). */
	close(): Promise<void>;
}

const CLIENT_INFO = { name: 'agentspace', version: '0.1.0' } as const;

let progressTokens = 0;

/** Marks why a call's own abort controller fired, so an agent's error code cannot pose as either. */
const TIMED_OUT = Symbol('timed out');

/**
 * Connects to an MCP agent over its process's streams with the SDK's Client
 * over a {@link BoundedStdioTransport}: `initialize` (protocol version
 * negotiated, server info and capabilities kept) and every page of
 * `tools/list`, both within `handshakeTimeoutMs`. Throws AgentSpaceError
 * COMMAND_FAILED `mcp handshake failed: <reason>` when the agent does not
 * complete it (the session is closed). Afterwards every misbehaviour of the
 * agent is bounded: it either is logged and dropped or ends the session,
 * `ended` saying why; nothing it sends throws out of the session.
 */
export async function connectMcpAgent(
	channel: McpAgentChannel,
	options: ConnectMcpAgentOptions,
): Promise<McpAgentSession> {
	const { agentId, runId } = options;
	const handshakeTimeoutMs = checkDuration(
		'handshakeTimeoutMs',
		options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
	);
	const log = new SessionLog(`mcp ${agentId}: `, options.log ?? (() => {}));
	// Progress of our calls by their progress token, taken in arrival order (see intercept).
	const progressListeners = new Map<string, (progress: ToolCallProgress) => void>();
	const transport = new BoundedStdioTransport(channel.fromAgent, channel.toAgent, {
		log,
		intercept: (message) => {
			if (!('method' in message) || message.method !== 'notifications/progress') return false;
			const parsed = ProgressNotificationSchema.safeParse(message);
			if (!parsed.success) return false;
			const { progressToken, progress, total, message: text } = parsed.data.params;
			const listener = progressListeners.get(String(progressToken));
			if (listener === undefined || typeof progressToken !== 'string') return false;
			listener({
				progress,
				...(total === undefined ? {} : { total }),
				...(text === undefined ? {} : { message: text }),
			});
			return true;
		},
		maxMessageBytes: options.maxMessageBytes,
		maxNotificationsPerSecond: options.maxNotificationsPerSecond,
	});
	const client = new Client(CLIENT_INFO, { capabilities: {} });
	let closedByUs = false;
	let closed = false;
	const ended = new Promise<string>((resolve) => {
		client.onclose = () => {
			closed = true;
			resolve(
				transport.failure ??
					(closedByUs ? 'closed by AgentSpace' : 'the agent closed its output (it exited)'),
			);
		};
	});
	client.onerror = (error) => {
		// The SDK reports here what it could not match: answers to ids never
		// asked (or asked and given up on), progress for unknown tokens. Each
		// counts against the flood allowance; none is thrown.
		const unknown = /unknown (message ID|token)/.exec(error.message);
		if (unknown) {
			log.problem(unknown[1] === 'token' ? 'unknown-token' : 'unknown-id', error.message);
			transport.countUnsolicited();
		} else if (!error.message.startsWith('protocol error')) log.problem('error', error.message);
	};

	let tools: readonly ToolDefinition[] = [];
	const listeners = new Set<(tools: readonly ToolDefinition[]) => void>();
	let refreshing = false;
	let refreshAgain = false;
	let lastRefreshAt = Number.NEGATIVE_INFINITY;
	const refresh = async (): Promise<void> => {
		if (refreshing) {
			// Coalesced: however many list_changed arrive, one listing runs and one follows.
			refreshAgain = true;
			return;
		}
		refreshing = true;
		try {
			do {
				refreshAgain = false;
				// Spaced (from the end of the last one): an agent announcing changes
				// without end gets one listing a second, not a listing loop (each up
				// to 100 pages of 4 MiB).
				const wait = lastRefreshAt + MIN_RELIST_INTERVAL_MS - performance.now();
				if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
				if (closed) return;
				try {
					tools = await listAgentTools(client, log, { timeout: handshakeTimeoutMs });
					lastRefreshAt = performance.now();
				} catch (error) {
					if (error instanceof ToolListRefused) transport.fail(error.message);
					else if (!closed)
						log.problem(
							'refresh',
							`tools/list after list_changed failed: ${reasonOf(error, closed)}`,
						);
					return;
				}
				for (const listener of listeners) {
					try {
						listener(tools);
					} catch (error) {
						log.problem('listener', `a tools-changed listener failed: ${(error as Error).message}`);
					}
				}
			} while (refreshAgain && !closed);
		} finally {
			refreshing = false;
		}
	};

	// Set before initialize: a list_changed the agent sends while we list its
	// tools may describe a change our listing missed, so it is re-listed after.
	let handshakeDone = false;
	let changedDuringHandshake = false;
	client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
		if (handshakeDone) void refresh();
		else changedDuringHandshake = true;
	});

	const handshake = new AbortController();
	// The SDK adds an abort listener per request and keeps it: one per page, bounded by MAX_TOOL_LIST_PAGES.
	setMaxListeners(MAX_TOOL_LIST_PAGES + 10, handshake.signal);
	const timer = setTimeout(
		() => handshake.abort(new Error(`timed out after ${handshakeTimeoutMs / 1000} s`)),
		handshakeTimeoutMs,
	);
	try {
		const requestOptions = { signal: handshake.signal, timeout: handshakeTimeoutMs + 1000 };
		await client.connect(transport, requestOptions);
		tools = await listAgentTools(client, log, requestOptions);
	} catch (error) {
		const reason = handshake.signal.aborted
			? `timed out after ${handshakeTimeoutMs / 1000} s`
			: (transport.failure ??
				(closed ? 'the agent closed its output (it exited)' : reasonOf(error, closed)));
		await client.close().catch(() => {});
		throw new AgentSpaceError(`mcp handshake failed: ${reason}`, {
			code: 'COMMAND_FAILED',
			hint: `an MCP agent must answer initialize and list its tools on stdout within ${handshakeTimeoutMs / 1000} s; see the agent's log`,
			cause: error,
		});
	} finally {
		clearTimeout(timer);
	}

	handshakeDone = true;
	if (changedDuringHandshake) void refresh();

	const serverInfo = boundedServerInfo(client.getServerVersion());
	const capabilities = boundedCapabilities(client.getServerCapabilities(), log);
	return {
		agentId,
		runId,
		serverInfo,
		protocolVersion: transport.protocolVersion ?? 'unknown',
		capabilities,
		tools: () => tools,
		onToolsChanged(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		async callTool(name, args, callOptions) {
			const timeoutMs = checkDuration('timeoutMs', callOptions.timeoutMs);
			if (closed)
				throw new ToolCallFailure('session-ended', `the MCP session with ${agentId} has ended`);
			const call = new AbortController();
			const onAbort = () => call.abort(callOptions.signal?.reason ?? new Error('cancelled'));
			if (callOptions.signal?.aborted) onAbort();
			callOptions.signal?.addEventListener('abort', onAbort, { once: true });
			const timer = setTimeout(() => call.abort(TIMED_OUT), timeoutMs);
			const { onProgress } = callOptions;
			// Our own progress token (the SDK's onprogress would lose the last
			// notification before the answer: see the transport's intercept).
			const progressToken = `agentspace-${++progressTokens}`;
			if (onProgress !== undefined) progressListeners.set(progressToken, onProgress);
			try {
				const result = await client.request(
					{
						method: 'tools/call',
						params: {
							name,
							arguments: args,
							...(onProgress === undefined ? {} : { _meta: { progressToken } }),
						},
					},
					CallToolResultSchema,
					{
						signal: call.signal,
						// A backstop only: our own timer above fires first, so a
						// timeout is told from an agent's error of the same code.
						timeout: timeoutMs + 1000,
					},
				);
				return {
					isError: result.isError === true,
					content: result.content,
					...(result.structuredContent === undefined
						? {}
						: { structuredContent: result.structuredContent }),
				};
			} catch (error) {
				if (call.signal.aborted && call.signal.reason === TIMED_OUT)
					throw new ToolCallFailure(
						'timeout',
						`${agentId}/${name}: no answer within ${timeoutMs} ms`,
						{
							hint: 'the call was cancelled at the agent; give it more time with a larger timeout',
						},
					);
				if (call.signal.aborted)
					throw new ToolCallFailure('cancelled', `${agentId}/${name}: cancelled`, { cause: error });
				if (closed)
					throw new ToolCallFailure(
						'session-ended',
						`${agentId}/${name}: ${transport.failure ?? 'the MCP session ended before the answer'}`,
						{ cause: error },
					);
				if (error instanceof McpError)
					throw new ToolCallFailure(
						'error-response',
						`${agentId}/${name}: the agent answered with an error: ${error.message}`,
						{
							rpcCode: error.code,
							cause: error,
						},
					);
				throw new ToolCallFailure(
					'invalid-result',
					`${agentId}/${name}: the agent's answer is not a valid tool result`,
					{ cause: error },
				);
			} finally {
				clearTimeout(timer);
				progressListeners.delete(progressToken);
				callOptions.signal?.removeEventListener('abort', onAbort);
			}
		},
		async ping(timeoutMs) {
			await client.ping({ timeout: checkDuration('timeoutMs', timeoutMs) });
		},
		ended,
		async close() {
			closedByUs = true;
			await client.close();
		},
	};
}

function reasonOf(error: unknown, closed: boolean): string {
	if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed && closed)
		return 'the agent closed its output (it exited)';
	if (error instanceof ToolListRefused) return error.message;
	return error instanceof Error ? error.message : String(error);
}
