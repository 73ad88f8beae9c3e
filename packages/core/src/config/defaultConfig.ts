import { nowIso } from '../time.js';
import type { AppConfig } from './schema.js';
import { AppConfigSchema } from './schema.js';

/** A fresh config with every default and `createdAt` set to now. */
export function defaultConfig(): AppConfig {
	return AppConfigSchema.parse({ createdAt: nowIso() });
}
