import { z } from 'zod';
import { AGENT_EVENTS } from './agentEvents.js';
import { CHECKPOINT_EVENTS } from './checkpointEvents.js';
import { COORDINATION_EVENTS } from './coordinationEvents.js';
import { KEY_EVENTS } from './keyEvents.js';
import { MCP_TOKEN_EVENTS } from './mcpTokenEvents.js';
import { MESSAGE_EVENTS } from './messageEvents.js';
import { PILOT_EVENTS } from './pilotEvents.js';
import { RESERVATION_EVENTS } from './reservationEvents.js';
import { TOOL_EVENTS } from './toolEvents.js';
import { MISSION_EVENTS, SORTIE_EVENTS, WORK_ORDER_EVENTS } from './workEvents.js';

/** Every event type AgentSpace knows, family by family. */
export const EVENT_DEFINITIONS = [
	...AGENT_EVENTS,
	...PILOT_EVENTS,
	...MESSAGE_EVENTS,
	...RESERVATION_EVENTS,
	...SORTIE_EVENTS,
	...MISSION_EVENTS,
	...WORK_ORDER_EVENTS,
	...CHECKPOINT_EVENTS,
	...COORDINATION_EVENTS,
	...TOOL_EVENTS,
	...MCP_TOKEN_EVENTS,
	...KEY_EVENTS,
] as const;

/** The catalogue by family, in the order `specs/events.md` documents it. */
export const EVENT_FAMILIES = [
	{ name: 'Agent lifecycle', events: AGENT_EVENTS },
	{ name: 'Pilots', events: PILOT_EVENTS },
	{ name: 'Messages', events: MESSAGE_EVENTS },
	{ name: 'Reservations', events: RESERVATION_EVENTS },
	{ name: 'Sorties', events: SORTIE_EVENTS },
	{ name: 'Missions', events: MISSION_EVENTS },
	{ name: 'Work orders', events: WORK_ORDER_EVENTS },
	{ name: 'Checkpoints', events: CHECKPOINT_EVENTS },
	{ name: 'Coordination', events: COORDINATION_EVENTS },
	{ name: 'Tools', events: TOOL_EVENTS },
	{ name: 'MCP endpoint tokens', events: MCP_TOKEN_EVENTS },
	{ name: 'Provider keys and secrets', events: KEY_EVENTS },
] as const;

type Definition = (typeof EVENT_DEFINITIONS)[number];

/** The name of an event type, e.g. `pilot_registered`. */
export type EventType = Definition['type'];

/** A stored AgentSpace event: envelope and payload fields side by side, discriminated on `type`. */
export type FleetEvent = Definition extends infer D
	? D extends { stored: infer S extends z.ZodType }
		? z.output<S>
		: never
	: never;

/** Alias of {@link FleetEvent}: the union of every AgentSpace event. */
export type AgentSpaceEvent = FleetEvent;

/** The stored event of one type. */
export type EventOfType<T extends EventType> = Extract<FleetEvent, { type: T }>;

/** An event ready to append: everything but the positions the store assigns. */
export type PendingEvent<T extends EventType = EventType> = T extends EventType
	? Omit<EventOfType<T>, 'sequence' | 'stream_version'>
	: never;

/** The payload of one type: the fields besides the envelope. */
export type EventPayload<T extends EventType> = Definition extends infer D
	? D extends { type: T; payload: infer S extends z.ZodType }
		? z.output<S>
		: never
	: never;

/** What a payload accepts before defaults are applied (optional fields may be left out). */
export type EventPayloadInput<T extends EventType> = Definition extends infer D
	? D extends { type: T; payload: infer S extends z.ZodType }
		? z.input<S>
		: never
	: never;

const BY_TYPE: ReadonlyMap<string, Definition> = new Map(EVENT_DEFINITIONS.map((d) => [d.type, d]));

/** The definition of `type`, or undefined for a name the catalogue does not have. */
export function eventDefinition(type: string): Definition | undefined {
	return BY_TYPE.get(type);
}

/** Zod schema of every stored AgentSpace event: one discriminated union on `type`. */
export const FleetEventSchema = z.discriminatedUnion(
	'type',
	EVENT_DEFINITIONS.map((d) => d.stored) as unknown as [
		Definition['stored'],
		...Definition['stored'][],
	],
) as unknown as z.ZodType<FleetEvent>;

/** Alias of {@link FleetEventSchema}. */
export const AgentSpaceEventSchema = FleetEventSchema;
