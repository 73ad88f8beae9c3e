import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { setPolicy } from './setPolicy.js';

/** `tools allow <agent>/<tool|*>`: the tool (or every tool of the agent) may be called; audited. */
export async function toolsAllow(ctx: CommandContext, target: string): Promise<ActionResult> {
	return setPolicy(ctx, target, 'allow');
}
