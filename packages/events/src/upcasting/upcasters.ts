import { AgentSpaceError } from '@agentspace/core';
import type { EventType } from '../catalogue/catalogue.js';
import { EVENT_SCHEMA_VERSIONS } from '../catalogue/eventTypes.js';

/** Turns a payload stored at `fromVersion` into the shape of `fromVersion + 1`. */
export interface Upcaster {
	readonly type: EventType;
	readonly fromVersion: number;
	readonly up: (payload: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * `message_sent` v1 → v2: one recipient became a list, and the `urgent` flag
 * became the four-level `importance`.
 */
const messageSentV1: Upcaster = {
	type: 'message_sent',
	fromVersion: 1,
	up: ({ to, urgent, ...rest }) => ({
		...rest,
		to: Array.isArray(to) ? to : [to],
		importance: urgent === true ? 'urgent' : 'normal',
		ack_required: rest.ack_required ?? false,
	}),
};

/** Every registered upcaster. Add one whenever a definition's `version` goes up. */
export const UPCASTERS: readonly Upcaster[] = [messageSentV1];

const BY_KEY = new Map(UPCASTERS.map((u) => [`${u.type}@${u.fromVersion}`, u]));

/**
 * Brings a stored payload up to the current version of its type, one step at
 * a time. Events are never rewritten: the log keeps the old bytes and every
 * read (including replay) sees the current shape.
 */
export function upcastPayload(
	type: string,
	version: number,
	payload: Record<string, unknown>,
): { readonly version: number; readonly payload: Record<string, unknown> } {
	const current = (EVENT_SCHEMA_VERSIONS as Record<string, number | undefined>)[type];
	if (current === undefined || version === current) return { version, payload };
	if (version > current) {
		throw new AgentSpaceError(
			`a ${type} event is at schema version ${version}, newer than this build of AgentSpace knows (${current})`,
			{ code: 'DB_SCHEMA_TOO_NEW', hint: 'upgrade agentspace to read this database' },
		);
	}
	let data = payload;
	for (let v = version; v < current; v += 1) {
		const upcaster = BY_KEY.get(`${type}@${v}`);
		if (upcaster === undefined) {
			throw new AgentSpaceError(`no upcaster for ${type} from schema version ${v}`, {
				hint: 'this is a bug in AgentSpace: every version bump needs an upcaster',
			});
		}
		data = upcaster.up(data);
	}
	return { version: current, payload: data };
}
