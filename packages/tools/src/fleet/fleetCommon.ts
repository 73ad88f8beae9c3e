import {
	type FieldIssue,
	formatIssues,
	PermissionDeniedError,
	ValidationError,
} from '@agentspace/core';
import type { AgentSpaceDb } from '@agentspace/db';
import type { ToolCaller } from '../callLog/types.js';
import type { RoutedOutcome } from '../router/routedSession.js';

/** Options of {@link fleetToolGroup}. */
export interface FleetToolsOptions {
	readonly db: AgentSpaceDb;
	/** The project fleet work belongs to when a call names none (`default` unless given). */
	readonly projectKey?: string;
}

/** The project a call that names none works in. */
export const DEFAULT_FLEET_PROJECT = 'default';

/** The longest project key a fleet tool accepts. */
export const MAX_FLEET_PROJECT_LENGTH = 256;

/** The `callsign` argument every fleet tool takes: the pilot acting. */
export const CALLSIGN_SCHEMA = {
	type: 'string',
	pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
	description:
		'The pilot acting: 1-64 letters, digits, ".", "_" or "-". An agent calling through its channel must use its own agent id.',
} as const;

/** The optional `project` argument: which project's fleet (pilots, messages, reservations). */
export const PROJECT_SCHEMA = {
	type: 'string',
	minLength: 1,
	maxLength: MAX_FLEET_PROJECT_LENGTH,
	description:
		'The project to coordinate in (e.g. the repository path); the fleets (pilots, messages, reservations, sorties, checkpoints) of different projects never meet. Default: the gateway\'s project ("default").',
} as const;

/** An id the events accept (message, thread, reservation). */
export const IDENTIFIER_SCHEMA = {
	type: 'string',
	pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$',
} as const;

/** An ISO time string in an output schema. */
export const TIME_SCHEMA = { type: 'string' } as const;

/** A nullable string in an output schema. */
export const NULLABLE_STRING = { type: ['string', 'null'] } as const;

/** The arguments every fleet tool has. */
export interface FleetArgs {
	readonly callsign: string;
	readonly project?: string;
}

/**
 * The pilot a call acts as, once allowed: an agent caller may act only as
 * itself (its agent id is its callsign), so one agent can neither read
 * another's inbox nor hold or release files in its name. People and MCP
 * clients choose their callsign. Throws PERMISSION_DENIED otherwise.
 */
export function actingPilot(caller: ToolCaller, args: FleetArgs): string {
	const callsign = args.callsign;
	if (caller.type === 'agent' && callsign !== caller.id) {
		throw new PermissionDeniedError(
			`agent ${caller.id} cannot act as pilot ${JSON.stringify(callsign)}: an agent acts only as itself`,
			{ hint: `call with "callsign": ${JSON.stringify(caller.id)} (the agent's id)` },
		);
	}
	return callsign;
}

/** The project of a call: its `project` argument, else the group's. */
export function projectOf(options: FleetToolsOptions, args: FleetArgs): string {
	return args.project ?? options.projectKey ?? DEFAULT_FLEET_PROJECT;
}

/** Throws a VALIDATION_FAILED error naming every bad field (JSON pointers, as the router's own). */
export function refuseArgs(tool: string, issues: readonly FieldIssue[]): never {
	throw new ValidationError(`invalid arguments for fleet/${tool}:\n${formatIssues(issues)}`, {
		hint: 'fix the listed fields; nothing was changed',
		issues,
	});
}

/** A tool's answer: its structured content, and the same as JSON text for clients that read text only. */
export function jsonResult(structured: Record<string, unknown>, isError = false): RoutedOutcome {
	return {
		isError,
		content: [{ type: 'text', text: JSON.stringify(structured) }],
		structuredContent: structured,
	};
}

/** `text` cut to `max` characters (a surrogate pair is never split). */
export function cut(text: string, max: number): { text: string; truncated: boolean } {
	if (text.length <= max) return { text, truncated: false };
	const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
	return { text: text.slice(0, end), truncated: true };
}
