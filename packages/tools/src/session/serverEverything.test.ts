// The seven regression cases of issue 13 at session level against a published
// MCP server nobody here wrote: @modelcontextprotocol/server-everything, run
// with node as a child process over stdio.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../toolDefinition.js';
import { connectMcpAgent, type McpAgentSession, type ToolCallProgress } from './connectMcpAgent.js';
import { isToolCallFailure, type ToolCallFailure } from './toolCallFailure.js';

const SERVER_EVERYTHING = fileURLToPath(
	new URL(
		'../../node_modules/@modelcontextprotocol/server-everything/dist/index.js',
		import.meta.url,
	),
);

const children: ChildProcessWithoutNullStreams[] = [];
const sessions: McpAgentSession[] = [];

afterEach(async () => {
	for (const session of sessions.splice(0)) await session.close();
	for (const child of children.splice(0)) {
		if (child.exitCode !== null || child.signalCode !== null) continue;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGKILL');
		await exited;
	}
});

/** server-everything over stdio; `log` collects the session's problem lines, `changes` every re-listing. */
async function connectEverything() {
	const child = spawn(process.execPath, [SERVER_EVERYTHING, 'stdio'], { stdio: 'pipe' });
	children.push(child);
	child.stdin.on('error', () => {});
	child.stderr.resume();
	const log: string[] = [];
	const session = await connectMcpAgent(
		{ fromAgent: child.stdout, toAgent: child.stdin },
		{ agentId: 'everything', runId: 'run-1', log: (line) => log.push(line) },
	);
	sessions.push(session);
	return { session, log };
}

async function failureOf(promise: Promise<unknown>): Promise<ToolCallFailure> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!isToolCallFailure(error))
		throw new Error(`expected a ToolCallFailure, got ${String(error)}`);
	return error;
}

describe('connectMcpAgent against @modelcontextprotocol/server-everything', () => {
	it('initialize: negotiates the protocol version, records server info and capabilities', async () => {
		const { session } = await connectEverything();
		expect(session.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
		expect(session.serverInfo).toEqual({
			name: 'mcp-servers/everything',
			title: 'Everything Reference Server',
			version: expect.any(String),
		});
		expect(session.capabilities).toMatchObject({ tools: { listChanged: true }, logging: {} });
	});

	it('tools/list: every tool, checked and hashed; list_changed re-lists', async () => {
		const { session } = await connectEverything();
		// It registers more tools once initialized and says so with list_changed.
		const changed = new Promise<readonly ToolDefinition[]>((resolve) =>
			session.onToolsChanged(resolve),
		);
		const names = session.tools().map((tool) => tool.name);
		expect(names).toEqual(
			expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']),
		);
		const echo = session.tools().find((tool) => tool.name === 'echo') as ToolDefinition;
		expect(echo.annotations).toMatchObject({ readOnlyHint: true });
		expect(echo.inputSchema).toMatchObject({ type: 'object', required: ['message'] });
		const relisted = await changed;
		expect(relisted.map((tool) => tool.name)).toEqual(expect.arrayContaining(names));
		expect(session.tools()).toBe(relisted);
	});

	it('tools/call: answers', async () => {
		const { session } = await connectEverything();
		const outcome = await session.callTool('get-sum', { a: 2, b: 3 }, { timeoutMs: 10_000 });
		expect(outcome.isError).toBe(false);
		expect(JSON.stringify(outcome.content)).toMatch(/\b5\b/);
		const structured = await session.callTool(
			'get-structured-content',
			{ location: 'Chicago' },
			{ timeoutMs: 10_000 },
		);
		expect(structured.structuredContent).toMatchObject({ temperature: expect.any(Number) });
	});

	it('invalid input: a JSON-RPC error or an isError result, never a crash', async () => {
		const { session } = await connectEverything();
		const outcome = await session.callTool('get-sum', { a: 'two' }, { timeoutMs: 10_000 }).then(
			(result) => ({ result }),
			(error: unknown) => ({ error }),
		);
		if ('result' in outcome) {
			expect(outcome.result.isError).toBe(true);
			expect(JSON.stringify(outcome.result.content)).toMatch(/validation/i);
		} else {
			expect(outcome.error).toMatchObject({ kind: 'error-response', rpcCode: -32602 });
		}
		await expect(
			session.callTool('no-such-tool', {}, { timeoutMs: 10_000 }).then(
				(result) => result.isError,
				(error: unknown) => isToolCallFailure(error) && error.kind === 'error-response',
			),
		).resolves.toBe(true);
	});

	it('progress: notifications reach the caller in order', async () => {
		const { session } = await connectEverything();
		const progress: ToolCallProgress[] = [];
		const outcome = await session.callTool(
			'trigger-long-running-operation',
			{ duration: 0.2, steps: 4 },
			{ timeoutMs: 10_000, onProgress: (p) => progress.push(p) },
		);
		expect(outcome.isError).toBe(false);
		expect(progress).toEqual([1, 2, 3, 4].map((step) => ({ progress: step, total: 4 })));
	});

	it('cancellation: the server gets notifications/cancelled and never answers the call', async () => {
		const { session, log } = await connectEverything();
		const abort = new AbortController();
		const failure = await failureOf(
			session.callTool(
				'trigger-long-running-operation',
				{ duration: 0.4, steps: 4 },
				{ timeoutMs: 10_000, signal: abort.signal, onProgress: () => abort.abort() },
			),
		);
		expect(failure.kind).toBe('cancelled');
		// The operation runs on (it sends its last progress, now for a token no one
		// waits on) but the SDK server drops the answer of a cancelled request: had
		// the cancellation not reached it, its answer would come right after that
		// progress, before the ping's, and be logged as an answer to an unknown id.
		await new Promise<void>((resolve) => {
			const check = setInterval(() => {
				if (log.some((line) => line.includes('"progress":4'))) {
					clearInterval(check);
					resolve();
				}
			}, 10);
		});
		await session.ping(10_000);
		expect(log.filter((line) => line.includes('unknown message ID'))).toEqual([]);
	});

	it('ping: answered', async () => {
		const { session } = await connectEverything();
		await expect(session.ping(10_000)).resolves.toBeUndefined();
	});
});
