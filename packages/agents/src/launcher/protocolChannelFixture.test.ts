// The fixture MCP agent (@agentspace/testing) installed, enabled and run by
// the real supervisor, sandboxed where the sandbox is here: the SDK's Client
// talks to it over the run's protocol channel, and one that never answers
// `initialize` is failed through the channel as the daemon will fail it.
import { fileURLToPath } from 'node:url';
import { getAuditEvents } from '@agentspace/db';
import { queryEvents } from '@agentspace/events';
import { createMcpFixtureAgentRepo, type GitRepo, sandboxTestGate } from '@agentspace/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enableAgent } from '../enable/enableAgent.js';
import { installAgent } from '../install/installAgent.js';
import { sandboxReadiness } from '../sandbox/sandboxReadiness.js';
import { openTempHomeDb, type TempHomeDb } from '../testing/tempHomeDb.js';
import type { AgentProtocolChannel } from './protocolChannel.js';
import { runStatus } from './runStatus.js';
import { superviseAgent } from './superviseAgent.js';

const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });
const HOST = fileURLToPath(new URL('../../dist/sandbox/sandboxHostMain.js', import.meta.url));
const actor = { type: 'human', id: 'tester' } as const;

/** The SDK's Transport over a channel (newline-delimited JSON, as its stdio transports). */
function channelTransport(channel: AgentProtocolChannel): Transport {
	const buffer = new ReadBuffer();
	const transport: Transport = {
		async start() {
			channel.fromAgent.on('data', (chunk: Buffer) => {
				buffer.append(chunk);
				for (let message = buffer.readMessage(); message !== null; ) {
					transport.onmessage?.(message);
					message = buffer.readMessage();
				}
			});
			channel.fromAgent.once('end', () => transport.onclose?.());
		},
		async send(message: JSONRPCMessage) {
			channel.toAgent.write(serializeMessage(message));
		},
		async close() {
			channel.toAgent.end();
		},
	};
	return transport;
}

let temp: TempHomeDb;
let repo: GitRepo | undefined;
beforeEach(() => {
	temp = openTempHomeDb('protocol-channel-fixture');
});
afterEach(() => {
	repo?.cleanup();
	temp.cleanup();
});

/** Installs and enables the fixture MCP agent with `args`; resolves with its first run's channel once supervised. */
async function runFixture(args: readonly string[]) {
	repo = createMcpFixtureAgentRepo({ args });
	await installAgent({ db: temp.db, home: temp.home, source: repo.url, actor });
	enableAgent({ db: temp.db, id: 'mcp-fixture', approve: 'all', actor });
	let given: ((channel: AgentProtocolChannel) => void) | undefined;
	const channel = new Promise<AgentProtocolChannel>((resolve) => {
		given = resolve;
	});
	const supervisor = await superviseAgent({
		db: temp.db,
		home: temp.home,
		id: 'mcp-fixture',
		actor,
		env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
		...(sandbox.run ? { unsandboxed: false, sandboxHostScript: HOST } : { unsandboxed: true }),
		onProtocolChannel: (_run, offered) => given?.(offered),
	});
	return { supervisor, channel: await channel };
}

describe(`the fixture MCP agent over its protocol channel (${sandbox.run ? 'sandboxed' : 'unsandboxed: no sandbox here'})`, () => {
	it('answers the SDK client: initialize, every tools/list page, a call with structured output', async () => {
		const { supervisor, channel } = await runFixture([]);
		try {
			const client = new Client({ name: 'agentspace-test', version: '0.0.0' });
			await client.connect(channelTransport(channel));
			expect(client.getServerVersion()?.name).toBe('agentspace-mcp-fixture');
			const names: string[] = [];
			let cursor: string | undefined;
			do {
				const page = await client.listTools(cursor === undefined ? {} : { cursor });
				names.push(...page.tools.map((tool) => tool.name));
				cursor = page.nextCursor;
			} while (cursor !== undefined);
			expect(names).toEqual(expect.arrayContaining(['echo', 'add', 'slow', 'fail']));
			const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
			expect(result.structuredContent).toEqual({ sum: 5 });
		} finally {
			await supervisor.stop(2000);
		}
	});

	it('one that never answers initialize is failed through the channel: crashed, with the reason', async () => {
		const { supervisor, channel } = await runFixture(['--never-initialize']);
		const client = new Client({ name: 'agentspace-test', version: '0.0.0' });
		// The daemon's handshake timeout, made short: the SDK's own request timeout.
		const handshake = client.connect(channelTransport(channel), { timeout: 300 });
		await expect(handshake).rejects.toThrow(/timed out/i);
		await channel.fail('mcp handshake timed out after 0.3 s');
		await expect(supervisor.done).resolves.toMatchObject({ runs: 1, errored: false });
		const ends = queryEvents(temp.db, { stream_id: 'agent:mcp-fixture' }).filter(
			(event) => event.type === 'agent_run_crashed',
		);
		expect(ends).toEqual([
			expect.objectContaining({ reason: 'mcp handshake timed out after 0.3 s' }),
		]);
		const [ended] = await getAuditEvents(temp.db, { type: 'agents.run_ended' });
		expect(ended?.metadata).toMatchObject({ failed: 'mcp handshake timed out after 0.3 s' });
		expect(runStatus(temp.db)[0]).toMatchObject({
			id: 'mcp-fixture',
			status: 'crashed',
			reason: 'mcp handshake timed out after 0.3 s',
		});
	});
});
