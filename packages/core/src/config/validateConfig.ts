import { type ValidationResult, validateWith } from '../validation.js';
import { type AppConfig, AppConfigSchema } from './schema.js';

/** Validates a parsed `config.json`, returning every problem with its field path. */
export function validateConfig(input: unknown): ValidationResult<AppConfig> {
	return validateWith(AppConfigSchema, input);
}
