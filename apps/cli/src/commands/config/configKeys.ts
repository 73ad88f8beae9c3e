import type { AppConfig } from '@agentspace/core';
import { ValidationError } from '@agentspace/core';

/** Every key `config get` and `config set` understand, as dotted paths. */
export const CONFIG_KEYS = [
	'securityMode',
	'apiEndpoint.host',
	'apiEndpoint.port',
	'scanRoots',
	'tools.callTimeoutMs',
	'tools.callLogRetentionDays',
	'tools.pingIntervalMs',
	'onboardingComplete',
	'createdAt',
] as const;

/** A config key. */
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Keys that `config set` refuses: AgentSpace maintains them. */
export const READ_ONLY_KEYS: readonly ConfigKey[] = ['createdAt'];

/** Checks `key` names a config key, or throws with the list of valid ones. */
export function assertConfigKey(key: string): ConfigKey {
	if ((CONFIG_KEYS as readonly string[]).includes(key)) return key as ConfigKey;
	throw new ValidationError(`unknown config key "${key}"`, {
		hint: `valid keys: ${CONFIG_KEYS.join(', ')}`,
		issues: [{ path: key, message: 'unknown config key' }],
	});
}

/** A value in config.json: plain JSON, as every field of the schema is. */
export type ConfigValue =
	| string
	| number
	| boolean
	| null
	| ConfigValue[]
	| { [key: string]: ConfigValue };

/** The value at a dotted key. */
export function getConfigValue(config: AppConfig, key: ConfigKey): ConfigValue {
	let value: unknown = config;
	for (const part of key.split('.')) value = (value as Record<string, unknown>)[part];
	return value as ConfigValue;
}

/** A copy of `config` with `key` set to `value` (validation is the caller's job). */
export function setConfigValue(config: AppConfig, key: ConfigKey, value: unknown): unknown {
	const copy = structuredClone(config) as Record<string, unknown>;
	const parts = key.split('.');
	let target = copy;
	for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
	target[parts.at(-1) as string] = value;
	return copy;
}

/**
 * Turns the command-line text into a value of the key's current type: numbers
 * and booleans are parsed, lists accept JSON (`["a","b"]`) or commas (`a,b`).
 * Text that does not parse is passed on unchanged so validation names the
 * field and what it expected.
 */
export function parseConfigValue(current: unknown, raw: string): unknown {
	if (typeof current === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
	if (typeof current === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
	if (Array.isArray(current)) {
		if (raw.trimStart().startsWith('[')) {
			try {
				return JSON.parse(raw) as unknown;
			} catch {
				throw new ValidationError(`"${raw}" is not a JSON list`, {
					hint: 'write a JSON list such as \'["~/Projects","~/agents"]\' or comma-separated items',
				});
			}
		}
		return raw
			.split(',')
			.map((item) => item.trim())
			.filter((item) => item !== '');
	}
	return raw;
}

/** A value as one line of text for people. */
export function formatConfigValue(value: unknown): string {
	return typeof value === 'string' ? value : JSON.stringify(value);
}
