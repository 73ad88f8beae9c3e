// A leaf module: register.ts and auditList.ts both import it, never each other.

/** Options of `audit list`, as commander parses them. */
export interface AuditListOptions {
	readonly type?: string[];
	readonly subject?: string;
	readonly since?: string;
	readonly until?: string;
	readonly limit: string;
}
