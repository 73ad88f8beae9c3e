import fc from 'fast-check';
import type { EventPayloadInput, EventType } from '../catalogue/catalogue.js';

// Small pools of ids, so random sequences keep hitting the same rows:
// a sortie is created, then assigned, blocked, completed… in any order.
const project = fc.constantFrom('/p/alpha', '/p/beta');
const agentId = fc.constantFrom('agent-a', 'agent-b', 'agent-c');
const callsign = fc.constantFrom('viper-1', 'viper-2', 'maverick', 'goose');
const sortieId = fc.constantFrom('s1', 's2', 's3', 's4', 's5');
const missionId = fc.constantFrom('m1', 'm2');
const messageId = fc.constantFrom('msg1', 'msg2', 'msg3');
const threadId = fc.constantFrom('t1', 't2');
const reservationId = fc.constantFrom('r1', 'r2', 'r3');
const lockResource = fc.constantFrom('deploy', 'db-migrate');
const workOrderId = fc.constantFrom('w1', 'w2', 'w3');
const checkpointId = fc.constantFrom('c1', 'c2', 'c3');
const runId = fc.constantFrom('run1', 'run2', 'run3');
const text = fc.string({ maxLength: 12 });
const title = fc.string({ minLength: 1, maxLength: 12 });
const hash = fc.constantFrom('a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64));
const permissions = fc.subarray([
	'network:egress:api.example.com',
	'filesystem:read:~/data',
	'process:spawn',
]);
const glob = fc.constantFrom('src/**', 'src/*.ts', 'docs/a.md', 'src/x/?.ts', '**/*.json');
const priority = fc.constantFrom('low', 'normal', 'high', 'critical');
const time = fc
	.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-01-02T00:00:00Z') })
	.map((ms) => new Date(ms).toISOString());
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Drops undefined fields: an absent optional field, not one set to undefined. */
function clean<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const manifest = {
	agent_id: agentId,
	name: title,
	version: fc.constantFrom('1.0.0', '1.1.0'),
	description: opt(text),
	manifest_path: fc.constantFrom('/home/u/Projects/a/agentspace.agent.json'),
	manifest_hash: hash,
	permissions_hash: hash,
	requested_permissions: permissions,
	source_url: opt(fc.constantFrom('https://example.com/a.git')),
};
// Tools: three names, three variants each; a variant's hash names it, so the
// same hash always comes with the same definition (as a real hash would).
const toolName = fc.constantFrom('t1', 't2', 't3');
const mcpTokenId = fc.constantFrom('asmcp_aaaaaaaaaaaa', 'asmcp_bbbbbbbbbbbb');
const keyTokenId = fc.constantFrom('askey_aaaaaaaaaaaa', 'askey_bbbbbbbbbbbb');
const provider = fc.constantFrom('anthropic', 'openai', 'ollama', 'openai-compatible:groq');
const fingerprint = fc.constantFrom('sha256:0123456789ab', 'sha256:ba9876543210');
const storage = fc.constantFrom('keychain', 'file');
const baseUrl = fc.constantFrom('https://api.example.com', 'http://127.0.0.1:11434');
const secretName = fc.constantFrom('GITHUB_TOKEN', 'db.password');
const limit = fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null });
const toolDefinition = fc
	.record({ name: toolName, variant: fc.constantFrom(0, 1, 2) })
	.map(({ name, variant }) => ({
		name,
		description: `variant ${variant}`,
		inputSchema: {
			type: 'object',
			properties: { n: { type: variant === 2 ? 'string' : 'number' } },
		},
		...(variant === 1
			? { annotations: { readOnlyHint: true }, outputSchema: { type: 'object' } }
			: { title: `T${variant}` }),
		definitionHash: ['a', 'b', 'c'][variant]?.repeat(64) ?? '',
	}));
const runEnd = {
	agent_id: agentId,
	run_id: runId,
	exit_code: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }),
	signal: fc.option(fc.constantFrom('SIGTERM', 'SIGKILL'), { nil: null }),
	reason: opt(text),
};

type PayloadArbitraries = { [T in EventType]: fc.Arbitrary<EventPayloadInput<T>> };

/** A random valid payload for every event type (as `createEvent` accepts it). */
export const PAYLOADS: PayloadArbitraries = {
	agent_discovered: fc.record(manifest).map(clean),
	agent_updated: fc.record({ ...manifest, previous_manifest_hash: hash }).map(clean),
	agent_installed: fc
		.record({
			...manifest,
			source: fc.constantFrom('https://example.com/a.git', '/src/a'),
			ref: opt(fc.constantFrom('main', 'v1')),
			commit: fc.constantFrom('1'.repeat(40), '2'.repeat(40)),
			install_path: fc.constantFrom('/home/u/.config/agentspace/agents/a/src'),
			permissions_changed: fc.boolean(),
		})
		.map(clean),
	agent_build_started: fc.record({
		agent_id: agentId,
		build_id: fc.constantFrom('b1', 'b2'),
		steps: fc.constant([{ command: 'npm', args: ['ci'] }]),
	}),
	agent_built: fc.record({
		agent_id: agentId,
		build_id: fc.constantFrom('b1'),
		duration_ms: fc.nat(9999),
	}),
	agent_build_failed: fc.record({
		agent_id: agentId,
		build_id: fc.constantFrom('b1'),
		exit_code: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
		signal: fc.constant(null),
		error: text,
		duration_ms: fc.nat(9999),
	}),
	agent_enabled: fc.record({
		agent_id: agentId,
		approved_permissions: permissions,
		manifest_hash: hash,
		permissions_hash: hash,
	}),
	agent_permissions_revoked: fc.record({ agent_id: agentId, reason: opt(text) }).map(clean),
	agent_run_started: fc
		.record({
			agent_id: agentId,
			run_id: runId,
			pid: fc.integer({ min: 2, max: 99999 }),
			sandboxed: fc.boolean(),
			restart_policy: fc.constantFrom('no', 'on-failure', 'always'),
			attempt: opt(fc.nat(20)),
			supervisor_pid: opt(fc.integer({ min: 2, max: 99999 })),
		})
		.map(clean),
	agent_run_stopped: fc.record(runEnd).map(clean),
	agent_run_crashed: fc.record(runEnd).map(clean),
	agent_run_unhealthy: fc.record({ agent_id: agentId, run_id: runId, reason: text }),
	agent_errored: fc
		.record({ agent_id: agentId, run_id: opt(runId), reason: text, restarts: fc.nat(20) })
		.map(clean),
	agent_uninstalled: fc.record({ agent_id: agentId }),
	pilot_registered: fc
		.record({
			callsign,
			program: opt(fc.constantFrom('opencode', 'claude')),
			model: opt(title),
			task_description: opt(text),
		})
		.map(clean),
	pilot_active: fc.record({ callsign, activity: opt(text) }).map(clean),
	pilot_deregistered: fc.record({ callsign, reason: opt(text) }).map(clean),
	pilot_spawned: fc.record({ callsign, spawned_by: callsign, sortie_id: opt(sortieId) }).map(clean),
	pilot_terminated: fc.record({ callsign, reason: text }),
	message_sent: fc
		.record({
			message_id: messageId,
			from: callsign,
			to: fc.uniqueArray(callsign, { minLength: 1, maxLength: 3 }),
			subject: title,
			body: text,
			thread_id: opt(threadId),
			importance: opt(fc.constantFrom('low', 'normal', 'high', 'urgent')),
			ack_required: opt(fc.boolean()),
		})
		.map(clean),
	message_read: fc.record({ message_id: messageId, callsign }),
	message_acknowledged: fc.record({ message_id: messageId, callsign }),
	message_deleted: fc.record({ message_id: messageId }),
	thread_created: fc.record({ thread_id: threadId, subject: title, created_by: callsign }),
	file_reserved: fc.record({
		reservation_id: reservationId,
		holder: callsign,
		paths: fc.uniqueArray(glob, { minLength: 1, maxLength: 2 }),
		exclusive: fc.boolean(),
		ttl_seconds: fc.integer({ min: 1, max: 3600 }),
		expires_at: time,
	}),
	file_released: fc.record({ reservation_id: reservationId, holder: callsign }),
	file_conflict: fc.record({
		reservation_id: reservationId,
		holder: callsign,
		conflicting_reservation_id: reservationId,
		conflicting_holder: callsign,
		paths: fc.uniqueArray(glob, { minLength: 1, maxLength: 2 }),
	}),
	file_reservation_renewed: fc.record({
		reservation_id: reservationId,
		holder: callsign,
		ttl_seconds: fc.integer({ min: 1, max: 3600 }),
		expires_at: time,
	}),
	sortie_created: fc
		.record({
			sortie_id: sortieId,
			title,
			mission_id: opt(missionId),
			priority: opt(priority),
			files: fc.uniqueArray(glob, { maxLength: 2 }),
			depends_on: fc.uniqueArray(sortieId, { maxLength: 2 }),
		})
		.map(clean),
	sortie_assigned: fc.record({ sortie_id: sortieId, assignee: callsign }),
	sortie_started: fc.record({ sortie_id: sortieId, callsign }),
	sortie_progress: fc
		.record({ sortie_id: sortieId, percent: fc.integer({ min: 0, max: 100 }), note: opt(text) })
		.map(clean),
	sortie_blocked: fc.record({ sortie_id: sortieId, reason: text }),
	sortie_resumed: fc.record({ sortie_id: sortieId }),
	sortie_completed: fc
		.record({
			sortie_id: sortieId,
			outcome: fc.constantFrom('succeeded', 'failed', 'cancelled'),
			summary: opt(text),
		})
		.map(clean),
	mission_created: fc.record({ mission_id: missionId, title, priority: opt(priority) }).map(clean),
	mission_started: fc.record({ mission_id: missionId }),
	mission_completed: fc.record({ mission_id: missionId, summary: opt(text) }).map(clean),
	mission_updated: fc
		.record({ mission_id: missionId, title: opt(title), priority: opt(priority) })
		.map(clean),
	work_order_created: fc
		.record({
			work_order_id: workOrderId,
			title,
			sortie_id: opt(sortieId),
			assignee: opt(callsign),
		})
		.map(clean),
	work_order_status_changed: fc.record({
		work_order_id: workOrderId,
		status: fc.constantFrom('pending', 'in_progress', 'blocked', 'cancelled'),
	}),
	work_order_completed: fc.record({ work_order_id: workOrderId, result: opt(text) }).map(clean),
	checkpoint_created: fc
		.record({
			checkpoint_id: checkpointId,
			callsign,
			summary: text,
			context: fc.dictionary(
				fc.constantFrom('a', 'b', 'z'),
				fc.oneof(fc.integer(), text, fc.boolean()),
			),
			trigger: opt(fc.constantFrom('manual', 'auto')),
		})
		.map(clean),
	context_compacted: fc.record({
		checkpoint_id: checkpointId,
		callsign,
		summary: text,
		tokens_before: fc.nat(100_000),
		tokens_after: fc.nat(100_000),
	}),
	checkpoint_restored: fc.record({ checkpoint_id: checkpointId, callsign }),
	checkpoint_deleted: fc.record({ checkpoint_id: checkpointId }),
	coordinator_decision: fc.record({
		decision_id: fc.constantFrom('d1', 'd2'),
		decided_by: callsign,
		decision: text,
	}),
	lock_acquired: fc.record({
		lock_id: fc.constantFrom('l1', 'l2', 'l3'),
		resource: lockResource,
		holder: callsign,
		ttl_seconds: fc.integer({ min: 1, max: 3600 }),
		expires_at: time,
	}),
	lock_released: fc.record({
		lock_id: fc.constantFrom('l1', 'l2', 'l3'),
		resource: lockResource,
		holder: callsign,
	}),
	cursor_moved: fc
		.record({
			cursor_id: fc.constantFrom('inbox', 'log'),
			owner: opt(callsign),
			position: fc.nat(1000),
		})
		.map(clean),
	review_started: fc.record({
		review_id: fc.constantFrom('rv1'),
		reviewer: callsign,
		subject: sortieId,
	}),
	review_completed: fc.record({
		review_id: fc.constantFrom('rv1'),
		reviewer: callsign,
		verdict: fc.constantFrom('approved', 'changes_requested', 'rejected'),
	}),
	agent_mcp_connected: fc.record({
		agent_id: agentId,
		run_id: runId,
		protocol_version: fc.constantFrom('2025-06-18', '2024-11-05'),
		server: fc
			.record({ name: title, version: fc.constantFrom('1.0.0', '0.1'), title: opt(title) })
			.map(clean),
		capabilities: fc.constantFrom<Record<string, Record<string, boolean>>>(
			{},
			{ tools: { listChanged: true } },
			{ logging: {}, tools: {} },
		),
	}),
	agent_tools_listed: fc.record({
		agent_id: agentId,
		run_id: runId,
		// Mostly every name, so later pins, drifts and accepts find their tool.
		tools: fc.uniqueArray(toolDefinition, {
			selector: (tool) => tool.name,
			minLength: 2,
			maxLength: 3,
		}),
	}),
	agent_tools_cleared: fc
		.record({ agent_id: agentId, run_id: runId, reason: opt(text) })
		.map(clean),
	tool_pinned: fc.record({ agent_id: agentId, tool: toolName, definition_hash: hash }),
	tool_drifted: fc.record({
		agent_id: agentId,
		run_id: runId,
		tool: toolName,
		pinned_hash: hash,
		offered_hash: hash,
	}),
	tool_accepted: fc.record({
		agent_id: agentId,
		tool: toolName,
		definition_hash: hash,
		previous_hash: hash,
	}),
	tool_policy_set: fc.record({
		agent_id: agentId,
		tool: fc.constantFrom('*', 't1', 't2'),
		policy: fc.constantFrom('allow', 'deny'),
	}),
	mcp_token_minted: fc
		.record({ token_id: mcpTokenId, name: opt(title), token_hash: hash, expires_at: time })
		.map(clean),
	mcp_token_revoked: fc.record({ token_id: mcpTokenId }),
	key_added: fc.record({ provider, base_url: opt(baseUrl), fingerprint, storage }).map(clean),
	key_updated: fc.record({ provider, base_url: opt(baseUrl), fingerprint, storage }).map(clean),
	key_removed: fc.record({ provider }),
	secret_set: fc.record({ name: secretName, fingerprint, storage, replaced: fc.boolean() }),
	secret_removed: fc.record({ name: secretName }),
	key_limit_set: fc.record({ agent_id: agentId, provider, rpm: limit, tokens_per_day: limit }),
	key_token_minted: fc
		.record({ token_id: keyTokenId, name: opt(title), token_hash: hash, expires_at: time })
		.map(clean),
	key_token_revoked: fc.record({ token_id: keyTokenId }),
} as PayloadArbitraries;

/** `createEvent` arguments for a random event of any type, at a random time in one day of 2026. */
export const anyEventInput = fc
	.constantFrom(...(Object.keys(PAYLOADS) as EventType[]))
	.chain((type) =>
		fc.record({
			type: fc.constant(type),
			fields: fc
				.tuple(PAYLOADS[type] as fc.Arbitrary<object>, project, time)
				.map(([payload, project_key, timestamp]) => ({
					...payload,
					project_key,
					timestamp,
					// Locks and reservations expire at their own time plus their TTL.
					...('ttl_seconds' in payload
						? {
								expires_at: new Date(
									Date.parse(timestamp) + (payload as { ttl_seconds: number }).ttl_seconds * 1000,
								).toISOString(),
							}
						: {}),
				})),
		}),
	);
