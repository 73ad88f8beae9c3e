import { z } from 'zod';

/** How much AgentSpace may do without asking: everything, or only what was approved. */
export const SecurityModeSchema = z.enum(['full-control', 'limited-control']);

/** Where the local API listens. Loopback only, by design: the host cannot be changed. */
export const ApiEndpointSchema = z.strictObject({
	host: z.literal('127.0.0.1').default('127.0.0.1'),
	port: z.number().int().min(1).max(65535).default(3271),
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
	onboardingComplete: z.boolean().default(false),
	createdAt: z.iso.datetime({ message: 'must be an ISO 8601 UTC timestamp' }),
});

/** A security mode value. */
export type SecurityMode = z.infer<typeof SecurityModeSchema>;
/** The local API endpoint. */
export type ApiEndpointConfig = z.infer<typeof ApiEndpointSchema>;
/** A validated `config.json`. */
export type AppConfig = z.infer<typeof AppConfigSchema>;
