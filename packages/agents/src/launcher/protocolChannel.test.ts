// An MCP agent's stdin and stdout are its protocol channel: a real MCP server
// (written with the SDK, loading it from its own node_modules) run by the
// real supervisor, unsandboxed and inside the real bubblewrap sandbox, and
// the SDK's Client talking to it over the channel.
import { readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAuditEvents } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import { type GitRepo, sandboxTestGate } from '@agentspace/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getAgent } from '../catalog/agentRecord.js';
import { runLogPath } from '../logs/readRunLog.js';
import { sandboxReadiness } from '../sandbox/sandboxReadiness.js';
import { SupervisorRegistry } from '../supervisor/supervisorRegistry.js';
import { echoAgentSupervision } from '../testing/echoAgentSupervision.js';
import { installRunAgent } from '../testing/installRunAgent.js';
import { openTempHomeDb, type TempHomeDb } from '../testing/tempHomeDb.js';
import type { AgentProtocolChannel, ProtocolRun } from './protocolChannel.js';
import { runStatus } from './runStatus.js';
import { superviseAgent } from './superviseAgent.js';
import type { SuperviseOptions } from './supervision.js';

const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });
const HOST = fileURLToPath(new URL('../../dist/sandbox/sandboxHostMain.js', import.meta.url));
// The SDK with its dependencies beside it (zod, ajv…), as an install puts them
// in an agent's node_modules.
const SDK_ENTRY = realpathSync(
	fileURLToPath(import.meta.resolve('@modelcontextprotocol/sdk/server/index.js')),
);
const SDK_NODE_MODULES = SDK_ENTRY.slice(0, SDK_ENTRY.lastIndexOf('/node_modules/') + 13);

// A small MCP server on stdio written with the SDK. It says on stderr that it
// is ready (that line belongs in the run's log); everything it says on stdout
// is protocol, plus one line of garbage before it starts, which must not reach
// the log either.
const MCP_AGENT = `
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
process.on('SIGTERM', () => process.exit(0));
const server = new Server({ name: 'channel-test', version: '1.2.3' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
	tools: [{ name: 'echo', description: 'echoes', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }],
}));
server.setRequestHandler(CallToolRequestSchema, async (request) => ({
	content: [{ type: 'text', text: 'echo: ' + request.params.arguments.text }],
}));
process.stdout.write('stdout-garbage-not-for-the-log\\n');
await server.connect(new StdioServerTransport());
process.stderr.write('mcp agent ready on stdio, run ' + process.env.AGENTSPACE_RUN_ID + '\\n');
`;

/** The SDK's Transport over a channel: newline-delimited JSON, as its stdio transports speak. */
class ChannelTransport implements Transport {
	onclose?: () => void;
	onerror?: (error: Error) => void;
	onmessage?: (message: JSONRPCMessage) => void;
	readonly garbage: string[] = [];
	readonly #buffer = new ReadBuffer();
	readonly #channel: AgentProtocolChannel;

	constructor(channel: AgentProtocolChannel) {
		this.#channel = channel;
	}

	async start(): Promise<void> {
		this.#channel.fromAgent.on('data', (chunk: Buffer) => {
			this.#buffer.append(chunk);
			for (;;) {
				try {
					const message = this.#buffer.readMessage();
					if (message === null) break;
					this.onmessage?.(message);
				} catch (error) {
					this.garbage.push((error as Error).message);
				}
			}
		});
		this.#channel.fromAgent.once('end', () => this.onclose?.());
	}

	async send(message: JSONRPCMessage): Promise<void> {
		this.#channel.toAgent.write(serializeMessage(message));
	}

	async close(): Promise<void> {
		this.#channel.toAgent.end();
	}
}

const actor = { type: 'human', id: 'tester' } as const;
let temp: TempHomeDb;
let repo: GitRepo | undefined;
beforeEach(() => {
	temp = openTempHomeDb('protocol-channel');
});
afterEach(() => {
	repo?.cleanup();
	temp.cleanup();
});

/** Installs and enables the MCP agent (`"protocol": "mcp"`), its node_modules beside it. */
async function installMcpAgent(permissions: readonly string[] = []): Promise<void> {
	repo = await installRunAgent({
		db: temp.db,
		home: temp.home,
		actor,
		script: MCP_AGENT,
		permissions,
		manifest: { protocol: 'mcp' },
	});
	const installPath = getAgent(temp.db, 'echo-agent')?.installPath as string;
	symlinkSync(SDK_NODE_MODULES, join(installPath, 'node_modules'));
}

/** The channels given to `onProtocolChannel`, in order; `next()` waits for the next one. */
function channels() {
	const given: { run: ProtocolRun; channel: AgentProtocolChannel }[] = [];
	const waiting: (() => void)[] = [];
	return {
		given,
		onProtocolChannel: (run: ProtocolRun, channel: AgentProtocolChannel) => {
			given.push({ run, channel });
			waiting.shift()?.();
		},
		async next(count: number) {
			while (given.length < count) await new Promise<void>((resolve) => waiting.push(resolve));
			return given[count - 1] as { run: ProtocolRun; channel: AgentProtocolChannel };
		},
	};
}

/** An SDK client connected to the run over its channel (initialize done). */
async function connect(channel: AgentProtocolChannel) {
	const transport = new ChannelTransport(channel);
	const client = new Client({ name: 'agentspace-test', version: '0.0.0' });
	await client.connect(transport);
	return { client, transport };
}

/** The agent's events of one type, their fields as recorded. */
const eventsOf = (type: string) =>
	queryEvents(temp.db, { stream_id: 'agent:echo-agent' }).filter(
		(event) => event.type === type,
	) as unknown as Record<string, unknown>[];

const types = () =>
	queryEvents(temp.db, { stream_id: 'agent:echo-agent' }).map((event) => event.type);

/** The run's log file as written: `<time> <stream> <text>` lines. */
const logText = (runId: string) => readFileSync(runLogPath(temp.home, 'echo-agent', runId), 'utf8');

const SANDBOXED = { unsandboxed: false, sandboxHostScript: HOST };
// The mode, whether it runs here, the supervision's options, the permissions approved.
const MODES: readonly [string, boolean, Partial<SuperviseOptions>, readonly string[]][] = [
	['unsandboxed', true, { unsandboxed: true }, []],
	['sandboxed (bwrap started directly)', sandbox.run, SANDBOXED, []],
	// The sandbox's shell starts the proxy bridges in the background, then the
	// seccomp helper runs the agent: neither may take its stdin.
	[
		'sandboxed with a network approval (bridges, the seccomp helper)',
		sandbox.run,
		SANDBOXED,
		['network:egress:example.com'],
	],
];

describe.each(MODES)(
	'the protocol channel of an MCP agent, %s',
	(_mode, runs, how, permissions) => {
		it.skipIf(!runs)(
			'is the agent’s stdin and stdout: the SDK client initializes, lists and calls over it; stderr goes to the log, stdout never',
			async () => {
				await installMcpAgent(permissions);
				const seen = channels();
				const lines: string[] = [];
				const supervisor = await superviseAgent(
					echoAgentSupervision(temp, actor, {
						...how,
						env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
						onLine: (stream, text) => lines.push(`${stream} ${text}`),
						onProtocolChannel: seen.onProtocolChannel,
					}),
				);
				let runId = '';
				try {
					const { run, channel } = await seen.next(1);
					runId = run.runId;
					expect(run.agentId).toBe('echo-agent');
					// Called once the start is recorded.
					expect(eventsOf('agent_run_started')).toEqual([
						expect.objectContaining({ run_id: runId, sandboxed: how.unsandboxed === false }),
					]);
					const { client, transport } = await connect(channel);
					expect(client.getServerVersion()).toMatchObject({
						name: 'channel-test',
						version: '1.2.3',
					});
					expect(client.getServerCapabilities()).toMatchObject({ tools: {} });
					const { tools } = await client.listTools();
					expect(tools.map((tool) => tool.name)).toEqual(['echo']);
					const result = await client.callTool({
						name: 'echo',
						arguments: { text: 'protocol-only-7d1e' },
					});
					expect(result.content).toEqual([{ type: 'text', text: 'echo: protocol-only-7d1e' }]);
					// The line before the server started came over the channel, not into the log.
					expect(transport.garbage).toHaveLength(1);
					while (!lines.some((line) => line.startsWith('stderr mcp agent ready'))) {
						await new Promise((resolve) => setTimeout(resolve, 20));
					}
				} finally {
					await supervisor.stop(2000);
				}
				expect(seen.given).toHaveLength(1);
				await expect(seen.given[0]?.channel.closed).resolves.toBeUndefined();
				const log = logText(runId);
				expect(log).toContain(` stderr mcp agent ready on stdio, run ${runId}`);
				for (const text of [log, lines.join('\n')]) {
					expect(text).not.toContain('stdout-garbage-not-for-the-log');
					expect(text).not.toContain('protocol-only-7d1e');
					expect(text).not.toContain('jsonrpc');
					expect(text).not.toMatch(/^(\S+ )?stdout /m);
				}
			},
		);

		it.skipIf(!runs)(
			'fail() ends the run as crashed with the reason, audited, and the restart policy applies',
			async () => {
				await installMcpAgent(permissions);
				const seen = channels();
				const supervisor = await superviseAgent(
					echoAgentSupervision(temp, actor, {
						...how,
						restart: 'on-failure',
						backoff: {
							initialMs: 10,
							factor: 1,
							maxMs: 10,
							stableMs: 60_000,
							instantMs: 0,
							maxInstantCrashes: 16,
						},
						env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
						onProtocolChannel: seen.onProtocolChannel,
					}),
				);
				try {
					const first = await seen.next(1);
					await first.channel.fail('mcp handshake timed out after 10 s');
					// Recorded when fail() resolves.
					const [crash] = eventsOf('agent_run_crashed');
					expect(crash).toMatchObject({
						run_id: first.run.runId,
						reason: 'mcp handshake timed out after 10 s',
					});
					const [ended] = await getAuditEvents(temp.db, { type: 'agents.run_ended' });
					expect(ended?.metadata).toMatchObject({
						runId: first.run.runId,
						failed: 'mcp handshake timed out after 10 s',
					});
					expect(ended?.severity).toBe('warning');
					// on-failure: a failed run is started again, with a channel of its own.
					const second = await seen.next(2);
					expect(second.run.runId).not.toBe(first.run.runId);
					const { client } = await connect(second.channel);
					expect((await client.listTools()).tools).toHaveLength(1);
					// Failing an ended run again changes nothing.
					await first.channel.fail('too late');
					expect(eventsOf('agent_run_crashed')).toHaveLength(1);
				} finally {
					await supervisor.stop(2000);
				}
				expect(types().filter((type) => type === 'agent_run_started')).toHaveLength(2);
				expect(types().at(-1)).toBe('agent_run_stopped');
			},
		);

		it.skipIf(!runs)(
			'fail({ unhealthy }) records the run unhealthy, then its end; agents status shows why',
			async () => {
				await installMcpAgent(permissions);
				const seen = channels();
				const supervisor = await superviseAgent(
					echoAgentSupervision(temp, actor, {
						...how,
						env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
						onProtocolChannel: seen.onProtocolChannel,
					}),
				);
				const { run, channel } = await seen.next(1);
				const failing = channel.fail('unhealthy: 3 pings unanswered', { unhealthy: true });
				// Marked before it is stopped: `agents status` shows it unhealthy meanwhile.
				expect(getAgent(temp.db, 'echo-agent')?.status).toBe('unhealthy');
				expect(runStatus(temp.db)[0]).toMatchObject({ status: 'unhealthy', runId: run.runId });
				await failing;
				const result = await supervisor.done;
				expect(result).toMatchObject({ runs: 1, errored: false });
				expect(types().slice(-2)).toEqual(['agent_run_unhealthy', 'agent_run_crashed']);
				const [unhealthy] = await getAuditEvents(temp.db, { type: 'agents.run_unhealthy' });
				expect(unhealthy).toMatchObject({
					severity: 'warning',
					metadata: { runId: run.runId, reason: 'unhealthy: 3 pings unanswered' },
				});
				expect(runStatus(temp.db)[0]).toMatchObject({
					status: 'crashed',
					runId: null,
					reason: 'unhealthy: 3 pings unanswered',
				});
				await expect(channel.closed).resolves.toBeUndefined();
			},
		);
	},
);

describe('the protocol channel', () => {
	it('is not offered for an agent without "protocol": "mcp", whose stdout is logged as before', async () => {
		repo = await installRunAgent({
			db: temp.db,
			home: temp.home,
			actor,
			script: "process.stdout.write('hello from stdout\\n');",
		});
		const seen = channels();
		const supervisor = await superviseAgent(
			echoAgentSupervision(temp, actor, { onProtocolChannel: seen.onProtocolChannel }),
		);
		const { lastExit } = await supervisor.done;
		expect(lastExit?.exitCode).toBe(0);
		expect(seen.given).toEqual([]);
		const [started] = eventsOf('agent_run_started');
		expect(logText(String(started?.run_id))).toContain(' stdout hello from stdout');
	});

	it('reaches the daemon through the SupervisorRegistry’s shared options', async () => {
		await installMcpAgent();
		const seen = channels();
		const registry = new SupervisorRegistry({
			db: temp.db,
			home: temp.home,
			onProtocolChannel: seen.onProtocolChannel,
		});
		await registry.run({
			id: 'echo-agent',
			restart: 'no',
			unsandboxed: true,
			env: { PATH: process.env.PATH },
			actor,
		});
		try {
			const { run, channel } = await seen.next(1);
			expect(run.runId).toBe(registry.list()[0]?.runId);
			const { client } = await connect(channel);
			expect(client.getServerVersion()?.name).toBe('channel-test');
		} finally {
			await registry.stopAll(2000);
		}
	});

	it('a handler that throws fails the run, saying so', async () => {
		await installMcpAgent();
		const supervisor = await superviseAgent(
			echoAgentSupervision(temp, actor, {
				onProtocolChannel: () => {
					throw new Error('no session for you');
				},
			}),
		);
		await supervisor.done;
		const [crash] = eventsOf('agent_run_crashed');
		expect(crash?.reason).toBe("the protocol channel's handler failed: no session for you");
	});
});
