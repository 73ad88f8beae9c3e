import { AgentSpaceError } from '@agentspace/core';

/**
 * A duration option in seconds (`--timeout 10`, `--grace 0.5`): a number from
 * 0 to 3600, `fallback` when the option is absent. Anything else is `USAGE`,
 * naming the option.
 */
export function parseSeconds(option: string, value: string | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	const seconds = value.trim() === '' ? Number.NaN : Number(value);
	if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
		throw new AgentSpaceError(
			`${option} must be a number of seconds from 0 to 3600, not "${value}"`,
			{
				code: 'USAGE',
				hint: `e.g. ${option} 10`,
			},
		);
	}
	return seconds;
}
