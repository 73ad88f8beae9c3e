import {
	AgentSpaceError,
	ConflictError,
	type ErrorCode,
	type FieldIssue,
	formatIssues,
	generateId,
	isAgentSpaceError,
	NotFoundError,
	nowIso,
	PermissionDeniedError,
	type SecurityMode,
	ValidationError,
} from '@agentspace/core';
import { type AgentSpaceDb, prepared } from '@agentspace/db';
import { ToolCallWriter } from '../callLog/toolCallWriter.js';
import type { ToolCaller, ToolCallStatus } from '../callLog/types.js';
import { MAX_MESSAGE_BYTES } from '../limits.js';
import type { BuiltinTool, BuiltinToolGroup } from './builtinTools.js';
import { type BuiltinEntry, indexBuiltins } from './indexBuiltins.js';
import { parseToolTarget } from './parseToolTarget.js';
import { registryLookup } from './registryLookup.js';
import type { RoutableTool, RoutedOutcome, RoutedSession, ToolProgress } from './routedSession.js';
import { validateAgainstSchema, validateArgs } from './validateArgs.js';

/** How long a call may take unless the caller or the config says otherwise. */
export const DEFAULT_TOOL_CALL_TIMEOUT_MS = 60_000;

// How much longer than the router's timer the session's own timeout runs: the
// router's fires first, so a timeout is always recorded as one.
const SESSION_TIMEOUT_SLACK_MS = 1000;

/** The longest timeout a call may ask for (a day). */
export const MAX_TOOL_CALL_TIMEOUT_MS = 86_400_000;

/** Options of one {@link ToolRouter.callTool}. */
export interface CallToolOptions {
	/** Aborting it cancels the call: the agent is sent notifications/cancelled. */
	readonly signal?: AbortSignal;
	/** Each progress notification of the call, in the order the agent sent them. */
	readonly onProgress?: (progress: ToolProgress) => void;
	/** This call's timeout; the router's default (60 s unless configured) when absent. */
	readonly timeoutMs?: number;
}

/** A tool call's answer, with the id it is recorded under in the call log. */
export type RoutedToolResult = RoutedOutcome & { readonly callId: string };

/** Finds a tool of an agent with its state and effective policy (the registry's getTool). */
export type ToolLookup = (
	db: AgentSpaceDb,
	agentId: string,
	tool: string,
	securityMode: SecurityMode,
) => RoutableTool | undefined;

/** Options of {@link ToolRouter}. */
export interface ToolRouterOptions {
	readonly db: AgentSpaceDb;
	/** The configured security mode, read on every call (it decides default policies). */
	readonly securityMode: () => SecurityMode;
	/** The timeout of a call that names none; 60 s by default. */
	readonly defaultTimeoutMs?: number;
	/** Where tools are looked up: the registry's getTool unless given. */
	readonly lookupTool?: ToolLookup;
	/**
	 * The window repeated denials of one kind (caller, agent/tool, code) are
	 * folded in for the audit log (default 10 s); the call log has every call.
	 */
	readonly denialWindowMs?: number;
	/**
	 * AgentSpace's own tool groups (`agentspace`, `fleet`), routed like an
	 * agent's tools as `<group>/<tool>`: no agent, no session; always allowed
	 * and offered; arguments checked; every call recorded (run id null). A
	 * target whose agent part is a group's id goes to the group, even when an
	 * agent has that id.
	 */
	readonly builtins?: readonly BuiltinToolGroup[];
}

interface Attached {
	readonly session: RoutedSession;
	unhealthy?: string;
}

/** A refusal or failure of one call: how it is recorded, and what the caller gets. */
interface Ending {
	readonly status: ToolCallStatus;
	readonly error: AgentSpaceError;
}

const CALLER_TYPES: ReadonlySet<string> = new Set(['user', 'mcp-client', 'agent', 'system']);

function callerProblems(caller: ToolCaller): FieldIssue[] {
	const problems: FieldIssue[] = [];
	if (caller === null || typeof caller !== 'object')
		return [{ path: 'caller', message: 'must name the caller: { type, id }' }];
	if (!CALLER_TYPES.has(caller.type))
		problems.push({ path: 'caller.type', message: 'must be user, mcp-client, agent or system' });
	if (typeof caller.id !== 'string' || caller.id === '' || caller.id.length > 512)
		problems.push({ path: 'caller.id', message: 'must be a string of 1-512 characters' });
	return problems;
}

function firstText(content: readonly unknown[]): string | undefined {
	for (const item of content) {
		const text = (item as { type?: unknown; text?: unknown } | null)?.text;
		if ((item as { type?: unknown } | null)?.type === 'text' && typeof text === 'string')
			return text.slice(0, 600);
	}
	return undefined;
}

/**
 * The one path every tool call takes — the CLI, the admin UI, the MCP
 * endpoint, other agents. A call names its caller and `<agent>/<tool>`; the
 * router refuses it without reaching the agent when the agent is unknown,
 * not running or unhealthy, the tool is unknown, drifted or denied, or the
 * arguments break the tool's input schema (every bad field listed). Else it
 * forwards the call to the agent's session with progress, cancellation and a
 * timeout, checks the result against a declared output schema, and records
 * every call — refused, failed or not — in the call log. Calls to one agent
 * run concurrently: a slow one holds up no other.
 */
export class ToolRouter {
	readonly #db: AgentSpaceDb;
	readonly #securityMode: () => SecurityMode;
	readonly #defaultTimeoutMs: number;
	readonly #lookupTool: ToolLookup;
	readonly #sessions = new Map<string, Attached>();
	readonly #writer: ToolCallWriter;
	readonly #builtinGroups: readonly BuiltinToolGroup[];
	readonly #builtins: ReadonlyMap<string, ReadonlyMap<string, BuiltinEntry>>;

	constructor(options: ToolRouterOptions) {
		const timeout = options.defaultTimeoutMs ?? DEFAULT_TOOL_CALL_TIMEOUT_MS;
		if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TOOL_CALL_TIMEOUT_MS) {
			throw new ValidationError(`invalid default tool call timeout ${String(timeout)}`, {
				hint: `give milliseconds from 1 to ${MAX_TOOL_CALL_TIMEOUT_MS}`,
				issues: [{ path: 'defaultTimeoutMs', message: 'must be a whole number of milliseconds' }],
			});
		}
		this.#db = options.db;
		this.#securityMode = options.securityMode;
		this.#defaultTimeoutMs = timeout;
		this.#lookupTool = options.lookupTool ?? registryLookup;
		this.#builtinGroups = options.builtins ?? [];
		this.#builtins = indexBuiltins(this.#builtinGroups);
		this.#writer = new ToolCallWriter(
			options.db,
			options.denialWindowMs === undefined ? {} : { denialWindowMs: options.denialWindowMs },
		);
	}

	/** The built-in tool groups this router routes (as given to it). */
	builtinGroups(): readonly BuiltinToolGroup[] {
		return this.#builtinGroups;
	}

	/**
	 * Records a call refused before it reached the router's checks — a
	 * gateway refusing a tool its caller may not call — as `denied` with the
	 * error's code, audited (folded) as the router's own denials are. Resolves
	 * once it is committed; the caller reports the refusal itself.
	 */
	async refuse(
		caller: ToolCaller,
		target: string,
		args: unknown,
		error: AgentSpaceError,
	): Promise<void> {
		const { agentId, tool } = parseToolTarget(target);
		await this.#writer.record({
			at: nowIso(),
			caller,
			agentId,
			runId: null,
			tool,
			args,
			status: 'denied',
			errorCode: error.code,
			note: error.message,
			durationMs: 0,
		});
	}

	/**
	 * Audits the denials still folded (one entry per kind with its count):
	 * call when the daemon stops. Calls already recorded are committed first.
	 */
	close(): void {
		this.#writer.close();
	}

	/**
	 * Routes calls for the session's agent to it from now on (replacing an
	 * earlier run's session). Detached by itself when the session ends.
	 */
	attach(session: RoutedSession): void {
		const attached: Attached = { session };
		this.#sessions.set(session.agentId, attached);
		void session.ended.then(
			() => this.#forget(session.agentId, attached),
			() => this.#forget(session.agentId, attached),
		);
	}

	/** Stops routing calls to the agent (its run ended); calls in flight finish or fail on their own. */
	detach(agentId: string): void {
		this.#sessions.delete(agentId);
	}

	/** Refuses calls to the agent until it is detached (a new run attaches a new session): why, for the refusal. */
	markUnhealthy(agentId: string, reason: string): void {
		const attached = this.#sessions.get(agentId);
		if (attached !== undefined) attached.unhealthy = reason;
	}

	/** True when calls to the agent are routed: a session is attached and not marked unhealthy. */
	isRunning(agentId: string): boolean {
		const attached = this.#sessions.get(agentId);
		return attached !== undefined && attached.unhealthy === undefined;
	}

	#forget(agentId: string, attached: Attached): void {
		if (this.#sessions.get(agentId) === attached) this.#sessions.delete(agentId);
	}

	/**
	 * Calls `<agent>/<tool>` for `caller` with `args` and returns the tool's
	 * answer (an `isError` answer is returned, not thrown: it is the tool's
	 * own). Throws an AgentSpaceError with a code and a hint when the call is
	 * refused (NOT_FOUND, CONFLICT, PERMISSION_DRIFT, PERMISSION_DENIED,
	 * VALIDATION_FAILED), cancelled (INTERRUPTED), timed out or failed
	 * (COMMAND_FAILED), or when the result breaks the tool's output schema
	 * (VALIDATION_FAILED). A caller that is not named, or a target that is not
	 * `<agent>/<tool>`, is refused before anything is recorded; every other
	 * call is recorded.
	 */
	async callTool(
		caller: ToolCaller,
		target: string,
		args: unknown,
		options: CallToolOptions = {},
	): Promise<RoutedToolResult> {
		const started = performance.now();
		const at = nowIso();
		const problems = callerProblems(caller);
		if (problems.length > 0) {
			throw new ValidationError(`a tool call must name its caller:\n${formatIssues(problems)}`, {
				hint: 'every call is recorded with who made it; nothing was called',
				issues: problems,
			});
		}
		const { agentId, tool } = parseToolTarget(target);
		const callId = generateId('call');
		let runId: string | null = null;
		const record = (status: ToolCallStatus, errorCode: ErrorCode | null, note?: string) =>
			this.#writer.record({
				callId,
				at,
				caller,
				agentId,
				runId,
				tool,
				args,
				status,
				errorCode,
				...(note === undefined ? {} : { note }),
				durationMs: performance.now() - started,
			});
		const refuse = async (ending: Ending): Promise<never> => {
			await record(ending.status, ending.error.code, ending.error.message);
			throw ending.error;
		};

		const group = this.#builtins.get(agentId);
		const prepared =
			group === undefined
				? this.#prepare(agentId, tool, args, options)
				: this.#prepareBuiltin(group, caller, agentId, tool, args, options);
		if ('status' in prepared) return refuse(prepared);
		const { session, routable, timeoutMs } = prepared as Exclude<typeof prepared, Ending>;
		// A built-in's call has no run.
		runId = group === undefined ? session.runId : null;

		const forwarded = await this.#forward(session, routable, args as Record<string, unknown>, {
			timeoutMs,
			...(options.signal === undefined ? {} : { signal: options.signal }),
			...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
		});
		if ('error' in forwarded) {
			const ending = this.#failure(
				forwarded.error,
				forwarded.timedOut,
				options.signal?.aborted === true,
				agentId,
				tool,
				timeoutMs,
			);
			return refuse(group === undefined ? ending : builtinEnding(ending));
		}
		const outcome = forwarded.outcome;
		if (outcome.isError) {
			await record('error', null, `isError: ${firstText(outcome.content) ?? '(no text)'}`);
			return { ...outcome, callId };
		}
		const mismatch = this.#checkOutput(routable, outcome, agentId, tool);
		if (mismatch !== undefined) return refuse({ status: 'error', error: mismatch });
		await record('ok', null);
		return { ...outcome, callId };
	}

	/** The checks of a built-in's call: the tool and its arguments; its "session" calls the tool for `caller`. */
	#prepareBuiltin(
		group: ReadonlyMap<string, BuiltinEntry>,
		caller: ToolCaller,
		groupId: string,
		tool: string,
		args: unknown,
		options: CallToolOptions,
	): Ending | { session: RoutedSession; routable: RoutableTool; timeoutMs: number } {
		const timing = this.#checkTiming(groupId, tool, options);
		if ('status' in timing) return timing;
		const entry = group.get(tool);
		if (entry === undefined) {
			return {
				status: 'denied',
				error: new NotFoundError(`AgentSpace has no tool ${groupId}/${JSON.stringify(tool)}`, {
					hint: `the ${groupId} tools are ${[...group.keys()].join(', ') || '(none)'}`,
				}),
			};
		}
		const routable = entry.routable;
		return (
			this.#checkArgs(routable, args) ?? {
				session: builtinSession(groupId, entry.tool, caller),
				routable,
				timeoutMs: timing.timeoutMs,
			}
		);
	}

	/** The call's timeout, or its refusal when the timeout is invalid or the call was cancelled already. */
	#checkTiming(
		agentId: string,
		tool: string,
		options: CallToolOptions,
	): Ending | { timeoutMs: number } {
		const timeoutMs = options.timeoutMs ?? this.#defaultTimeoutMs;
		if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TOOL_CALL_TIMEOUT_MS) {
			return {
				status: 'invalid',
				error: new ValidationError(`invalid timeout ${String(timeoutMs)} for ${agentId}/${tool}`, {
					hint: `give the timeout in milliseconds, from 1 to ${MAX_TOOL_CALL_TIMEOUT_MS}`,
					issues: [{ path: 'timeoutMs', message: 'must be a whole number of milliseconds' }],
				}),
			};
		}
		if (options.signal?.aborted) {
			return {
				status: 'cancelled',
				error: new AgentSpaceError(`call to ${agentId}/${tool} cancelled before it started`, {
					code: 'INTERRUPTED',
					hint: 'nothing was sent to the agent',
				}),
			};
		}
		return { timeoutMs };
	}

	/** Every check made before the agent is reached: the session, the tool and its arguments, or the refusal. */
	#prepare(
		agentId: string,
		tool: string,
		args: unknown,
		options: CallToolOptions,
	): Ending | { session: RoutedSession; routable: RoutableTool; timeoutMs: number } {
		const timing = this.#checkTiming(agentId, tool, options);
		if ('status' in timing) return timing;
		const timeoutMs = timing.timeoutMs;
		// A read of the agents projection: tells an unknown agent from one not running.
		const known = prepared(this.#db.$client, 'SELECT 1 FROM agents WHERE agent_id = ?').get(
			agentId,
		);
		if (known === undefined) {
			return {
				status: 'denied',
				error: new NotFoundError(`no agent ${JSON.stringify(agentId)}`, {
					hint: 'agentspace agents list shows the agents; agentspace tools list their tools',
				}),
			};
		}
		const attached = this.#sessions.get(agentId);
		if (attached === undefined || attached.unhealthy !== undefined) {
			return {
				status: 'denied',
				error: new ConflictError(
					attached === undefined
						? `agent ${agentId} is not running: its tools cannot be called`
						: `agent ${agentId} is unhealthy (${attached.unhealthy}): its tools cannot be called`,
					{
						hint: `start it (agentspace agents run ${agentId}) and check agentspace agents status`,
					},
				),
			};
		}
		let routable: RoutableTool | undefined;
		try {
			routable = this.#lookupTool(this.#db, agentId, tool, this.#securityMode());
		} catch (error) {
			// The registry refuses a name no tool can have (bad characters, too long).
			if (isAgentSpaceError(error) && error.code === 'VALIDATION_FAILED')
				return { status: 'invalid', error };
			throw error;
		}
		if (routable === undefined) {
			return {
				status: 'denied',
				error: new NotFoundError(`agent ${agentId} offers no tool ${JSON.stringify(tool)}`, {
					hint: `agentspace tools list --agent ${agentId} shows the tools it offers`,
				}),
			};
		}
		if (routable.runId !== undefined && routable.runId !== attached.session.runId) {
			return {
				status: 'denied',
				error: new ConflictError(
					`agent ${agentId}'s tools were listed by run ${routable.runId}, not its current run ${attached.session.runId}`,
					{ hint: 'wait for the current run to list its tools, then call again' },
				),
			};
		}
		if (routable.state === 'drifted') {
			return {
				status: 'denied',
				error: new AgentSpaceError(
					`tool ${agentId}/${tool} changed since it was pinned: held back until you accept it`,
					{
						code: 'PERMISSION_DRIFT',
						hint: `review the change (agentspace tools show ${agentId}/${tool}), then agentspace tools accept ${agentId}/${tool}`,
					},
				),
			};
		}
		if (routable.policy !== 'allow') {
			return {
				status: 'denied',
				error: new PermissionDeniedError(`tool ${agentId}/${tool} is denied by policy`, {
					hint: `allow it with agentspace tools allow ${agentId}/${tool}`,
				}),
			};
		}
		return this.#checkArgs(routable, args) ?? { session: attached.session, routable, timeoutMs };
	}

	#checkArgs(routable: RoutableTool, args: unknown): Ending | undefined {
		const { agentId, name: tool } = routable;
		if (args === null || typeof args !== 'object' || Array.isArray(args)) {
			return {
				status: 'invalid',
				error: new ValidationError(`the arguments of ${agentId}/${tool} must be a JSON object`, {
					hint: 'pass the arguments as an object of named fields, e.g. {"path": "a.txt"}',
					issues: [{ path: '', message: 'must be object' }],
				}),
			};
		}
		let bytes: number;
		try {
			bytes = Buffer.byteLength(JSON.stringify(args));
		} catch {
			bytes = Number.POSITIVE_INFINITY;
		}
		// A margin for the request around the arguments: what the agent would
		// receive must fit the message limit it is held to as well.
		if (bytes > MAX_MESSAGE_BYTES - 4096) {
			return {
				status: 'invalid',
				error: new ValidationError(`the arguments of ${agentId}/${tool} are too large`, {
					hint: `arguments are at most ${MAX_MESSAGE_BYTES - 4096} bytes of JSON`,
					issues: [{ path: '', message: 'too large (or not plain JSON)' }],
				}),
			};
		}
		const check = validateArgs(routable.definitionHash, routable.inputSchema, args);
		if (!check.ok) {
			return {
				status: 'invalid',
				error: new ValidationError(
					check.unusable === undefined
						? `invalid arguments for ${routable.agentId}/${routable.name}:\n${formatIssues(check.issues)}`
						: `tool ${routable.agentId}/${routable.name} cannot be called: its input schema is unusable (${check.unusable})`,
					{
						hint:
							check.unusable === undefined
								? `fix the listed fields (agentspace tools show ${routable.agentId}/${routable.name} shows the schema); nothing was sent to the agent`
								: 'the agent declares a schema AgentSpace will not compile; ask its author to fix it (nothing was sent to the agent)',
						issues: check.issues,
					},
				),
			};
		}
		return undefined;
	}

	/**
	 * Sends the call to the agent: progress relayed, the caller's signal and the
	 * router's own timer both abort it (the session then sends
	 * notifications/cancelled). The timer is the router's, so a timeout is told
	 * from a cancellation whatever the session reports.
	 */
	async #forward(
		session: RoutedSession,
		routable: RoutableTool,
		args: Record<string, unknown>,
		options: { signal?: AbortSignal; onProgress?: (p: ToolProgress) => void; timeoutMs: number },
	): Promise<{ outcome: RoutedOutcome } | { error: unknown; timedOut: boolean }> {
		// Progress after the call settled (a late notification) is dropped, and a
		// listener that throws cannot break the call.
		let settled = false;
		const onProgress = options.onProgress;
		const forward =
			onProgress === undefined
				? undefined
				: (progress: ToolProgress) => {
						if (settled) return;
						try {
							onProgress(progress);
						} catch {
							// The caller's listener failed: its problem, not the call's.
						}
					};
		const controller = new AbortController();
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			controller.abort(new Error(`timed out after ${options.timeoutMs} ms`));
		}, options.timeoutMs);
		const signal = options.signal;
		const relay = () => controller.abort(signal?.reason);
		signal?.addEventListener('abort', relay, { once: true });
		try {
			const outcome = await session.callTool(routable.name, args, {
				// The session's own timeout only backs the router's up.
				timeoutMs: options.timeoutMs + SESSION_TIMEOUT_SLACK_MS,
				signal: controller.signal,
				...(forward === undefined ? {} : { onProgress: forward }),
			});
			return { outcome };
		} catch (error) {
			return { error, timedOut };
		} finally {
			settled = true;
			clearTimeout(timer);
			signal?.removeEventListener('abort', relay);
		}
	}

	/** How a forwarded call that threw is recorded and reported. */
	#failure(
		error: unknown,
		timedOut: boolean,
		cancelled: boolean,
		agentId: string,
		tool: string,
		timeoutMs: number,
	): Ending {
		// The session's ToolCallFailure says how a call failed by its kind.
		const kind = (error as { kind?: unknown } | null)?.kind;
		if (timedOut || kind === 'timeout') {
			return {
				status: 'timeout',
				error: new AgentSpaceError(`call to ${agentId}/${tool} timed out after ${timeoutMs} ms`, {
					code: 'COMMAND_FAILED',
					hint: 'the agent was told to stop; give the call a longer timeout if it needs one',
					cause: error,
				}),
			};
		}
		if (cancelled || kind === 'cancelled') {
			return {
				status: 'cancelled',
				error: new AgentSpaceError(`call to ${agentId}/${tool} cancelled`, {
					code: 'INTERRUPTED',
					hint: 'the agent was told to stop (notifications/cancelled)',
					cause: error,
				}),
			};
		}
		if (isAgentSpaceError(error)) return { status: 'error', error };
		const message = error instanceof Error ? error.message : String(error);
		return {
			status: 'error',
			error: new AgentSpaceError(`call to ${agentId}/${tool} failed: ${message.slice(0, 500)}`, {
				code: 'COMMAND_FAILED',
				hint: `agentspace agents logs ${agentId} shows what the agent reported`,
				cause: error,
			}),
		};
	}

	/** The error for a result that breaks the tool's declared output schema, if it does. */
	#checkOutput(
		routable: RoutableTool,
		outcome: RoutedOutcome,
		agentId: string,
		tool: string,
	): AgentSpaceError | undefined {
		const schema = routable.outputSchema;
		if (schema === undefined || schema === null) return undefined;
		const hint = `the agent broke its own tool's contract and the result was withheld; report it to the agent's author`;
		if (outcome.structuredContent === undefined) {
			return new ValidationError(
				`tool ${agentId}/${tool} declares an output schema but returned no structured content`,
				{ hint, issues: [{ path: '/structuredContent', message: 'is required' }] },
			);
		}
		const check = validateAgainstSchema(
			`${routable.definitionHash}:output`,
			schema,
			outcome.structuredContent,
		);
		if (check.ok) return undefined;
		const issues = check.issues.map((issue) => ({
			path: `/structuredContent${issue.path}`,
			message: issue.message,
		}));
		return new ValidationError(
			check.unusable === undefined
				? `tool ${agentId}/${tool} returned a result that breaks its output schema:\n${formatIssues(issues)}`
				: `tool ${agentId}/${tool}'s output schema is unusable (${check.unusable}): its result cannot be checked`,
			{ hint, issues },
		);
	}
}

// A built-in's call never ends a session: there is none.
const NEVER_ENDS = new Promise<string>(() => {});

/**
 * The built-in tool as a session of one call, made for its caller. The call
 * ends when its signal aborts (cancelled, timed out) whether or not the tool
 * heeds it: a built-in that ignores its signal cannot hold a call open.
 */
function builtinSession(groupId: string, tool: BuiltinTool, caller: ToolCaller): RoutedSession {
	return {
		agentId: groupId,
		runId: '',
		ended: NEVER_ENDS,
		callTool: (_name, args, options) => {
			// #forward always passes its own signal.
			const signal = options.signal ?? new AbortController().signal;
			let stop = () => {};
			const aborted = new Promise<never>((_resolve, reject) => {
				stop = () => reject(signal.reason);
				signal.addEventListener('abort', stop, { once: true });
			});
			const called = (async () =>
				tool.call(args, { caller, signal, onProgress: options.onProgress ?? (() => {}) }))();
			// The tool's own late rejection, after the abort won, is not unhandled.
			called.catch(() => {});
			return Promise.race([called, aborted]).finally(() =>
				signal.removeEventListener('abort', stop),
			);
		},
	};
}

/** A built-in's refusals are recorded as the router's: a permission as denied, bad input as invalid. */
function builtinEnding(ending: Ending): Ending {
	if (ending.status !== 'error') return ending;
	if (ending.error.code === 'PERMISSION_DENIED') return { status: 'denied', error: ending.error };
	if (ending.error.code === 'VALIDATION_FAILED') return { status: 'invalid', error: ending.error };
	return ending;
}
