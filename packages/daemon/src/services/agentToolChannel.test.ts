// Agents calling tools through their channel (tool:call): a real daemon runs
// the fixture MCP agent and agents that use @agentspace/agent-sdk, each in
// the real bubblewrap sandbox where it is here. Each caller lists and calls
// exactly what it was approved for, as itself; anything else is refused,
// recorded and audited; an agent without tool:call has no channel; and an
// agent whose channel misbehaves (garbage, a huge line, a flood) ends only
// its own session.
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { enableAgent, getAgent, installAgent, sandboxReadiness } from '@agentspace/agents';
import { getAuditEvents } from '@agentspace/db';
import { createRunFixtureAgentRepo, sandboxTestGate } from '@agentspace/testing';
import { fleetToolGroup, queryToolCalls } from '@agentspace/tools';
import { describe, expect, it } from 'vitest';
import { callDaemon, type DaemonConnection } from '../daemonClient.js';
import { daemonServices } from './daemonServices.js';
import { actor, runAgent, serviceHarness } from './serviceHarness.testing.js';

const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });
const HOST = join(
	dirname(createRequire(import.meta.url).resolve('@agentspace/agents/sandbox-host')),
	'sandboxHostMain.js',
);
// The built agent SDK (its own node_modules hold the MCP SDK), linked into
// each caller's checkout as an install would put it in node_modules.
const AGENT_SDK = join(
	dirname(createRequire(import.meta.url).resolve('@agentspace/agent-sdk')),
	'..',
);

const h = serviceHarness('daemon-agent-channel');
const { logLines } = h;

// A caller: connects with the agent SDK, lists, makes the calls given as its
// argument (JSON [name, args][]), and reports everything on stderr (its log).
const CALLER = `
import { connectAgentSpace } from '@agentspace/agent-sdk';
process.on('SIGTERM', () => process.exit(0));
const report = (value) => process.stderr.write('report ' + JSON.stringify(value) + '\\n');
setInterval(() => {}, 1000);
try {
	const client = await connectAgentSpace();
	const { tools } = await client.listTools();
	const results = [];
	for (const [name, args] of JSON.parse(process.argv[2] ?? '[]')) {
		try {
			const result = await client.callTool({ name, arguments: args });
			results.push({ name, isError: result.isError === true, text: result.content?.[0]?.text, structured: result.structuredContent });
		} catch (error) {
			results.push({ name, thrown: error.message });
		}
	}
	report({ env: process.env.AGENTSPACE_MCP_FD ?? null, tools: tools.map((t) => t.name).sort(), results });
} catch (error) {
	report({ env: process.env.AGENTSPACE_MCP_FD ?? null, error: error.message, code: error.code });
}
`;

// The example agent that uses the SDK (examples/fleet-agent), as it is.
const FLEET_EXAMPLE = readFileSync(
	fileURLToPath(new URL('../../../../examples/fleet-agent/src/fleet-agent.mjs', import.meta.url)),
	'utf8',
);

// An agent that abuses its channel: garbage lines, a line over the 4 MiB
// bound, then a flood of notifications; it reports when its channel ends.
const NOISY = `
import net from 'node:net';
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);
const socket = new net.Socket({ fd: Number(process.env.AGENTSPACE_MCP_FD), readable: true, writable: true });
socket.on('error', () => {});
socket.on('close', () => process.stderr.write('report {"noisy":"closed"}\\n'));
socket.resume();
for (let i = 0; i < 100; i++) socket.write('garbage ' + i + ' \\u0000\\u202e not json\\n');
socket.write('{"jsonrpc":"2.0","method":"x","params":"' + 'a'.repeat(5 * 1024 * 1024) + '"}\\n');
const note = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\\n';
const flood = () => { if (!socket.destroyed && socket.write(note.repeat(1000))) setImmediate(flood); else socket.once('drain', flood); };
flood();
`;

/** Installs an agent running `script` with `permissions` requested and `approve` approved. */
async function installCaller(
	id: string,
	script: string,
	permissions: readonly string[],
	approve: readonly string[] | 'all',
	args: readonly string[] = [],
): Promise<void> {
	const repo = createRunFixtureAgentRepo({
		script,
		permissions,
		args,
		manifest: { id, name: id },
	});
	h.track(repo);
	await installAgent({ db: h.temp.db, home: h.temp.home, source: repo.url, actor });
	enableAgent({ db: h.temp.db, id, approve, actor });
	const scope = join(getAgent(h.temp.db, id)?.installPath as string, 'node_modules', '@agentspace');
	mkdirSync(scope, { recursive: true });
	symlinkSync(AGENT_SDK, join(scope, 'agent-sdk'));
}

/** Polls `read` until it gives a value (600 tries, not 400). */
const until = <T>(read: () => T | undefined | Promise<T | undefined>, what: string) =>
	h.until(read, what, 600);

/** Everything in the agent's run logs. */
function logText(agentId: string): string {
	const dir = join(h.temp.home, 'logs', agentId);
	try {
		return readdirSync(dir)
			.filter((name) => name.endsWith('.log'))
			.map((name) => readFileSync(join(dir, name), 'utf8'))
			.join('');
	} catch {
		return '';
	}
}

/** The last `report {…}` line in the agent's run logs. */
function report(agentId: string): Record<string, unknown> | undefined {
	const dir = join(h.temp.home, 'logs', agentId);
	let found: Record<string, unknown> | undefined;
	try {
		for (const name of readdirSync(dir).filter((n) => n.endsWith('.log'))) {
			for (const match of readFileSync(join(dir, name), 'utf8').matchAll(/report (\{.*\})\s*$/gm)) {
				found = JSON.parse(match[1] as string);
			}
		}
	} catch {
		return undefined;
	}
	return found;
}

const run = (connection: DaemonConnection, id: string) => runAgent(connection, id, !sandbox.run);

/** A daemon running the fixture MCP agent (every tool allowed), connected, with the fleet tools built in. */
async function startDaemon(): Promise<DaemonConnection> {
	await h.installMcpFixture();
	const connection = await h.startDaemon(
		daemonServices({
			env: process.env,
			sandboxHostScript: HOST,
			tools: { builtins: (context) => [fleetToolGroup({ db: context.db })] },
		}),
	);
	await run(connection, 'mcp-fixture');
	await until(async () => {
		const status = await callDaemon(connection, 'status', {});
		return status.mcpAgents.find((agent) => agent.id === 'mcp-fixture');
	}, 'the fixture MCP agent to connect');
	return connection;
}

const mode = sandbox.run ? 'sandboxed' : 'unsandboxed: no sandbox here';

describe(`agents calling tools over their channel (${mode})`, () => {
	it('a caller sees and calls only what it was approved for, as itself; the rest is refused, recorded and audited', async () => {
		const connection = await startDaemon();
		// It asks for every tool of the fixture; the user approves one.
		await installCaller(
			'caller-a',
			CALLER,
			['tool:call:mcp-fixture/*'],
			['tool:call:mcp-fixture/echo'],
			[
				JSON.stringify([
					['mcp-fixture__echo', { text: 'hi' }],
					['mcp-fixture__add', { a: 1, b: 2 }],
					['no_such__tool', {}],
				]),
			],
		);
		await run(connection, 'caller-a');
		const seen = await until(() => report('caller-a'), 'caller-a to report');
		expect(seen).toMatchObject({
			env: '4',
			tools: ['mcp-fixture__echo'],
			results: [
				{ name: 'mcp-fixture__echo', isError: false, text: expect.stringContaining('hi') },
				{ name: 'mcp-fixture__add', thrown: expect.stringMatching(/unknown tool/) },
				{ name: 'no_such__tool', thrown: expect.stringMatching(/unknown tool/) },
			],
		});
		const calls = queryToolCalls(h.temp.db, { agentId: 'mcp-fixture' });
		expect(
			calls.map((call) => ({ tool: call.tool, status: call.status, code: call.errorCode })),
		).toEqual(
			expect.arrayContaining([
				{ tool: 'echo', status: 'ok', code: null },
				{ tool: 'add', status: 'denied', code: 'PERMISSION_DENIED' },
			]),
		);
		for (const call of calls) expect(call.caller).toMatchObject({ type: 'agent', id: 'caller-a' });
		expect(calls.find((call) => call.tool === 'add')?.caller.detail?.runId).toMatch(/^run/);
		const denied = await getAuditEvents(h.temp.db, { type: 'security.denied' });
		expect(denied).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					actor: expect.objectContaining({ type: 'agent', id: 'agent:caller-a' }),
					metadata: expect.objectContaining({
						action: 'tool_call',
						agentId: 'mcp-fixture',
						tool: 'add',
						errorCode: 'PERMISSION_DENIED',
					}),
				}),
			]),
		);
	});

	it('two agents coordinate through fleet__* over their channels: a reservation refused with its holder, a message in the inbox', async () => {
		const connection = await startDaemon();
		// pilot-a is examples/fleet-agent: reserves src/** and tells pilot-b.
		await installCaller('pilot-a', FLEET_EXAMPLE, ['tool:call:fleet/*'], 'all', [
			'src/**',
			'pilot-b',
		]);
		await run(connection, 'pilot-a');
		await until(
			() => (/told pilot-b/.test(logText('pilot-a')) ? true : undefined),
			'the example agent to message pilot-b',
		);
		expect(logText('pilot-a')).toMatch(/reserved src\/\*\* until \d{4}-/);

		await installCaller('pilot-b', CALLER, ['tool:call:fleet/*'], 'all', [
			JSON.stringify([
				['fleet__register', { callsign: 'pilot-b' }],
				['fleet__reserve_files', { callsign: 'pilot-b', paths: ['src/app/**'] }],
				['fleet__inbox', { callsign: 'pilot-b' }],
				// Acting as another pilot is refused: an agent is only itself.
				['fleet__inbox', { callsign: 'pilot-a' }],
			]),
		]);
		await run(connection, 'pilot-b');
		const b = await until(() => report('pilot-b'), 'pilot-b to report');
		// Approved for the fleet only: none of the fixture's tools, though it runs.
		expect(b.tools).toEqual(expect.arrayContaining(['fleet__inbox', 'fleet__reserve_files']));
		expect((b.tools as string[]).filter((name) => !name.startsWith('fleet__'))).toEqual([]);
		expect(b).toMatchObject({
			results: [
				{ name: 'fleet__register', isError: false },
				{
					name: 'fleet__reserve_files',
					isError: true,
					text: expect.stringContaining('pilot-a'),
					structured: {
						granted: false,
						conflicts: [expect.objectContaining({ holder: 'pilot-a' })],
					},
				},
				{
					name: 'fleet__inbox',
					isError: false,
					structured: {
						messages: [
							expect.objectContaining({ from: 'pilot-a', subject: 'pilot-a reserved src/**' }),
						],
					},
				},
				{ name: 'fleet__inbox', isError: true, text: expect.stringMatching(/PERMISSION_DENIED/) },
			],
		});
		const calls = queryToolCalls(h.temp.db, { agentId: 'fleet' });
		expect(new Set(calls.map((call) => call.caller.id))).toEqual(new Set(['pilot-a', 'pilot-b']));

		// Stopped, the example releases what it reserved (on SIGTERM, before it exits).
		const stopped = await callDaemon({ ...connection, timeoutMs: 30_000 }, 'stop', {
			id: 'pilot-a',
			graceMs: 10_000,
			actor,
		});
		expect(stopped.exit?.killed).toBe(false);
		const released = h.temp.db.$client
			.prepare(`SELECT released_at FROM reservations WHERE holder = 'pilot-a'`)
			.pluck()
			.all();
		expect(released).toEqual([expect.any(String)]);
	});

	it('an agent without an approved tool:call has no descriptor and no variable', async () => {
		const connection = await startDaemon();
		// Requested but not approved counts as not approved.
		await installCaller('caller-none', CALLER, ['tool:call:mcp-fixture/*'], []);
		await run(connection, 'caller-none');
		const seen = await until(() => report('caller-none'), 'caller-none to report');
		expect(seen).toMatchObject({ env: null, code: 'NO_CHANNEL' });
		expect(String(seen.error)).toMatch(/not approved for tool:call, or runs outside the daemon/);
	});

	it('an agent abusing its channel ends only its own session: another agent and the daemon go on', async () => {
		const connection = await startDaemon();
		await installCaller('noisy', NOISY, ['tool:call:mcp-fixture/*'], 'all');
		await installCaller('caller-b', CALLER, ['tool:call:mcp-fixture/*'], 'all', [
			JSON.stringify([['mcp-fixture__add', { a: 2, b: 3 }]]),
		]);
		// Both at once: the flood goes on while caller-b calls.
		await run(connection, 'noisy');
		await run(connection, 'caller-b');
		const seen = await until(() => report('caller-b'), 'caller-b to report');
		await until(() => report('noisy'), 'the noisy agent’s channel to be closed');
		expect(seen).toMatchObject({
			results: [{ name: 'mcp-fixture__add', isError: false, text: expect.stringContaining('5') }],
		});
		expect((seen.tools as string[]).length).toBeGreaterThanOrEqual(4);
		// The noisy run is still running: only its channel was closed.
		const status = await callDaemon(connection, 'status', {});
		expect(status.agents.find((agent) => agent.id === 'noisy')).toMatchObject({ state: 'running' });
		expect(logLines.join('\n')).toMatch(/agent channel noisy/);
	});
});
