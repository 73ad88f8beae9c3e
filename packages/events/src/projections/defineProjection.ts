import type { EventOfType, EventType } from '../catalogue/catalogue.js';
import type { ProjectionContext } from './projectionContext.js';

/** Updates a projection's tables for one event of type `T`. Synchronous: it runs inside the append. */
export type ProjectionHandler<T extends EventType> = (
	context: ProjectionContext,
	event: EventOfType<T>,
) => void;

/**
 * An inline projection: the tables it owns (nothing else writes them) and a
 * handler per event type it follows. Handlers must be deterministic — they see
 * only the event, never the clock — so a rebuild gives byte-identical tables.
 */
export interface Projection {
	readonly name: string;
	readonly tables: readonly string[];
	readonly handlers: { readonly [T in EventType]?: ProjectionHandler<T> };
}

/** Declares a projection (identity, for type checking the handlers against their event types). */
export function defineProjection(projection: Projection): Projection {
	return projection;
}
