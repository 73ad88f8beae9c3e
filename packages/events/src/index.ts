export type {
	BearerTokenCheck,
	BearerTokenInfo,
	BearerTokenKind,
	BearerTokenRefusal,
	MintBearerTokenOptions,
	MintedBearerToken,
	RevokeBearerTokenOptions,
} from './bearerTokens/index.js';
export {
	appendBearerTokenChange,
	bearerTokenIdOf,
	bearerTokenUsable,
	DEFAULT_BEARER_TOKEN_LIFETIME_MS,
	generateBearerToken,
	isBearerTokenId,
	listBearerTokens,
	MAX_BEARER_TOKEN_LIFETIME_MS,
	mintBearerToken,
	parseBearerTokenLifetime,
	revokeBearerToken,
	verifyBearerToken,
} from './bearerTokens/index.js';
export type {
	AgentSpaceEvent,
	EventOfType,
	EventPayload,
	EventPayloadInput,
	EventType,
	FleetEvent,
	PendingEvent,
} from './catalogue/catalogue.js';
export {
	AgentSpaceEventSchema,
	eventDefinition,
	FleetEventSchema,
} from './catalogue/catalogue.js';
export type { EventDefinition } from './catalogue/defineEvent.js';
export type { Actor, EventMetadata } from './catalogue/envelope.js';
export { ActorSchema } from './catalogue/envelope.js';
export { ENVELOPE_FIELDS, EVENT_TYPES, isKnownEventType } from './catalogue/eventTypes.js';
export { PermissionString, permissionStringProblem } from './catalogue/permissionString.js';
export type { ConsumerOptions, ConsumerRunResult } from './consumers/runConsumer.js';
export { getConsumerPosition, resetConsumer, runConsumer } from './consumers/runConsumer.js';
export type { CreateEventEnvelope } from './createEvent.js';
export { createEvent } from './createEvent.js';
export { isEventType } from './isEventType.js';
export type { ApprovalColumns, ApprovalState } from './projections/approvalState.js';
export { approvalState } from './projections/approvalState.js';
export type { OverlapBudget } from './queries/globsOverlap.js';
export { globsOverlap } from './queries/globsOverlap.js';
export type { ReadySortie } from './queries/readyWork.js';
export { findReadyWork } from './queries/readyWork.js';
export type {
	ConflictQuery,
	ReservationConflict,
	ReserveFilesInput,
	ReserveFilesResult,
} from './queries/reservations.js';
export { findReservationConflicts, reserveFiles } from './queries/reservations.js';
export type { TableDigest } from './replay/projectionDigest.js';
export { projectionDigest } from './replay/projectionDigest.js';
export type { RebuildOptions, RebuildResult } from './replay/rebuildProjections.js';
export { rebuildProjections, replayEvents } from './replay/rebuildProjections.js';
export type { AuditedEvent } from './store/appendAuditedEvent.js';
export { appendAuditedEvent } from './store/appendAuditedEvent.js';
export type { AppendOptions } from './store/appendToStream.js';
export { appendToStream } from './store/appendToStream.js';
export { EventStore } from './store/EventStore.js';
export type { EventFilters, EventQuery, NormalizedEventQuery } from './store/eventQuery.js';
export { MAX_QUERY_LIMIT, validateEventQuery } from './store/eventQuery.js';
export type { ExpectedVersion } from './store/expectedVersion.js';
export { ConcurrencyError, isConcurrencyError } from './store/expectedVersion.js';
export { countEvents, getLatestSequence, queryEvents } from './store/queryEvents.js';
export type { ReadStreamOptions } from './store/readStream.js';
export {
	safeValidateEvent,
	safeValidatePendingEvent,
	validateEvent,
} from './validateEvent.js';
