// The MCP endpoint's daemon side: the tools service's gateway catalog as the
// fixture MCP agent starts and stops (run by the daemon's supervisor), and
// mcpConnect sessions over the real socket.
import { beforeEach, describe, expect, it } from 'vitest';
import { callDaemon, type DaemonConnection } from '../daemonClient.js';
import { openDaemonStream } from '../daemonStreamClient.js';
import { daemonServices } from './daemonServices.js';
import { actor, runAgent, serviceHarness } from './serviceHarness.testing.js';
import type { ToolsService } from './toolsService.js';

const h = serviceHarness('daemon-mcp');
let onLog: (line: string) => void = () => {};

beforeEach(() => {
	onLog = () => {};
});

/** A daemon with the fixture MCP agent installed and enabled (not running), all its tools allowed. */
async function start(): Promise<{ connection: DaemonConnection; tools: ToolsService }> {
	await h.installMcpFixture();
	const services = daemonServices({ env: process.env });
	const connection = await h.startDaemon(services, (line) => onLog(line));
	const tools = services.find((service) => service.name === 'tools') as ToolsService;
	return { connection, tools };
}

const run = (connection: DaemonConnection) => runAgent(connection, 'mcp-fixture');

describe('the MCP endpoint in the daemon', () => {
	it('the gateway catalog changes as the agent connects and disconnects, told at once (not at the next poll)', async () => {
		const { connection, tools } = await start();
		const { catalog } = await tools.gateway();
		const names = () => catalog.list().map((tool) => tool.name);
		let changes = 0;
		// A session listening: the catalog polls (each second), and the tools service refreshes it.
		const unsubscribe = catalog.onChange(() => {
			changes += 1;
		});
		// What the listener had heard when the tools service logged each step: the
		// refresh comes before the log line, in the same turn; a poll would come later.
		const heard: Record<string, number> = {};
		onLog = (line) => {
			if (/mcp mcp-fixture: connected to run/.test(line)) heard.connected = changes;
			if (/mcp mcp-fixture: run \S+ disconnected/.test(line)) heard.disconnected = changes;
		};
		expect(names().some((name) => name.startsWith('mcp-fixture__'))).toBe(false);
		await run(connection);
		await h.until(() => heard.connected, 'the agent to connect');
		expect(heard.connected).toBe(1);
		expect(names()).toEqual(expect.arrayContaining(['mcp-fixture__add', 'mcp-fixture__echo']));
		expect(catalog.resolve('mcp-fixture__add')?.target).toBe('mcp-fixture/add');
		await callDaemon(connection, 'stop', { id: 'mcp-fixture', graceMs: 2000, actor });
		await h.until(() => heard.disconnected, 'the agent to disconnect');
		expect(heard.disconnected).toBeGreaterThan(heard.connected as number);
		expect(names().some((name) => name.startsWith('mcp-fixture__'))).toBe(false);
		unsubscribe();
	});

	it('serves one session per mcpConnect, counts them in status, and ends them when the daemon stops', async () => {
		const { connection } = await start();
		const { result, stream } = await openDaemonStream(connection, 'mcpConnect', {
			client: { pid: process.pid },
		});
		expect(result).toEqual({ protocol: 'mcp' });
		let received = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => {
			received += chunk;
		});
		const ended = new Promise<void>((resolve) => stream.once('end', () => resolve()));
		stream.resume();
		// The session answers MCP on the upgraded connection (a client SDK would send exactly this).
		stream.write(
			`${JSON.stringify({
				jsonrpc: '2.0',
				id: 1,
				method: 'initialize',
				params: {
					protocolVersion: '2025-06-18',
					capabilities: {},
					clientInfo: { name: 'daemon-test', version: '1' },
				},
			})}\n`,
		);
		await h.until(() => received.includes('\n') || undefined, 'the initialize answer');
		expect(JSON.parse(received)).toMatchObject({
			id: 1,
			result: {
				serverInfo: { name: 'agentspace' },
				capabilities: { tools: { listChanged: true } },
			},
		});
		expect((await callDaemon(connection, 'status', {})).mcpSessions).toBe(1);
		await h.daemon?.close(2000);
		await ended;
		expect(h.logLines.join('\n')).toMatch(new RegExp(`mcp: session of pid ${process.pid} closed`));
	});
});
