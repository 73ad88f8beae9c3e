export type { AppendAuditOptions } from './audit/appendAuditRecord.js';
export { appendAuditRecord } from './audit/appendAuditRecord.js';
export { canonicalJson, computeAuditHash, GENESIS_HASH } from './audit/auditHash.js';
export type { AuditHead } from './audit/auditHead.js';
export {
	findAuditPosition,
	formatAuditHead,
	parseAuditHead,
	readAuditHead,
} from './audit/auditHead.js';
export { DenialThrottle } from './audit/denialThrottle.js';
export { buildAuditQuery, getAuditEvents } from './audit/getAuditEvents.js';
export { recordAuditEvent } from './audit/recordAuditEvent.js';
export type {
	AuditActorType,
	AuditEventInput,
	AuditRecord,
	AuditSeverity,
} from './audit/types.js';
export { AuditActorTypeSchema, AuditEventInputSchema, AuditSeveritySchema } from './audit/types.js';
export type { AuditQuery, NormalizedAuditQuery } from './audit/validateAuditQuery.js';
export { MAX_AUDIT_LIMIT, validateAuditQuery } from './audit/validateAuditQuery.js';
export type {
	AuditChainFailure,
	AuditChainVerification,
	VerifyAuditChainOptions,
} from './audit/verifyAuditChain.js';
export { verifyAuditChain } from './audit/verifyAuditChain.js';
export { assertSchemaIntact } from './connection/assertSchemaIntact.js';
export {
	BUSY_TIMEOUT_MS,
	configureConnection,
	WAL_AUTOCHECKPOINT_PAGES,
} from './connection/configureConnection.js';
export { asDamagedDatabaseError, damagedDatabaseError } from './connection/damagedDatabase.js';
export type { OpenDbOptions } from './connection/openDb.js';
export { closeDb, createInMemoryDb, openDb } from './connection/openDb.js';
export type { AgentSpaceDb, AgentSpaceSchema } from './connection/types.js';
export {
	inTransaction,
	inWriteTransaction,
	withImmediateTransaction,
	withSavepoint,
} from './connection/withImmediateTransaction.js';
export type { SchemaStatus } from './migrations/applyMigrations.js';
export { applyMigrations, readSchemaStatus } from './migrations/applyMigrations.js';
export type { EmbeddedMigration } from './migrations/embeddedMigration.js';
export { EMBEDDED_MIGRATIONS } from './migrations/embeddedMigrations.generated.js';
export type { AuditLogRow, EventConsumerRow, EventRow } from './schema/index.js';
export {
	agentRuns,
	agents,
	auditLog,
	checkpoints,
	cursors,
	eventConsumers,
	events,
	locks,
	messageRecipients,
	messages,
	missions,
	pilots,
	reservations,
	sortieDependencies,
	sorties,
	threads,
	workOrders,
} from './schema/index.js';
