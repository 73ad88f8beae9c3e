// connectAgentSpace in a real child process given one end of a socketpair as
// fd 4 (as AgentSpace's launcher gives it), the SDK's Server on the other end
// here: initialize, tools/list and tools/call over it. Without the variable,
// or with one naming no socket, a clear error.
import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { AgentSpaceChannelError } from './agentSpaceChannelError.js';
import { connectAgentSpace } from './connectAgentSpace.js';

const SDK = fileURLToPath(new URL('../dist/index.js', import.meta.url));

// The agent: connects, lists, calls, says what it got on stdout, and closes.
const AGENT = `
const { connectAgentSpace } = await import(process.argv[1]);
const client = await connectAgentSpace();
const { tools } = await client.listTools();
const result = await client.callTool({ name: 'fleet__echo', arguments: { text: 'hi' } });
process.stdout.write(JSON.stringify({ server: client.getServerVersion(), tools: tools.map((t) => t.name), result }));
await client.close();
`;

/** Runs the agent with its fd 4 served by an SDK Server here; what it printed, and who it said it was. */
async function runAgent(): Promise<{ printed: unknown; clientName: string | undefined }> {
	const child = spawn(process.execPath, ['--input-type=module', '-e', AGENT, SDK], {
		env: { PATH: process.env.PATH, AGENTSPACE_MCP_FD: '4', AGENTSPACE_AGENT_ID: 'fleet-agent' },
		stdio: ['ignore', 'pipe', 'pipe', 'ignore', 'pipe'],
	});
	const stream = child.stdio[4] as Duplex;
	const server = new Server(
		{ name: 'agentspace', version: '9.9.9' },
		{ capabilities: { tools: {} } },
	);
	server.setRequestHandler(ListToolsRequestSchema, async () => ({
		tools: [{ name: 'fleet__echo', inputSchema: { type: 'object' } }],
	}));
	server.setRequestHandler(CallToolRequestSchema, async (request) => ({
		content: [{ type: 'text', text: `echo: ${String(request.params.arguments?.text)}` }],
	}));
	await server.connect(new StdioServerTransport(stream as never, stream as never));
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
	const clientName = server.getClientVersion()?.name;
	await server.close();
	expect(code, stderr).toBe(0);
	return { printed: JSON.parse(stdout), clientName };
}

describe('connectAgentSpace', () => {
	it('is an SDK Client over the inherited descriptor: initialize, list, call', async () => {
		const { printed, clientName } = await runAgent();
		expect(printed).toEqual({
			server: { name: 'agentspace', version: '9.9.9' },
			tools: ['fleet__echo'],
			result: { content: [{ type: 'text', text: 'echo: hi' }] },
		});
		expect(clientName).toBe('fleet-agent');
	});

	it('without AGENTSPACE_MCP_FD says the agent was not approved or runs outside the daemon', async () => {
		const attempt = connectAgentSpace({ env: {} });
		await expect(attempt).rejects.toBeInstanceOf(AgentSpaceChannelError);
		await expect(attempt).rejects.toMatchObject({
			code: 'NO_CHANNEL',
			message: expect.stringMatching(
				/^error\[NO_CHANNEL\]: .*not approved for tool:call, or runs outside the daemon.*\nhint: /s,
			),
		});
	});

	it.each([
		['abc', 'BAD_CHANNEL'],
		['1', 'BAD_CHANNEL'],
		['-4', 'BAD_CHANNEL'],
		['987654', 'BAD_CHANNEL'],
	])('refuses AGENTSPACE_MCP_FD=%s (%s)', async (value, code) => {
		await expect(connectAgentSpace({ env: { AGENTSPACE_MCP_FD: value } })).rejects.toMatchObject({
			code,
			hint: expect.any(String),
		});
	});
});
