import {
	type AgentSpaceError,
	isAgentSpaceError,
	PermissionDeniedError,
	sha256Hex,
} from '@agentspace/core';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
	CallToolRequestSchema,
	type CallToolResult,
	ErrorCode,
	ListToolsRequestSchema,
	McpError,
	type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolCaller } from '../callLog/types.js';
import { MAX_SERVER_INFO_LENGTH } from '../limits.js';
import type { ToolRouter } from '../router/toolRouter.js';
import { RateWindow } from '../session/rateWindow.js';
import type { GatewayCatalog, GatewayTool } from './gatewayCatalog.js';
import { shortenedNote } from './gatewayNames.js';
import { GATEWAY_VERSION } from './gatewayVersion.js';

/** The client as its initialize request named itself. */
export interface GatewayClientInfo {
	readonly name: string;
	readonly version: string;
}

/** Options of {@link serveGateway}. */
export interface ServeGatewayOptions {
	/** What the client speaks over; serveGateway connects an SDK Server to it (Server.connect starts it). */
	readonly transport: Transport;
	readonly catalog: GatewayCatalog;
	readonly router: ToolRouter;
	/**
	 * Who its calls are recorded as, once initialize named the client
	 * (undefined before / when it did not); name and version are cut to 200
	 * characters.
	 */
	readonly callerOf: (client: GatewayClientInfo | undefined) => ToolCaller;
	/** Only targets it allows are listed and callable (an agent caller's approved tool:call permissions); all when absent. */
	readonly allows?: (target: string) => boolean;
	/** Calls in flight at once (default 64); more are answered with an error at once (nothing called). */
	readonly maxCallsInFlight?: number;
	readonly log?: (line: string) => void;
}

/** One client's session with the gateway. */
export interface GatewaySession {
	/** Resolves when the client went away or close() was called. */
	readonly closed: Promise<void>;
	close(): Promise<void>;
}

/** The default of {@link ServeGatewayOptions.maxCallsInFlight}. */
export const DEFAULT_GATEWAY_CALLS_IN_FLIGHT = 64;

/** The tools/list requests one session is answered in a second; more get an error. */
export const MAX_GATEWAY_LISTS_PER_SECOND = 20;

const INSTRUCTIONS =
	'AgentSpace: the tools of the MCP agents it runs, sandboxed, as <agent>__<tool>, and its own ' +
	'agentspace__* and fleet__* tools. Every call is checked against the tool policies and recorded. ' +
	'A refused or failed call is an isError result starting error[CODE] with a hint; the list changes ' +
	'as agents start and stop (notifications/tools/list_changed).';

// The listing of one catalog table for one session: rendered once per table, not per tools/list.
interface Rendered {
	readonly source: readonly GatewayTool[];
	readonly tools: Tool[];
	readonly hash: string;
}

/**
 * Serves one MCP client: an SDK Server over `transport` listing the
 * catalog's tools (those `allows` allows; one page, no cursor) and routing
 * each tools/call through `router.callTool` as `callerOf(clientInfo)` —
 * progress relayed under the client's progressToken, the client's
 * notifications/cancelled cancelling the call at the agent, the router's
 * refusals and failures answered as `isError` results reading
 * `error[CODE]: message` + `hint: …` (with `_meta['agentspace/code']`). An
 * unknown name, or one `allows` refuses, is a JSON-RPC InvalidParams error
 * "unknown tool" (a refused one is recorded and audited as denied). At most
 * `maxCallsInFlight` calls run at once; more are answered with an error at
 * once. When the catalog changes so that this session's list does, the
 * client is sent notifications/tools/list_changed.
 */
export async function serveGateway(options: ServeGatewayOptions): Promise<GatewaySession> {
	const { catalog, router, callerOf } = options;
	const allows = options.allows;
	const maxInFlight = options.maxCallsInFlight ?? DEFAULT_GATEWAY_CALLS_IN_FLIGHT;
	const log = (line: string) => {
		try {
			options.log?.(line);
		} catch {
			// A failing log sink must not end the session.
		}
	};
	const server = new Server(
		{ name: 'agentspace', version: GATEWAY_VERSION },
		{ capabilities: { tools: { listChanged: true } }, instructions: INSTRUCTIONS },
	);
	let rendered: Rendered | undefined;
	const render = (): Rendered => {
		const source = catalog.list();
		if (rendered?.source !== source)
			rendered = allows === undefined ? sharedRender(source) : renderList(source, allows);
		return rendered;
	};
	const caller = () => callerOf(clientInfoOf(server.getClientVersion()));

	// A listing is the biggest answer (every tool's schemas); a client asking
	// for it without end would hold the daemon's event loop writing them.
	const lists = new RateWindow(MAX_GATEWAY_LISTS_PER_SECOND, Number.POSITIVE_INFINITY);
	server.setRequestHandler(ListToolsRequestSchema, () => {
		if (lists.record() !== 'ok')
			throw new McpError(
				ErrorCode.InvalidRequest,
				`tools/list asked more than ${MAX_GATEWAY_LISTS_PER_SECOND} times a second: list again after notifications/tools/list_changed`,
			);
		return { tools: render().tools };
	});

	let inFlight = 0;
	let overloadLogged = false;
	server.setRequestHandler(
		CallToolRequestSchema,
		async (request, extra): Promise<CallToolResult> => {
			const name = request.params.name;
			const args = request.params.arguments ?? {};
			const tool = catalog.resolve(name);
			if (tool === undefined)
				throw new McpError(
					ErrorCode.InvalidParams,
					`unknown tool ${JSON.stringify(name.slice(0, 100))}`,
				);
			if (inFlight >= maxInFlight) {
				if (!overloadLogged) log(`mcp gateway: over ${maxInFlight} calls in flight: refusing more`);
				overloadLogged = true;
				return errorResult(
					'CONFLICT',
					`too many calls in flight (at most ${maxInFlight} at once): ${name} was not called`,
					'wait for earlier calls to finish, then call again',
				);
			}
			inFlight += 1;
			const progressToken = request.params._meta?.progressToken;
			let progressed = false;
			try {
				// Refusals count as calls in flight too: each is a write to the call log.
				if (allows !== undefined && !allows(tool.target)) {
					await router.refuse(
						caller(),
						tool.target,
						args,
						new PermissionDeniedError(
							`${tool.target} is not a tool this caller was approved to call`,
							{
								hint: 'approve tool:call:<agent>/<tool> in the agent manifest',
							},
						),
					);
					throw new McpError(ErrorCode.InvalidParams, `unknown tool ${JSON.stringify(name)}`);
				}
				const result = await router.callTool(caller(), tool.target, args, {
					signal: extra.signal,
					...(progressToken === undefined
						? {}
						: {
								onProgress: (progress) => {
									progressed = true;
									void extra
										.sendNotification({
											method: 'notifications/progress',
											params: { progressToken, ...progress },
										})
										.catch(() => {
											// The client went away: the call is cancelled by the close.
										});
								},
							}),
				});
				// The SDK's Client handles a notification a microtask after reading
				// it but a response at once, dropping the call's progress handler:
				// progress read in one chunk with the answer is lost. The answer
				// waits a turn of the event loop so the progress goes out first.
				if (progressed) await new Promise<void>((resolve) => setImmediate(resolve));
				return {
					content: result.content as CallToolResult['content'],
					...(result.structuredContent === undefined
						? {}
						: { structuredContent: result.structuredContent }),
					...(result.isError ? { isError: true } : {}),
					_meta: { 'agentspace/callId': result.callId },
				};
			} catch (error) {
				if (!isAgentSpaceError(error)) throw error;
				return errorResultOf(error);
			} finally {
				inFlight -= 1;
				if (inFlight === 0) overloadLogged = false;
			}
		},
	);

	let closedResolve: () => void = () => {};
	const closed = new Promise<void>((resolve) => {
		closedResolve = resolve;
	});
	let visibleHash = render().hash;
	const unsubscribe = catalog.onChange(() => {
		const hash = render().hash;
		if (hash === visibleHash) return;
		visibleHash = hash;
		// Only a client that finished initialize is told (it lists on connecting anyway).
		if (server.getClientCapabilities() === undefined) return;
		server.sendToolListChanged().catch((error: unknown) => {
			log(`mcp gateway: list_changed not sent: ${(error as Error).message}`);
		});
	});
	server.onclose = () => {
		unsubscribe();
		closedResolve();
	};
	try {
		await server.connect(options.transport);
	} catch (error) {
		// The transport would not start: nothing is served, nothing keeps listening.
		unsubscribe();
		closedResolve();
		throw error;
	}
	return {
		closed,
		async close() {
			unsubscribe();
			await server.close();
			closedResolve();
		},
	};
}

// Sessions without an allows-filter list the same tools: one rendering per catalog table for all of them.
const shared = new WeakMap<readonly GatewayTool[], Rendered>();

function sharedRender(source: readonly GatewayTool[]): Rendered {
	let rendered = shared.get(source);
	if (rendered === undefined) {
		rendered = renderList(source, undefined);
		shared.set(source, rendered);
	}
	return rendered;
}

function renderList(
	source: readonly GatewayTool[],
	allows: ((target: string) => boolean) | undefined,
): Rendered {
	const tools: Tool[] = [];
	const hashed: string[] = [];
	for (const tool of source) {
		if (allows !== undefined && !allows(tool.target)) continue;
		const { definition } = tool;
		const note = shortenedNote(tool);
		const description =
			definition.description === undefined
				? note === ''
					? undefined
					: note.trimEnd()
				: note + definition.description;
		tools.push({
			name: tool.name,
			...(definition.title === undefined ? {} : { title: definition.title }),
			...(description === undefined ? {} : { description }),
			inputSchema: definition.inputSchema as Tool['inputSchema'],
			...(definition.outputSchema === undefined
				? {}
				: { outputSchema: definition.outputSchema as Tool['outputSchema'] }),
			...(definition.annotations === undefined ? {} : { annotations: definition.annotations }),
		});
		hashed.push(`${tool.name}\t${definition.definitionHash}`);
	}
	return { source, tools, hash: sha256Hex(hashed.join('\n')) };
}

/**
 * The client as initialize named it, each string cut to
 * MAX_SERVER_INFO_LENGTH (the client's text, bounded as an agent's is); a
 * client that gave no name is undefined, as one that did not initialize.
 */
function clientInfoOf(
	client: { readonly name: string; readonly version: string } | undefined,
): GatewayClientInfo | undefined {
	if (client === undefined || client.name === '') return undefined;
	return {
		name: client.name.slice(0, MAX_SERVER_INFO_LENGTH),
		version: client.version.slice(0, MAX_SERVER_INFO_LENGTH),
	};
}

/** A refusal or failure as a result the model sees: `error[CODE]: message` and its hint. */
function errorResultOf(error: AgentSpaceError): CallToolResult {
	return errorResult(error.code, error.message, error.hint);
}

function errorResult(code: string, message: string, hint: string | undefined): CallToolResult {
	return {
		content: [
			{
				type: 'text',
				text: `error[${code}]: ${message}${hint === undefined ? '' : `\nhint: ${hint}`}`,
			},
		],
		isError: true,
		_meta: { 'agentspace/code': code },
	};
}
