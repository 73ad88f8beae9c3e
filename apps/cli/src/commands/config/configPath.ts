import { existsSync } from 'node:fs';
import { homePaths } from '@agentspace/core';
import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';

/** `config path`: where config.json is (whether or not it exists yet). */
export async function configPathCommand(ctx: CommandContext): Promise<ActionResult> {
	const path = homePaths(ctx.home).configFile;
	ctx.output.data({ path, exists: existsSync(path) });
	ctx.output.line(path);
}
