import { type FieldIssue, formatIssues, redactText, ValidationError } from '@agentspace/core';
import type { PendingEvent } from '../catalogue/catalogue.js';
import { ENVELOPE_FIELDS } from '../catalogue/eventTypes.js';
import { safeValidatePendingEvent } from '../validateEvent.js';

/** How far ahead of this machine's clock an event's time may be. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** A validated event ready to insert: its payload already redacted and serialised. */
export interface PreparedEvent {
	readonly event: PendingEvent;
	readonly payload: Record<string, unknown>;
	/** The payload as stored: JSON of the redacted payload. */
	readonly data: string;
}

/**
 * Validates a batch for one append, reporting every problem of every event
 * at once: each must be a valid pending event, all must name one stream, and
 * none may be dated in the future (a time from the future would, for one, hold
 * a lock past everyone else's). Times are normalised to UTC milliseconds and
 * payload text is redacted, since the log can never be rewritten.
 */
export function prepareBatch(events: unknown, now = Date.now()): PreparedEvent[] {
	if (!Array.isArray(events) || events.length === 0) {
		throw new ValidationError('nothing to append: pass one or more events', {
			hint: 'create events with createEvent(type, fields)',
			issues: [{ path: '(root)', message: 'must be a non-empty array of events' }],
		});
	}
	const issues: FieldIssue[] = [];
	const valid: PendingEvent[] = [];
	// Stored times are canonical ISO strings, so comparing text compares instants.
	const latest = new Date(now + MAX_CLOCK_SKEW_MS).toISOString();
	events.forEach((input, index) => {
		const result = safeValidatePendingEvent(input);
		const prefix = events.length === 1 ? '' : `[${index}].`;
		if (!result.ok) {
			for (const issue of result.errors) issues.push({ ...issue, path: `${prefix}${issue.path}` });
			return;
		}
		const event = normaliseTime(result.value);
		if (event.timestamp > latest) {
			issues.push({
				path: `${prefix}timestamp`,
				message: `${event.timestamp} is in the future (this machine's clock says ${new Date(now).toISOString()})`,
			});
		}
		valid.push(event);
	});
	const streams = new Set(valid.map((e) => e.stream_id));
	if (streams.size > 1) {
		issues.push({
			path: 'stream_id',
			message: `one append writes one stream; this batch names ${streams.size}: ${[...streams].join(', ')}`,
		});
	}
	if (issues.length > 0) {
		throw new ValidationError(`invalid events, nothing appended:\n${formatIssues(issues)}`, {
			hint: 'fix the listed fields (the event catalogue is in specs/events.md)',
			issues,
		});
	}
	return valid.map((event) => {
		const payload = redactPayload(event);
		return { event, payload, data: JSON.stringify(payload) };
	});
}

// Stored times are UTC with milliseconds, so that text order is time order.
// Most events already are (createEvent makes them so): checking is cheaper than re-formatting.
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
function normaliseTime(event: PendingEvent): PendingEvent {
	if (CANONICAL_TIME.test(event.timestamp)) return event;
	return { ...event, timestamp: new Date(event.timestamp).toISOString() };
}

// No credential pattern matches fewer characters than this ("token=x").
const SHORTEST_SECRET = 7;

function redactValue(value: unknown): unknown {
	if (typeof value === 'string') return value.length < SHORTEST_SECRET ? value : redactText(value);
	if (Array.isArray(value)) return value.map(redactValue);
	if (typeof value === 'object' && value !== null) {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) out[key] = redactValue(inner);
		return out;
	}
	return value;
}

// Permission lists name secrets and variables (`secret:read:github-token`),
// which the credential patterns would take for `secret: <value>`. A permission
// that is only a domain, an action and a name holds no value, so it is kept
// as written: the catalogue must store exactly what the manifest requests.
const PERMISSION_FIELDS: ReadonlySet<string> = new Set([
	'requested_permissions',
	'approved_permissions',
]);
const NAME_ONLY_PERMISSION = /^(?:secret|env):read:[A-Za-z0-9_.-]{1,128}$/;

function redactPermissions(value: unknown): unknown {
	if (!Array.isArray(value)) return redactValue(value);
	return value.map((entry) =>
		typeof entry === 'string' && NAME_ONLY_PERMISSION.test(entry) ? entry : redactValue(entry),
	);
}

/**
 * The payload fields of an event, every string in them passed through the
 * credential patterns (`token=…`, `ghp_…`, URLs with a password…). Field
 * names are not used: `tokens_before` is a count, not a secret. The one
 * exception is permission names (see PERMISSION_FIELDS).
 */
function redactPayload(event: PendingEvent): Record<string, unknown> {
	const payload: Record<string, unknown> = {};
	for (const key in event) {
		if (!ENVELOPE_FIELDS.has(key)) {
			const value = (event as unknown as Record<string, unknown>)[key];
			payload[key] = PERMISSION_FIELDS.has(key) ? redactPermissions(value) : redactValue(value);
		}
	}
	return payload;
}
