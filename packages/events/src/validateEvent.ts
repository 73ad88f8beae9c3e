import {
	type FieldIssue,
	formatIssues,
	issuesFromZod,
	ValidationError,
	type ValidationResult,
} from '@agentspace/core';
import { eventDefinition, type FleetEvent, type PendingEvent } from './catalogue/catalogue.js';
import { EVENT_TYPES } from './catalogue/eventTypes.js';

type Shape = 'stored' | 'pending';

// Dispatching on `type` by hand (rather than through the union) keeps the error
// for an unknown type readable and validates against one schema, not fifty.
function check(input: unknown, shape: Shape): ValidationResult<unknown> {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return { ok: false, errors: [{ path: '(root)', message: 'an event must be an object' }] };
	}
	const type = (input as { type?: unknown }).type;
	const definition = typeof type === 'string' ? eventDefinition(type) : undefined;
	if (definition === undefined) {
		const message =
			type === undefined
				? 'required: the event type'
				: `unknown event type ${JSON.stringify(type)}; known types: ${EVENT_TYPES.join(', ')}`;
		return { ok: false, errors: [{ path: 'type', message }] };
	}
	const parsed = definition[shape].safeParse(input);
	return parsed.success
		? { ok: true, value: parsed.data }
		: { ok: false, errors: issuesFromZod(parsed.error) };
}

/** Validates a stored event (envelope with `sequence` and `stream_version`), returning every problem. */
export function safeValidateEvent(input: unknown): ValidationResult<FleetEvent> {
	return check(input, 'stored') as ValidationResult<FleetEvent>;
}

/**
 * Validates a stored event and returns it with defaults applied; throws a
 * `ValidationError` whose `issues` name every bad field by its path.
 */
export function validateEvent(input: unknown): FleetEvent {
	const result = safeValidateEvent(input);
	if (!result.ok) throw invalid(result.errors, 'event');
	return result.value;
}

/** Validates an event that is about to be appended (no positions yet), returning every problem. */
export function safeValidatePendingEvent(input: unknown): ValidationResult<PendingEvent> {
	return check(input, 'pending') as ValidationResult<PendingEvent>;
}

function invalid(issues: readonly FieldIssue[], label: string): ValidationError {
	return new ValidationError(`invalid ${label}:\n${formatIssues(issues)}`, {
		hint: 'fix the listed fields (the event catalogue is in specs/events.md); nothing was written',
		issues,
	});
}
