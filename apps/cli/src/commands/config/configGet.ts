import { homePaths, loadConfig } from '@agentspace/core';
import type { CommandContext } from '../../context.js';
import type { ActionResult } from '../../program.js';
import { assertConfigKey, CONFIG_KEYS, formatConfigValue, getConfigValue } from './configKeys.js';

/** `config get [key]`: the whole config, or one value. */
export async function configGet(
	ctx: CommandContext,
	key: string | undefined,
): Promise<ActionResult> {
	const config = loadConfig({ path: homePaths(ctx.home).configFile });
	if (key === undefined) {
		ctx.output.data(config);
		ctx.output.table(
			CONFIG_KEYS.map((k) => ({ key: k, value: formatConfigValue(getConfigValue(config, k)) })),
			[
				{ header: 'KEY', value: (row) => row.key },
				{ header: 'VALUE', value: (row) => row.value },
			],
		);
		return;
	}
	const value = getConfigValue(config, assertConfigKey(key));
	ctx.output.data({ key, value });
	ctx.output.line(formatConfigValue(value));
}
