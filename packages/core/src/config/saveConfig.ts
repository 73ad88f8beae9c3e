import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ValidationError } from '../errors.js';
import { writeFileAtomic } from '../fs/writeFileAtomic.js';
import { formatIssues } from '../validation.js';
import { type ConfigLocation, configPath } from './loadConfig.js';
import type { AppConfig } from './schema.js';
import { validateConfig } from './validateConfig.js';

/**
 * Validates and writes the config atomically (temp file + rename) with mode 0600.
 * An invalid config throws a {@link ValidationError} and leaves the file untouched.
 */
export function saveConfig(location: ConfigLocation, config: AppConfig): AppConfig {
	const result = validateConfig(config);
	if (!result.ok) {
		throw new ValidationError(
			`refusing to save an invalid config:\n${formatIssues(result.errors)}`,
			{
				hint: 'correct the listed fields and try again',
				issues: result.errors,
			},
		);
	}
	const path = configPath(location);
	mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
	writeFileAtomic(path, `${JSON.stringify(result.value, null, 2)}\n`, { mode: 0o600 });
	return result.value;
}
