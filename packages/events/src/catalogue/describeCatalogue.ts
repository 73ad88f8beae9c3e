import { z } from 'zod';
import { EVENT_FAMILIES, type EventType } from './catalogue.js';

/** What each event records, for `specs/events.md`. Typed so a new event cannot go undocumented. */
export const EVENT_DESCRIPTIONS: Readonly<Record<EventType, string>> = {
	agent_discovered: 'A scan found a valid manifest the catalogue did not have.',
	agent_updated: 'A scan found a known manifest whose hash changed.',
	agent_installed:
		'The agent was cloned (or copied) into the home and checked out at a resolved commit.',
	agent_build_started:
		"The user confirmed the build; the agent's own build steps are about to run.",
	agent_built: 'Every build step succeeded.',
	agent_build_failed: 'A build step failed, timed out or could not start.',
	agent_enabled:
		'The user approved a subset of the requested permissions, bound to the manifest and permissions hashes.',
	agent_permissions_revoked:
		'The approval was withdrawn; the agent cannot run until enabled again.',
	agent_run_started: 'A run of the agent started as an OS process.',
	agent_run_stopped: 'A run ended because it was asked to stop, or exited cleanly.',
	agent_run_crashed:
		'A run ended on its own with a failure (non-zero exit, signal, or lost process).',
	agent_run_unhealthy:
		'A running MCP agent was found unhealthy (e.g. pings unanswered) and is being stopped; the end follows as agent_run_crashed.',
	agent_errored:
		'The supervisor gave up on the agent (its runs kept crashing, or a restart could not start); it stays down until run again.',
	agent_uninstalled: 'The checkout was removed; the history stays.',
	pilot_registered: 'An agent session joined a project under a callsign.',
	pilot_active: 'A pilot reported activity (a heartbeat).',
	pilot_deregistered: 'A pilot left the project.',
	pilot_spawned: 'A pilot started another pilot.',
	pilot_terminated: 'A pilot was ended by someone else (or by a timeout).',
	message_sent: 'A message to one or more pilots.',
	message_read: 'A recipient read a message.',
	message_acknowledged: 'A recipient acknowledged a message (implies read).',
	message_deleted: 'A message was deleted (it stays in the log).',
	thread_created: 'A message thread was opened.',
	file_reserved: 'A pilot reserved files (globs) for a while; advisory.',
	file_released: 'A reservation was released before it expired.',
	file_conflict:
		"A reservation was granted although it overlaps another pilot's active reservation.",
	file_reservation_renewed: 'A reservation got a new expiry.',
	sortie_created: 'A piece of work was created, optionally in a mission and after other sorties.',
	sortie_assigned: 'A sortie was given to a pilot.',
	sortie_started: 'Work on a sortie began.',
	sortie_progress: 'A sortie reported progress.',
	sortie_blocked: 'A sortie cannot go on until something changes.',
	sortie_resumed: 'A blocked sortie can go on.',
	sortie_completed: 'A sortie ended: succeeded, failed or cancelled.',
	mission_created: 'A mission (a group of sorties) was created.',
	mission_started: 'Work on a mission began.',
	mission_completed: 'A mission ended.',
	mission_updated: 'A mission’s title, description or priority changed.',
	work_order_created: 'A small task, usually inside a sortie, was created.',
	work_order_status_changed: 'A work order moved to another status.',
	work_order_completed: 'A work order was done.',
	checkpoint_created: 'A pilot saved what it needs to resume its work.',
	context_compacted: "A pilot's context was compacted; the summary is kept as a checkpoint.",
	checkpoint_restored: 'A pilot resumed from a checkpoint.',
	checkpoint_deleted: 'A checkpoint was deleted (it stays in the log).',
	coordinator_decision: 'A coordinator recorded a decision and why.',
	lock_acquired: 'A pilot took an exclusive lock on a named resource, with a TTL.',
	lock_released: 'The holder released a lock.',
	cursor_moved: 'A named read position moved.',
	review_started: 'A review of a piece of work began.',
	review_completed: 'A review ended with a verdict.',
	agent_mcp_connected:
		"A run of an MCP agent completed the initialize handshake: the negotiated protocol version, the server's name and version, and its capabilities (only their keys when over 16 KiB).",
	agent_tools_listed:
		"A run of an MCP agent listed its tools (on start and after list_changed); the list replaces the agent's offered tools.",
	agent_tools_cleared: "The run's MCP session ended: its tools are no longer offered.",
	tool_pinned:
		'The first definition seen of a tool of an approved agent became its pinned (trusted) definition.',
	tool_drifted:
		'An offered definition differs from the pinned one: the tool is held back (not callable) until accepted.',
	tool_accepted: 'The user accepted the offered definition of a drifted tool: the pin moves to it.',
	tool_policy_set: "The user allowed or denied a tool (or every tool, '*') of an agent.",
	mcp_token_minted:
		'A bearer token of the MCP HTTP endpoint was minted (`agentspace mcp token`): its sha256 is kept, never the token.',
	mcp_token_revoked:
		'A token of the MCP HTTP endpoint was revoked: the endpoint refuses it from now on.',
	key_added:
		'A provider key was added (`agentspace keys add`): its fingerprint and where it is stored, never the key.',
	key_updated: "A provider's key was rotated or its base URL changed (`agentspace keys rotate`).",
	key_removed: "A provider's key was removed (`agentspace keys remove`) from the vault.",
	secret_set:
		'A secret was set or replaced (`agentspace secrets set`): its fingerprint and where it is stored, never the value.',
	secret_removed: 'A secret was removed (`agentspace secrets remove`) from the vault.',
	key_limit_set:
		"An agent's limits on a provider were set (`agentspace keys limit`): requests a minute and tokens a day, null for none.",
	key_token_minted:
		'A token of the LLM endpoint was minted (`agentspace keys token`): its sha256 is kept, never the token.',
	key_token_revoked:
		'A token of the LLM endpoint was revoked: the endpoint refuses it from now on.',
};

// Field schemas by their patterns, so the spec says "callsign" rather than a regex.
const PATTERN_NAMES: Record<string, string> = {
	'^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$': 'callsign',
	'^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$': 'id',
	'^[a-z0-9][a-z0-9._-]{0,63}$': 'agent id',
	'^[0-9a-f]{64}$': 'sha256 (hex)',
	'^[0-9a-f]{40}([0-9a-f]{24})?$': 'git commit id',
	'^[a-z]+:[a-z_][a-z_-]*(?::.+)?$': 'permission',
	'^[A-Za-z0-9_.-]{1,128}$': 'tool name',
	'^asmcp_[a-z0-9]{12}$': 'MCP token id',
	'^askey_[a-z0-9]{12}$': 'key token id',
	'^(anthropic|openai|ollama|openai-compatible:[a-z0-9][a-z0-9-]{0,31})$': 'provider',
	'^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$': 'secret name',
	'^sha256:[0-9a-f]{12}$': 'fingerprint',
};

type JsonSchema = {
	type?: string;
	enum?: unknown[];
	format?: string;
	pattern?: string;
	minLength?: number;
	maxLength?: number;
	minimum?: number;
	maximum?: number;
	minItems?: number;
	maxItems?: number;
	items?: JsonSchema;
	anyOf?: JsonSchema[];
	default?: unknown;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	$ref?: string;
};

function typeOf(schema: JsonSchema): string {
	if (schema.$ref !== undefined) return 'JSON';
	if (schema.anyOf !== undefined) return schema.anyOf.map(typeOf).join(' \\| ');
	if (schema.enum !== undefined)
		return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
	switch (schema.type) {
		case 'string':
			if (schema.format === 'date-time') return 'time (ISO 8601)';
			if (schema.pattern !== undefined) return PATTERN_NAMES[schema.pattern] ?? 'string';
			if (schema.maxLength !== undefined && schema.maxLength > 1024) return 'text';
			return schema.minLength === 1 && schema.maxLength === 1024 ? 'glob' : 'string';
		case 'integer': {
			const range = [schema.minimum, schema.maximum];
			if (range.every((v) => v === undefined)) return 'integer';
			return `integer ${schema.minimum ?? '…'}–${schema.maximum ?? '…'}`;
		}
		case 'array': {
			const item = typeOf(schema.items ?? {});
			const bounds = schema.minItems === undefined ? '' : ` (≥ ${schema.minItems})`;
			return `${item}[]${bounds}`;
		}
		case 'object':
			return 'JSON object';
		default:
			return schema.type ?? 'any';
	}
}

// Shows the stream naming rule by running it on placeholders: `sortie:<sortie_id>`.
function streamPattern(streamOf: (source: never) => string, fields: readonly string[]): string {
	const placeholders = Object.fromEntries(fields.map((f) => [f, `<${f}>`]));
	return streamOf({ ...placeholders, project_key: '<project_key>' } as never);
}

/** The field tables of every event type, as Markdown (the generated part of `specs/events.md`). */
export function renderEventCatalogue(): string {
	const out: string[] = [];
	for (const family of EVENT_FAMILIES) {
		out.push(`### ${family.name}`, '');
		for (const definition of family.events) {
			const schema = z.toJSONSchema(definition.payload, {
				io: 'input',
				unrepresentable: 'any',
			}) as JsonSchema;
			const fields = Object.keys(schema.properties ?? {});
			out.push(
				`#### \`${definition.type}\` (v${definition.schemaVersion})`,
				'',
				`${EVENT_DESCRIPTIONS[definition.type]} Stream: \`${streamPattern(definition.streamOf as never, fields)}\`.`,
				'',
				'| field | type | required |',
				'| --- | --- | --- |',
			);
			for (const field of fields) {
				const property = schema.properties?.[field] as JsonSchema;
				const required = (schema.required ?? []).includes(field)
					? 'yes'
					: property.default === undefined
						? 'no'
						: `no (default \`${JSON.stringify(property.default)}\`)`;
				out.push(`| \`${field}\` | ${typeOf(property)} | ${required} |`);
			}
			out.push('');
		}
	}
	return out.join('\n');
}
