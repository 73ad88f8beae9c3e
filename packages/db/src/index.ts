export type { AppendAuditOptions } from './audit/appendAuditRecord.js';
export { appendAuditRecord } from './audit/appendAuditRecord.js';
export type { AuditHead } from './audit/auditHead.js';
export {
	findAuditPosition,
	formatAuditHead,
	parseAuditHead,
	readAuditHead,
} from './audit/auditHead.js';
export { DenialThrottle } from './audit/denialThrottle.js';
export type { FoldedDenialsOptions } from './audit/foldedDenials.js';
export { FoldedDenials } from './audit/foldedDenials.js';
export { getAuditEvents } from './audit/getAuditEvents.js';
export { recordAuditEvent } from './audit/recordAuditEvent.js';
export type {
	AuditActorType,
	AuditEventInput,
	AuditRecord,
	AuditSeverity,
} from './audit/types.js';
export type { AuditQuery } from './audit/validateAuditQuery.js';
export { MAX_AUDIT_LIMIT } from './audit/validateAuditQuery.js';
export type {
	AuditChainFailure,
	AuditChainVerification,
	VerifyAuditChainOptions,
} from './audit/verifyAuditChain.js';
export { verifyAuditChain } from './audit/verifyAuditChain.js';
export {
	configureConnection,
	WAL_AUTOCHECKPOINT_PAGES,
} from './connection/configureConnection.js';
export { asDamagedDatabaseError } from './connection/damagedDatabase.js';
export type { OpenDbOptions } from './connection/openDb.js';
export { closeDb, createInMemoryDb, openDb } from './connection/openDb.js';
export { prepared, preparedRaw } from './connection/prepared.js';
export type { AgentSpaceDb } from './connection/types.js';
export {
	inWriteTransaction,
	withImmediateTransaction,
	withSavepoint,
} from './connection/withImmediateTransaction.js';
export type { SchemaStatus } from './migrations/applyMigrations.js';
export { readSchemaStatus } from './migrations/applyMigrations.js';
