import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	canonicalJson,
	isConflictError,
	isNotFoundError,
	isValidationError,
} from '@agentspace/core';
import {
	type AgentSpaceDb,
	closeDb,
	getAuditEvents,
	openDb,
	verifyAuditChain,
	withImmediateTransaction,
} from '@agentspace/db';
import {
	appendToStream,
	createEvent,
	type EventPayloadInput,
	type EventType,
	queryEvents,
} from '@agentspace/events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
	MAX_CAPABILITIES_BYTES,
	MAX_PROTOCOL_VERSION_LENGTH,
	MAX_SERVER_INFO_LENGTH,
} from '../limits.js';
import { recordMcpHandshake } from './recordMcpHandshake.js';

const H = (c: string) => c.repeat(64);

let dir: string;
let db: AgentSpaceDb;
beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'agentspace-handshake-'));
	db = openDb({ path: join(dir, 'agentspace.db') });
	agent('mcp');
});
afterEach(() => {
	closeDb(db);
	rmSync(dir, { recursive: true, force: true });
});

function emit<T extends EventType>(type: T, fields: EventPayloadInput<T>): void {
	withImmediateTransaction(db, (tx) =>
		appendToStream(tx, [createEvent(type, { project_key: 'agentspace', ...fields } as never)]),
	);
}

/** An agent in the catalogue, discovered and running `run1`. */
function agent(id: string): void {
	emit('agent_discovered', {
		agent_id: id,
		name: id,
		version: '1.0.0',
		manifest_path: `/src/${id}/agentspace.agent.json`,
		manifest_hash: H('1'),
		permissions_hash: H('2'),
		requested_permissions: [],
	});
	emit('agent_run_started', {
		agent_id: id,
		run_id: 'run1',
		pid: 4242,
		sandboxed: true,
		restart_policy: 'no',
	});
}

const connected = () => queryEvents(db, { types: ['agent_mcp_connected'] });

describe('recordMcpHandshake', () => {
	it('records the negotiated version, server info and capabilities as they came, audited tools.connected', async () => {
		const recorded = recordMcpHandshake(db, {
			agentId: 'mcp',
			runId: 'run1',
			protocolVersion: '2025-06-18',
			// Not escaped at write time: the display escapes.
			serverInfo: { name: 'fixture\u202e', version: '1.2.3', title: 'Fixture <b>' },
			capabilities: { tools: { listChanged: true }, logging: {} },
		});
		expect(recorded.capabilitiesCut).toBe(false);
		const [event] = connected();
		expect(event?.id).toBe(recorded.event.id);
		expect(event).toMatchObject({
			agent_id: 'mcp',
			run_id: 'run1',
			protocol_version: '2025-06-18',
			server: { name: 'fixture\u202e', version: '1.2.3', title: 'Fixture <b>' },
			capabilities: { tools: { listChanged: true }, logging: {} },
		});
		expect(event?.metadata).toMatchObject({ actor: { type: 'system', id: 'agentspace' } });
		const audit = await getAuditEvents(db, { type: 'tools.connected' });
		expect(audit).toHaveLength(1);
		expect(audit[0]?.metadata).toEqual({
			runId: 'run1',
			protocolVersion: '2025-06-18',
			server: { name: 'fixture\u202e', version: '1.2.3' },
			capabilities: ['logging', 'tools'],
		});
		expect(audit[0]?.correlationId).toBe(recorded.event.id);
		expect((await verifyAuditChain(db)).ok).toBe(true);
	});

	it('bounds what the agent sent: long strings cut, capabilities over 16 KiB kept as their keys', async () => {
		const capabilities: Record<string, unknown> = {
			tools: { listChanged: true },
			experimental: { blob: 'x'.repeat(MAX_CAPABILITIES_BYTES) },
		};
		for (let i = 0; i < 40; i++) capabilities[`k${i}`.padEnd(300, 'k')] = {};
		const recorded = recordMcpHandshake(db, {
			agentId: 'mcp',
			runId: 'run1',
			protocolVersion: 'v'.repeat(1000),
			// A surrogate pair across the cut is not split.
			serverInfo: {
				name: `${'n'.repeat(MAX_SERVER_INFO_LENGTH - 1)}😀tail`,
				version: 'v'.repeat(10_000),
				title: 't'.repeat(10_000),
			},
			capabilities,
		});
		expect(recorded.capabilitiesCut).toBe(true);
		const payload = connected()[0] as unknown as {
			protocol_version: string;
			server: { name: string; version: string; title: string };
			capabilities: Record<string, unknown>;
		};
		expect(payload.protocol_version).toHaveLength(MAX_PROTOCOL_VERSION_LENGTH);
		expect(payload.server.name).toBe('n'.repeat(MAX_SERVER_INFO_LENGTH - 1));
		expect(payload.server.version).toHaveLength(MAX_SERVER_INFO_LENGTH);
		expect(payload.server.title).toHaveLength(MAX_SERVER_INFO_LENGTH);
		const keys = Object.keys(payload.capabilities);
		expect(keys.slice(0, 2)).toEqual(['tools', 'experimental']);
		expect(keys).toHaveLength(32);
		for (const key of keys) {
			expect(key.length).toBeLessThanOrEqual(MAX_SERVER_INFO_LENGTH);
			expect(payload.capabilities[key]).toEqual({});
		}
		expect(Buffer.byteLength(canonicalJson(payload.capabilities))).toBeLessThanOrEqual(
			MAX_CAPABILITIES_BYTES,
		);
		const [audit] = await getAuditEvents(db, { type: 'tools.connected' });
		expect(audit?.metadata).toMatchObject({ capabilitiesCut: true });
	});

	it('refuses a stale run, an unknown agent and bad input, and writes nothing', async () => {
		const good = {
			agentId: 'mcp',
			runId: 'run1',
			protocolVersion: '2025-06-18',
			serverInfo: { name: 'fixture', version: '1.0.0' },
			capabilities: {},
		};
		const events = queryEvents(db, {}).length;
		const refusals: [() => unknown, (e: unknown) => boolean, RegExp][] = [
			[
				() => recordMcpHandshake(db, { ...good, runId: 'old' }),
				isConflictError,
				/not the current run/,
			],
			[() => recordMcpHandshake(db, { ...good, agentId: 'ghost' }), isNotFoundError, /ghost/],
			[() => recordMcpHandshake(db, { ...good, agentId: 'Bad Id' }), isValidationError, /agent id/],
			[
				() => recordMcpHandshake(db, { ...good, protocolVersion: '' }),
				isValidationError,
				/protocol version/,
			],
			[
				() => recordMcpHandshake(db, { ...good, serverInfo: { name: 3 } as never }),
				isValidationError,
				/serverInfo.name/,
			],
			[
				() => recordMcpHandshake(db, { ...good, capabilities: [] as never }),
				isValidationError,
				/capabilities/,
			],
		];
		for (const [call, guard, message] of refusals) {
			let thrown: unknown;
			try {
				call();
			} catch (error) {
				thrown = error;
			}
			expect(guard(thrown), String(thrown)).toBe(true);
			expect((thrown as Error).message).toMatch(message);
			expect((thrown as { hint?: string }).hint).toMatch(/nothing was changed/);
		}
		expect(queryEvents(db, {}).length).toBe(events);
		expect(await getAuditEvents(db, { type: 'tools.connected' })).toHaveLength(0);
	});
});
