import type { ActionResult } from '../../action.js';
import {
	type MintBearerTokenCommandOptions,
	mintBearerTokenCommand,
} from '../../bearerTokenCommands.js';
import type { CommandContext } from '../../context.js';
import { KEY_TOKEN_COMMANDS } from './keyTokenCommandKind.js';

/** Options of `keys token`. */
export type KeysTokenOptions = MintBearerTokenCommandOptions;

/**
 * `agentspace keys token [--expires 24h] [--name NAME]`: mints a token for
 * the LLM endpoint, printed once (only its sha256 is kept; audited).
 */
export function keysToken(ctx: CommandContext, options: KeysTokenOptions): Promise<ActionResult> {
	return mintBearerTokenCommand(ctx, KEY_TOKEN_COMMANDS, options);
}
