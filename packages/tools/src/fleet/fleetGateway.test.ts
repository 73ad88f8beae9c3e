import { join } from 'node:path';
import { type AgentSpaceDb, closeDb, openDb } from '@agentspace/db';
import { createTempHome, type TempHome } from '@agentspace/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolCaller } from '../callLog/types.js';
import { GatewayCatalog } from '../gateway/gatewayCatalog.js';
import { type GatewaySession, serveGateway } from '../gateway/serveGateway.js';
import { ToolRouter } from '../router/toolRouter.js';
import { fleetToolGroup } from './fleetToolGroup.js';

// Two pilots coordinating as MCP clients see them: the SDK's own Client over
// a gateway session, which checks every structured answer against the
// tool's declared output schema (the refusal of a reservation too).

let home: TempHome;
let db: AgentSpaceDb;
let router: ToolRouter;
let catalog: GatewayCatalog;
const closers: (() => Promise<void>)[] = [];

beforeEach(() => {
	home = createTempHome('fleet-gateway');
	db = openDb({ path: join(home.home, 'agentspace.db') });
	router = new ToolRouter({
		db,
		securityMode: () => 'limited-control',
		builtins: [fleetToolGroup({ db })],
	});
	catalog = new GatewayCatalog({
		db,
		securityMode: () => 'limited-control',
		isRunning: (id) => router.isRunning(id),
		builtins: router.builtinGroups(),
	});
});

afterEach(async () => {
	for (const close of closers.splice(0).reverse()) await close();
	catalog.close();
	router.close();
	closeDb(db);
	home.cleanup();
});

async function connect(caller: ToolCaller): Promise<Client> {
	const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
	const session: GatewaySession = await serveGateway({
		transport: serverSide,
		catalog,
		router,
		callerOf: () => caller,
	});
	const client = new Client({ name: caller.id, version: '1.0.0' });
	await client.connect(clientSide);
	closers.push(async () => {
		await client.close();
		await session.close();
	});
	return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
	return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

describe('the fleet tools through the gateway', () => {
	it('lists every fleet tool with its schemas, and two pilots coordinate', async () => {
		const alice = await connect({ type: 'mcp-client', id: 'claude-code' });
		const bob = await connect({ type: 'agent', id: 'bob' });
		const { tools } = await alice.listTools();
		const fleet = tools.filter((t) => t.name.startsWith('fleet__'));
		expect(fleet.map((t) => t.name).sort()).toEqual(
			[
				'ack',
				'checkpoint',
				'checkpoints',
				'create_sortie',
				'inbox',
				'pilots',
				'read_message',
				'ready_work',
				'register',
				'release_files',
				'reservations',
				'reserve_files',
				'send_message',
				'update_sortie',
			].map((name) => `fleet__${name}`),
		);
		for (const tool of fleet) {
			expect(tool.outputSchema, tool.name).toBeDefined();
			expect(tool.inputSchema.required, tool.name).toContain('callsign');
		}

		// Every answer below passed the SDK's own check against its output schema.
		await call(alice, 'fleet__register', { callsign: 'alice' });
		await call(bob, 'fleet__register', { callsign: 'bob', task_description: 'the lexer' });
		const held = await call(alice, 'fleet__reserve_files', {
			callsign: 'alice',
			paths: ['src/**'],
		});
		expect(held.structuredContent).toMatchObject({ granted: true });
		const refused = await call(bob, 'fleet__reserve_files', {
			callsign: 'bob',
			paths: ['src/lexer.ts'],
		});
		expect(refused.isError).toBe(true);
		expect(refused.structuredContent).toMatchObject({
			granted: false,
			conflicts: [{ holder: 'alice', paths: ['src/lexer.ts'] }],
		});
		const sent = await call(bob, 'fleet__send_message', {
			callsign: 'bob',
			to: ['alice'],
			subject: 'src/lexer.ts',
			body: 'may I have the lexer?',
		});
		const inbox = await call(alice, 'fleet__inbox', { callsign: 'alice' });
		expect(inbox.structuredContent).toMatchObject({
			unread: 1,
			messages: [{ from: 'bob', body: 'may I have the lexer?' }],
		});
		await call(alice, 'fleet__ack', {
			callsign: 'alice',
			message_ids: [sent.structuredContent?.message_id],
		});
		await call(alice, 'fleet__read_message', {
			callsign: 'alice',
			message_id: sent.structuredContent?.message_id,
		});
		await call(alice, 'fleet__pilots', { callsign: 'alice' });
		await call(alice, 'fleet__reservations', { callsign: 'alice', path: 'src/lexer.ts' });
		await call(alice, 'fleet__release_files', { callsign: 'alice' });
		expect(
			(await call(bob, 'fleet__reserve_files', { callsign: 'bob', paths: ['src/lexer.ts'] }))
				.structuredContent,
		).toMatchObject({ granted: true });

		// The work tools' answers pass the SDK's output schema check too.
		const created = await call(alice, 'fleet__create_sortie', {
			callsign: 'alice',
			title: 'the lexer',
			files: ['src/lexer.ts'],
		});
		const sortie_id = created.structuredContent?.sortie_id;
		expect(
			(await call(bob, 'fleet__ready_work', { callsign: 'bob' })).structuredContent?.sorties,
		).toMatchObject([{ sortie_id, files: ['src/lexer.ts'] }]);
		for (const step of [
			{ action: 'start' },
			{ action: 'progress', percent: 50, note: 'half' },
			{ action: 'complete', outcome: 'succeeded' },
		]) {
			const moved = await call(bob, 'fleet__update_sortie', {
				callsign: 'bob',
				sortie_id,
				...step,
			});
			expect(moved.isError, step.action).not.toBe(true);
			expect(moved.structuredContent?.sortie, step.action).toMatchObject({ assignee: 'bob' });
		}
		await call(bob, 'fleet__checkpoint', { callsign: 'bob', summary: 'lexer done', sortie_id });
		expect(
			(await call(bob, 'fleet__checkpoints', { callsign: 'bob' })).structuredContent?.checkpoints,
		).toMatchObject([{ summary: 'lexer done', sortie_id, context: {} }]);
	});

	it('answers an agent acting as another pilot with an error the model sees', async () => {
		const bob = await connect({ type: 'agent', id: 'bob' });
		const result = await call(bob, 'fleet__inbox', { callsign: 'alice' });
		expect(result.isError).toBe(true);
		expect((result.content[0] as { text: string }).text).toMatch(
			/^error\[PERMISSION_DENIED\]: agent bob cannot act as pilot "alice"/,
		);
	});
});
