import type { ActionResult } from '../../action.js';
import type { CommandContext } from '../../context.js';
import { setPolicy } from './setPolicy.js';

/** `tools deny <agent>/<tool|*>`: the tool (or every tool of the agent) is refused; audited. */
export async function toolsDeny(ctx: CommandContext, target: string): Promise<ActionResult> {
	return setPolicy(ctx, target, 'deny');
}
