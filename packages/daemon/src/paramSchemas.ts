import { z } from 'zod';

// Param schemas more than one service's methods share.

/** An agent id as a request may name it. */
export const AgentIdSchema = z.string().min(1).max(128);

/** A grace period between SIGTERM and SIGKILL: 0 to an hour, in ms. */
export const GraceMsSchema = z.int().min(0).max(3_600_000);
