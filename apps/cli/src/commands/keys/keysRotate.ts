import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { changeKey, type KeysAddOptions } from './changeProviderKey.js';

/** `agentspace keys rotate <provider> [--base-url URL]`: a new key (and/or base URL). */
export async function keysRotate(
	ctx: CommandContext,
	providerText: string,
	options: KeysAddOptions,
): Promise<ActionResult> {
	return changeKey(ctx, providerText, options, 'rotate');
}
