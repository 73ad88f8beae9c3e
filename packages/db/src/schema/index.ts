export type { AuditLogRow } from './auditLog.js';
export { auditLog } from './auditLog.js';
