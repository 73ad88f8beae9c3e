import { configExists, homePaths, loadConfig } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import {
	assertConfigKey,
	CONFIG_KEYS,
	type ConfigValue,
	formatConfigValue,
	getConfigValue,
} from './configKeys.js';

/**
 * `config get [key]`: the whole config, or one value. On a fresh home there is
 * no file yet: the defaults are shown, and `createdAt` as null rather than a
 * time that would change on every call.
 */
export async function configGet(
	ctx: CommandContext,
	key: string | undefined,
): Promise<ActionResult> {
	const location = { path: homePaths(ctx.home).configFile };
	const written = configExists(location);
	const config = loadConfig(location);
	const shownValue = (k: (typeof CONFIG_KEYS)[number]): ConfigValue =>
		k === 'createdAt' && !written ? null : getConfigValue(config, k);
	if (!written) ctx.output.note(`note: ${location.path} does not exist yet; showing the defaults`);
	if (key === undefined) {
		ctx.output.data(written ? config : { ...config, createdAt: null });
		ctx.output.table(
			CONFIG_KEYS.map((k) => ({ key: k, value: shownValue(k) })),
			[
				{ header: 'KEY', value: (row) => row.key },
				{
					header: 'VALUE',
					value: (row) => (row.value === null ? '-' : formatConfigValue(row.value)),
				},
			],
		);
		return;
	}
	const value = shownValue(assertConfigKey(key));
	ctx.output.data({ key, value });
	ctx.output.line(value === null ? '-' : formatConfigValue(value));
}
