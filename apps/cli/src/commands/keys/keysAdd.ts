import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { changeKey, type KeysAddOptions } from './changeProviderKey.js';

/**
 * `agentspace keys add <provider> [--base-url URL]`: the key from a prompt
 * (echo off) or stdin, into the vault; the database keeps its fingerprint.
 */
export async function keysAdd(
	ctx: CommandContext,
	providerText: string,
	options: KeysAddOptions,
): Promise<ActionResult> {
	return changeKey(ctx, providerText, options, 'add');
}
