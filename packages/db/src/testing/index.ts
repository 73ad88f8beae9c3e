// @agentspace/db/testing: helpers for tests of code built on the database,
// kept out of the main entry because no program needs them — a test asserts
// the schema version a fresh database reaches, or forges an audit row whose
// hash checks out so that verification has to catch something else.
export { computeAuditHash } from '../audit/auditHash.js';
export type { EmbeddedMigration } from '../migrations/embeddedMigration.js';
export { EMBEDDED_MIGRATIONS } from '../migrations/embeddedMigrations.generated.js';
