import type { FleetEvent } from '../catalogue/catalogue.js';
import { agentsProjection } from './agentsProjection.js';
import { checkpointsProjection } from './checkpointsProjection.js';
import { cursorsProjection } from './cursorsProjection.js';
import type { Projection } from './defineProjection.js';
import { keyLimitsProjection } from './keyLimitsProjection.js';
import { keyTokensProjection } from './keyTokensProjection.js';
import { locksProjection } from './locksProjection.js';
import { mcpTokensProjection } from './mcpTokensProjection.js';
import { messagesProjection } from './messagesProjection.js';
import { missionsProjection } from './missionsProjection.js';
import { pilotsProjection } from './pilotsProjection.js';
import type { ProjectionContext } from './projectionContext.js';
import { providerKeysProjection } from './providerKeysProjection.js';
import { reservationsProjection } from './reservationsProjection.js';
import { secretsProjection } from './secretsProjection.js';
import { sortiesProjection } from './sortiesProjection.js';
import { toolsProjection } from './toolsProjection.js';
import { workOrdersProjection } from './workOrdersProjection.js';

/** Every inline projection, in the order their handlers run for an event. */
export const PROJECTIONS: readonly Projection[] = [
	agentsProjection,
	pilotsProjection,
	messagesProjection,
	reservationsProjection,
	locksProjection,
	missionsProjection,
	sortiesProjection,
	workOrdersProjection,
	checkpointsProjection,
	cursorsProjection,
	toolsProjection,
	mcpTokensProjection,
	providerKeysProjection,
	secretsProjection,
	keyLimitsProjection,
	keyTokensProjection,
];

/** Every table the projections own, in the order above. */
export const PROJECTION_TABLES: readonly string[] = PROJECTIONS.flatMap((p) => p.tables);

type AnyHandler = (context: ProjectionContext, event: FleetEvent) => void;

// Looked up once per event on the hot path, so built once here.
const HANDLERS = new Map<string, AnyHandler[]>();
for (const projection of PROJECTIONS) {
	for (const [type, handler] of Object.entries(projection.handlers)) {
		const list = HANDLERS.get(type) ?? [];
		list.push(handler as AnyHandler);
		HANDLERS.set(type, list);
	}
}

/** Applies one stored event to every projection that follows its type (inside the caller's transaction). */
export function applyProjections(context: ProjectionContext, event: FleetEvent): void {
	const handlers = HANDLERS.get(event.type);
	if (handlers === undefined) return;
	for (const handler of handlers) handler(context, event);
}
