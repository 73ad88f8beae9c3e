import { z } from 'zod';

/** How much AgentSpace may do without asking: everything, or only what was approved. */
export const SecurityModeSchema = z.enum(['full-control', 'limited-control']);

/** Where the local API listens. Loopback only, by design: the host cannot be changed. */
export const ApiEndpointSchema = z.strictObject({
	host: z.literal('127.0.0.1').default('127.0.0.1'),
	port: z.number().int().min(1).max(65535).default(3271),
});

/** A tool call's timeout when its caller names none, ms (the tool router's default). */
export const DEFAULT_TOOL_CALL_TIMEOUT_MS = 60_000;
/** How many days the tool call log keeps a call by default. */
export const DEFAULT_TOOL_CALL_LOG_RETENTION_DAYS = 30;
/** Time between the daemon's health pings of each MCP agent by default, ms. */
export const DEFAULT_TOOL_PING_INTERVAL_MS = 15_000;

/**
 * The daemon's tool router (specs/tools.md): the default timeout of a call
 * (1 s to 1 h), how long the call log keeps calls (1 day to 10 years) and
 * how often the daemon pings each MCP agent (1 s to 10 min; three missed
 * pings in a row make the agent unhealthy).
 */
export const ToolsConfigSchema = z.strictObject({
	callTimeoutMs: z
		.number()
		.int('must be a whole number of milliseconds')
		.min(1000, 'must be at least 1000 (1 s)')
		.max(3_600_000, 'must be at most 3600000 (1 h)')
		.default(DEFAULT_TOOL_CALL_TIMEOUT_MS),
	callLogRetentionDays: z
		.number()
		.int('must be a whole number of days')
		.min(1, 'must be at least 1')
		.max(3650, 'must be at most 3650 (10 years)')
		.default(DEFAULT_TOOL_CALL_LOG_RETENTION_DAYS),
	pingIntervalMs: z
		.number()
		.int('must be a whole number of milliseconds')
		.min(1000, 'must be at least 1000 (1 s)')
		.max(600_000, 'must be at most 600000 (10 min)')
		.default(DEFAULT_TOOL_PING_INTERVAL_MS),
});

/** Directories scanned for agent manifests when none are configured. */
export const DEFAULT_SCAN_ROOTS: readonly string[] = ['~/Projects'];

/**
 * `config.json`. Missing optional fields take their defaults; wrong values and
 * unknown fields are errors (a typo must not silently become a default).
 */
export const AppConfigSchema = z.strictObject({
	securityMode: SecurityModeSchema.default('limited-control'),
	apiEndpoint: ApiEndpointSchema.default({ host: '127.0.0.1', port: 3271 }),
	scanRoots: z.array(z.string().min(1, 'must not be empty')).default([...DEFAULT_SCAN_ROOTS]),
	tools: ToolsConfigSchema.default({
		callTimeoutMs: DEFAULT_TOOL_CALL_TIMEOUT_MS,
		callLogRetentionDays: DEFAULT_TOOL_CALL_LOG_RETENTION_DAYS,
		pingIntervalMs: DEFAULT_TOOL_PING_INTERVAL_MS,
	}),
	onboardingComplete: z.boolean().default(false),
	createdAt: z.iso.datetime({ message: 'must be an ISO 8601 UTC timestamp' }),
});

/** A security mode value. */
export type SecurityMode = z.infer<typeof SecurityModeSchema>;
/** The local API endpoint. */
export type ApiEndpointConfig = z.infer<typeof ApiEndpointSchema>;
/** The tool router's settings. */
export type ToolsConfig = z.infer<typeof ToolsConfigSchema>;
/** A validated `config.json`. */
export type AppConfig = z.infer<typeof AppConfigSchema>;
