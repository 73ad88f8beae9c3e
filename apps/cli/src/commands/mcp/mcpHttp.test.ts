// `agentspace mcp --http` and `agentspace mcp token` end to end: the built CLI
// mints, lists and revokes tokens (the secret printed once and found nowhere
// in the home), asks the daemon to serve Streamable HTTP, and the official SDK
// Client (StreamableHTTPClientTransport) lists and calls server-everything —
// a published MCP server nobody here wrote — running as a sandboxed agent.
import { readFileSync } from 'node:fs';
import { sandboxReadiness } from '@agentspace/agents';
import { homePaths } from '@agentspace/core';
import {
	createNpmMcpAgentRepo,
	createTempHome,
	freePort,
	type GitRepo,
	sandboxTestGate,
	type TempHome,
} from '@agentspace/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
	type CallToolResult,
	type Progress,
	ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { filesContaining, runCli, runCliJson } from '../../testCli.js';
import { publishedServerHome } from '../tools/publishedServers.testing.js';

interface Minted {
	tokenId: string;
	token: string;
	name: string | null;
	expiresAt: string;
}
interface Listed {
	tokens: { tokenId: string; name: string | null; status: string; expiresAt: string }[];
}

describe('agentspace mcp token', () => {
	let temp: TempHome;
	beforeAll(() => {
		temp = createTempHome('cli-mcp-token');
	});
	afterAll(() => temp.cleanup());

	it('mints a token printed once, stored nowhere in the home, listed without it, and revokes it', () => {
		const human = runCli(temp.home, ['mcp', 'token', '--name', 'cursor', '--expires', '24h'], {
			NO_COLOR: '1',
		});
		expect(human.status, human.stderr).toBe(0);
		const token = /^ {2}(asmcp_[a-z0-9]{12}_[0-9a-f]{64})$/m.exec(human.stdout)?.[1] as string;
		expect(token).toBeDefined();
		expect(human.stdout).toMatch(/^Minted MCP token asmcp_[a-z0-9]{12} \(cursor\), valid until /);
		expect(human.stdout).toMatch(/shown this once and stored nowhere/);

		const minted = runCliJson<Minted>(temp.home, ['mcp', 'token']);
		expect(minted.status).toBe(0);
		expect(minted.json).toMatchObject({ name: null, tokenId: minted.json.token.slice(0, 18) });
		const days = (Date.parse(minted.json.expiresAt) - Date.now()) / 86_400_000;
		expect(Math.round(days)).toBe(30);

		// Neither secret is anywhere in the home: database, WAL, logs, config.
		for (const secret of [token, minted.json.token]) {
			expect(filesContaining(temp.home, secret.slice(-64))).toEqual([]);
		}

		const listed = runCliJson<Listed>(temp.home, ['mcp', 'token', 'list']);
		expect(listed.json.tokens.map((t) => [t.name, t.status])).toEqual(
			expect.arrayContaining([
				['cursor', 'active'],
				[null, 'active'],
			]),
		);
		const table = runCli(temp.home, ['mcp', 'token', 'list'], { NO_COLOR: '1' });
		expect(table.stdout).toMatch(/^ID\s+NAME\s+STATUS\s+EXPIRES\s+CREATED$/m);
		expect(table.stdout).not.toContain(token.slice(-64));

		const revoked = runCli(temp.home, ['mcp', 'token', 'revoke', token.slice(0, 18)]);
		expect(revoked.status, revoked.stderr).toBe(0);
		expect(revoked.stdout).toMatch(/^Revoked MCP token asmcp_/);
		const again = runCli(temp.home, ['mcp', 'token', 'revoke', token.slice(0, 18)]);
		expect(again.status).not.toBe(0);
		expect(again.stderr).toMatch(/error\[CONFLICT\].*revoked already/);
		const byToken = runCli(temp.home, ['mcp', 'token', 'revoke', token]);
		expect(byToken.stderr).toMatch(/error\[VALIDATION_FAILED\].*invalid token id/);
		expect(byToken.stderr).not.toContain(token.slice(-64));
		expect(
			runCliJson<Listed>(temp.home, ['mcp', 'token', 'list']).json.tokens.find(
				(t) => t.tokenId === token.slice(0, 18),
			)?.status,
		).toBe('revoked');

		const bad = runCli(temp.home, ['mcp', 'token', '--expires', '2y']);
		expect(bad.stderr).toMatch(/error\[VALIDATION_FAILED\].*invalid token lifetime/);
		const audit = runCliJson<{ entries: { eventType: string }[] }>(temp.home, [
			'audit',
			'list',
		]).json.entries.map((e) => e.eventType);
		expect(audit.filter((t) => t === 'mcp.token_minted')).toHaveLength(2);
		expect(audit.filter((t) => t === 'mcp.token_revoked')).toHaveLength(1);
	});
});

// Needs the OS sandbox: skipped where its tools are missing (npm test says so once).
const sandbox = sandboxTestGate(sandboxReadiness(), { file: import.meta.url });

describe.skipIf(!sandbox.run)('agentspace mcp --http: the SDK client over Streamable HTTP', () => {
	let temp: TempHome;
	let repo: GitRepo;
	let port: number;
	const clients: Client[] = [];
	const { cli, listedTargets } = publishedServerHome(() => temp.home, { NO_COLOR: '1' });

	beforeAll(async () => {
		temp = createTempHome('cli-mcp-http');
		repo = createNpmMcpAgentRepo('server-everything');
		cli(['agents', 'install', repo.url]);
		cli(['agents', 'build', 'everything', '--yes']);
		cli(['agents', 'enable', 'everything', '--all']);
		cli(['tools', 'allow', 'everything/*']);
		cli(['agents', 'run', 'everything']);
		const deadline = Date.now() + 60_000;
		while (!listedTargets().includes('everything/get-sum')) {
			if (Date.now() > deadline) throw new Error('server-everything never listed its tools');
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		port = await freePort();
	}, 180_000);

	afterEach(async () => {
		for (const client of clients.splice(0)) await client.close();
	});

	afterAll(() => {
		if (temp === undefined) return;
		runCli(temp.home, ['daemon', 'stop', '--timeout', '2']);
		temp.cleanup();
		repo?.cleanup();
	});

	async function connect(url: string, token: string, name: string): Promise<Client> {
		const client = new Client({ name, version: '0.1.0' });
		await client.connect(
			new StreamableHTTPClientTransport(new URL(url), {
				requestInit: { headers: { Authorization: `Bearer ${token}` } },
			}),
		);
		clients.push(client);
		return client;
	}

	let url: string;
	let token: string;
	const textOf = (result: unknown) =>
		((result as CallToolResult).content ?? [])
			.map((item) => (item.type === 'text' ? item.text : `[${item.type}]`))
			.join('\n');
	const callsOf = (tool: string) =>
		runCliJson<{ calls: { caller: { type: string; id: string }; status: string }[] }>(temp.home, [
			'tools',
			'log',
			'--tool',
			tool,
		]).json.calls;
	async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!check()) {
			if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	it('serves on 127.0.0.1, lists and calls with a minted token or the home token, refuses without one', async () => {
		const served = cli(['mcp', '--http', '--port', String(port)]);
		url = `http://127.0.0.1:${port}/mcp`;
		expect(served.stdout).toContain(`AgentSpace MCP endpoint (Streamable HTTP): ${url}`);
		expect(served.stdout).toContain('agentspace mcp token --name <client>');
		expect(served.stdout).toContain(`{"mcpServers":{"agentspace":{"url":"${url}"`);
		// Asked again: the same endpoint, not a second one.
		const again = runCliJson<{ url: string; started: boolean }>(temp.home, [
			'mcp',
			'--http',
			'--port',
			String(port),
		]);
		expect(again.json).toEqual({ url, port, started: false });

		token = runCliJson<Minted>(temp.home, ['mcp', 'token', '--name', 'http-test']).json.token;
		const client = await connect(url, token, 'http-cli-test');
		expect(client.getServerVersion()).toMatchObject({ name: 'agentspace' });
		expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
		const names = (await client.listTools()).tools.map((tool) => tool.name);
		expect(names).toEqual(expect.arrayContaining(['everything__get-sum', 'everything__echo']));
		const sum = await client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 40 } });
		expect(textOf(sum)).toBe('The sum of 2 and 40 is 42.');
		expect(callsOf('get-sum')[0]?.caller).toMatchObject({
			type: 'mcp-client',
			id: 'http-cli-test',
		});

		// The home's own token works as well (the daemon's, read from its file fallback here).
		const homeToken = readFileSync(homePaths(temp.home).authTokenFile, 'utf8').trim();
		const asHome = await connect(url, homeToken, 'home-token-client');
		expect((await asHome.listTools()).tools.length).toBeGreaterThan(0);
		const status = runCli(temp.home, ['daemon', 'status'], { NO_COLOR: '1' });
		expect(status.stdout).toMatch(new RegExp(`^  MCP HTTP: ${url} \\(2 sessions\\)$`, 'm'));

		const refused = await fetch(url, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				Accept: 'application/json, text/event-stream',
			},
			body: '{}',
		});
		expect(refused.status).toBe(401);
	});

	it("progress: the agent's notifications/progress reach the HTTP client in order", async () => {
		const client = await connect(url, token, 'http-progress');
		const progress: Progress[] = [];
		const result = await client.callTool(
			{ name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 5 } },
			undefined,
			{ onprogress: (p) => progress.push(p) },
		);
		expect(textOf(result)).toMatch(/Long running operation completed/);
		expect(progress.map((p) => [p.progress, p.total])).toEqual([
			[1, 5],
			[2, 5],
			[3, 5],
			[4, 5],
			[5, 5],
		]);
	});

	it("cancellation: the HTTP client's notifications/cancelled cancels the call at the agent", async () => {
		const client = await connect(url, token, 'http-cancel');
		const abort = new AbortController();
		const call = client.callTool(
			{ name: 'everything__trigger-long-running-operation', arguments: { duration: 3, steps: 4 } },
			undefined,
			{ signal: abort.signal, onprogress: () => abort.abort('the user changed their mind') },
		);
		await expect(call).rejects.toThrow(/changed their mind|abort/i);
		await until(
			() =>
				callsOf('trigger-long-running-operation').find((c) => c.caller.id === 'http-cancel')
					?.status === 'cancelled',
			'the call to be logged cancelled',
		);
		// The session goes on.
		expect(
			textOf(await client.callTool({ name: 'everything__echo', arguments: { message: 'on' } })),
		).toBe('Echo: on');
	});

	it('errors: bad arguments are an isError result with its code; an unknown tool is an MCP error', async () => {
		const client = await connect(url, token, 'http-errors');
		const invalid = await client.callTool({ name: 'everything__get-sum', arguments: { a: 'two' } });
		expect(invalid.isError).toBe(true);
		expect(textOf(invalid)).toMatch(
			/^error\[VALIDATION_FAILED\]: invalid arguments for everything\/get-sum/,
		);
		expect(invalid._meta).toMatchObject({ 'agentspace/code': 'VALIDATION_FAILED' });
		await expect(client.callTool({ name: 'nobody__nothing', arguments: {} })).rejects.toThrow(
			/unknown tool/,
		);
	});

	it('notifications/tools/list_changed over the event stream when the agent stops and starts again', async () => {
		const client = await connect(url, token, 'http-list-changed');
		let changes = 0;
		client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
			changes += 1;
		});
		const names = async () => (await client.listTools()).tools.map((tool) => tool.name);
		expect(await names()).toContain('everything__get-sum');
		cli(['agents', 'stop', 'everything']);
		await until(() => changes >= 1, 'list_changed after the agent stopped');
		expect((await names()).some((name) => name.startsWith('everything__'))).toBe(false);
		const seen = changes;
		cli(['agents', 'run', 'everything']);
		await until(() => changes > seen, 'list_changed after the agent started', 60_000);
		await until(
			() =>
				runCliJson<{ tools: { target: string }[] }>(temp.home, ['tools', 'list']).json.tools.some(
					(t) => t.target === 'everything/get-sum',
				),
			'its tools',
		);
		expect(await names()).toContain('everything__get-sum');
	}, 90_000);

	it('stops serving on request; --port without --http is a usage error', async () => {
		const stopped = cli(['mcp', '--http', '--stop']);
		expect(stopped.stdout).toBe('Stopped the MCP HTTP endpoint.\n');
		await expect(fetch(url)).rejects.toThrow();
		const usage = runCli(temp.home, ['mcp', '--port', '1234']);
		expect(usage.stderr).toMatch(/error\[USAGE\]: --port and --stop go with --http/);
	});
});
