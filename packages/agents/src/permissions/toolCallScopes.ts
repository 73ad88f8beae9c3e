import type { Permission } from './types.js';

/**
 * The `<agent>/<tool>` scopes of the approved `tool:call:` permissions
 * (`<tool>` may be `*`): what a run may call through its channel to the
 * daemon. Empty: the run gets no channel.
 */
export function toolCallScopes(approved: readonly Permission[]): string[] {
	return approved.flatMap((permission) =>
		permission.domain === 'tool' ? [`${permission.agent}/${permission.tool}`] : [],
	);
}

/**
 * True when one of `scopes` (from {@link toolCallScopes}) lets its run call
 * `target` (`<agent>/<tool>`): the same target, or `<agent>/*` for any tool
 * of that agent. Everything else is refused.
 */
export function toolCallAllowed(scopes: readonly string[], target: string): boolean {
	const slash = target.indexOf('/');
	if (slash <= 0 || slash === target.length - 1 || target.endsWith('/*')) return false;
	const agentStar = `${target.slice(0, slash)}/*`;
	return scopes.some((scope) => scope === target || scope === agentStar);
}
