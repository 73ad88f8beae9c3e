import { ValidationError } from '@agentspace/core';

/** The longest `<agent>/<tool>` accepted. */
const MAX_TARGET_LENGTH = 512;

/**
 * Splits `"<agent>/<tool>"` at its first `/` (agent ids have none; a tool
 * name may). Throws a ValidationError with a hint for anything else.
 */
export function parseToolTarget(target: unknown): { agentId: string; tool: string } {
	const slash = typeof target === 'string' ? target.indexOf('/') : -1;
	if (
		typeof target !== 'string' ||
		target.length > MAX_TARGET_LENGTH ||
		slash <= 0 ||
		slash === target.length - 1
	) {
		throw new ValidationError(
			`invalid tool ${JSON.stringify(String(target).slice(0, 80))}: expected <agent>/<tool>`,
			{
				hint: 'name the tool as <agent>/<tool>, e.g. files/read_file (agentspace tools list shows them)',
				issues: [{ path: 'tool', message: 'must be <agent>/<tool>' }],
			},
		);
	}
	return { agentId: target.slice(0, slash), tool: target.slice(slash + 1) };
}
