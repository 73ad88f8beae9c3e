import { z } from 'zod';

/** How much an audit entry matters; `security` marks denials and deliberate weakening of protection. */
export const AuditSeveritySchema = z.enum(['info', 'warning', 'security', 'critical']);
/** An audit severity. */
export type AuditSeverity = z.infer<typeof AuditSeveritySchema>;

/** Who acted: a person at the CLI or UI, AgentSpace itself, an agent, or an MCP client (`agentspace mcp`). */
export const AuditActorTypeSchema = z.enum(['human', 'system', 'agent', 'mcp-client']);
/** An audit actor type. */
export type AuditActorType = z.infer<typeof AuditActorTypeSchema>;

const optionalText = z.string().min(1).max(512).optional();

/** What a caller supplies to record one audit entry. */
export const AuditEventInputSchema = z.strictObject({
	/** Dotted or snake_case name, e.g. `mode_changed`, `security.denied`. */
	eventType: z
		.string()
		.regex(
			/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/,
			'must be lowercase words joined by "_" or "."',
		)
		.max(128),
	actor: z
		.strictObject({ type: AuditActorTypeSchema, id: optionalText })
		.default({ type: 'system' }),
	subject: z.strictObject({ type: z.string().min(1).max(64), id: optionalText }).optional(),
	correlationId: optionalText,
	causationId: optionalText,
	severity: AuditSeveritySchema.default('info'),
	sourceApp: optionalText,
	sourceIp: optionalText,
	/** Plain JSON only: dates, bigints, functions and the like are refused, not mangled. */
	metadata: z.record(z.string(), z.json()).default({}),
	/** When it happened; defaults to now. */
	timestamp: z.iso.datetime({ offset: true }).optional(),
});

/** Input to {@link recordAuditEvent}; `actor`, `severity` and `metadata` have defaults. */
export type AuditEventInput = z.input<typeof AuditEventInputSchema>;

/** One stored audit entry, metadata already redacted and parsed. */
export interface AuditRecord {
	readonly id: number;
	readonly timestamp: string;
	readonly eventType: string;
	readonly actor: { readonly type: string; readonly id: string | null };
	readonly subject: { readonly type: string; readonly id: string | null } | null;
	readonly correlationId: string | null;
	readonly causationId: string | null;
	readonly severity: string;
	readonly sourceApp: string | null;
	readonly sourceIp: string | null;
	readonly metadata: Readonly<Record<string, unknown>>;
	readonly prevHash: string;
	readonly hash: string;
}
