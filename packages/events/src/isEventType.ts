import type { EventOfType, EventType, FleetEvent, PendingEvent } from './catalogue/catalogue.js';

/** Narrows an event to one type, so its payload fields type-check (`e.callsign`). */
export function isEventType<T extends EventType>(
	event: FleetEvent,
	type: T,
): event is EventOfType<T>;
/** Narrows a pending event to one type. */
export function isEventType<T extends EventType>(
	event: PendingEvent,
	type: T,
): event is PendingEvent<T>;
export function isEventType(event: { type: string }, type: string): boolean {
	return event.type === type;
}
