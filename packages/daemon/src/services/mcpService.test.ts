// The MCP endpoint's daemon side: the tools service's gateway catalog as the
// fixture MCP agent starts and stops (run by the daemon's supervisor), and
// mcpConnect sessions over the real socket.
import { enableAgent, installAgent } from '@agentspace/agents';
import { openTempHomeDb, type TempHomeDb } from '@agentspace/agents/testing';
import { generateAuthToken } from '@agentspace/core';
import { createMcpFixtureAgentRepo, type GitRepo } from '@agentspace/testing';
import { setToolPolicy } from '@agentspace/tools';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callDaemon, type DaemonConnection } from '../daemonClient.js';
import { openDaemonStream } from '../daemonStreamClient.js';
import { type RunningDaemon, runDaemon } from '../runDaemon.js';
import { daemonServices } from './daemonServices.js';
import type { ToolsService } from './toolsService.js';

const actor = { type: 'human', id: 'tester' } as const;
let temp: TempHomeDb;
let repo: GitRepo | undefined;
let daemon: RunningDaemon | undefined;
const token = generateAuthToken();
const logLines: string[] = [];
let onLog: (line: string) => void = () => {};

beforeEach(() => {
	temp = openTempHomeDb('daemon-mcp');
	logLines.length = 0;
	onLog = () => {};
});
afterEach(async () => {
	await daemon?.close(2000);
	await daemon?.closed;
	daemon = undefined;
	repo?.cleanup();
	temp.cleanup();
});

/** A daemon with the fixture MCP agent installed and enabled (not running), all its tools allowed. */
async function start(): Promise<{ connection: DaemonConnection; tools: ToolsService }> {
	repo = createMcpFixtureAgentRepo();
	await installAgent({ db: temp.db, home: temp.home, source: repo.url, actor });
	enableAgent({ db: temp.db, id: 'mcp-fixture', approve: 'all', actor });
	setToolPolicy(temp.db, { agentId: 'mcp-fixture', tool: '*', policy: 'allow', actor });
	const services = daemonServices({ env: process.env });
	daemon = await runDaemon({
		db: temp.db,
		home: temp.home,
		token,
		services,
		log: (line) => {
			logLines.push(line);
			onLog(line);
		},
	});
	const tools = services.find((service) => service.name === 'tools') as ToolsService;
	return { connection: { socket: daemon.socket, token }, tools };
}

async function until(check: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 400; i++) {
		if (check()) return;
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	throw new Error(`gave up waiting for ${what}; daemon log:\n${logLines.join('\n')}`);
}

const run = (connection: DaemonConnection) =>
	callDaemon(connection, 'run', {
		id: 'mcp-fixture',
		restart: 'no',
		unsandboxed: true,
		env: {},
		actor,
	});

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
		await until(() => heard.connected !== undefined, 'the agent to connect');
		expect(heard.connected).toBe(1);
		expect(names()).toEqual(expect.arrayContaining(['mcp-fixture__add', 'mcp-fixture__echo']));
		expect(catalog.resolve('mcp-fixture__add')?.target).toBe('mcp-fixture/add');
		await callDaemon(connection, 'stop', { id: 'mcp-fixture', graceMs: 2000, actor });
		await until(() => heard.disconnected !== undefined, 'the agent to disconnect');
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
		await until(() => received.includes('\n'), 'the initialize answer');
		expect(JSON.parse(received)).toMatchObject({
			id: 1,
			result: {
				serverInfo: { name: 'agentspace' },
				capabilities: { tools: { listChanged: true } },
			},
		});
		expect((await callDaemon(connection, 'status', {})).mcpSessions).toBe(1);
		await daemon?.close(2000);
		await ended;
		expect(logLines.join('\n')).toMatch(new RegExp(`mcp: session of pid ${process.pid} closed`));
	});
});
