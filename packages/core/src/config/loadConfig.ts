import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { homePaths } from '../paths.js';
import { formatIssues } from '../validation.js';
import { defaultConfig } from './defaultConfig.js';
import type { AppConfig } from './schema.js';
import { validateConfig } from './validateConfig.js';

/** Which config file to use: a home (its `config.json`) or an explicit path. */
export type ConfigLocation = { readonly home: string } | { readonly path: string };

/** The config file path for a location. */
export function configPath(location: ConfigLocation): string {
	return 'path' in location ? location.path : homePaths(location.home).configFile;
}

/** True when the config file exists. */
export function configExists(location: ConfigLocation): boolean {
	return existsSync(configPath(location));
}

/**
 * Reads and validates the config. A missing file is a fresh home and yields the
 * defaults; an unreadable, non-JSON or invalid file throws a {@link ConfigError}
 * that lists every bad field (never a silent default).
 */
export function loadConfig(location: ConfigLocation): AppConfig {
	const path = configPath(location);
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig();
		throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`, {
			hint: 'check the file permissions of the AgentSpace home',
			cause: error,
		});
	}
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`, {
			hint: `fix the file by hand, or delete it to start again from the defaults`,
			issues: [{ path: '(root)', message: 'not valid JSON' }],
			cause: error,
		});
	}
	const result = validateConfig(raw);
	if (!result.ok) {
		throw new ConfigError(`${path} is invalid:\n${formatIssues(result.errors)}`, {
			hint: 'fix these fields (the format is in specs/config.md; `agentspace config path` prints where the file is), or delete the file to reset it',
			issues: result.errors,
		});
	}
	return result.value;
}
