import { AgentSpaceError } from '@agentspace/core';

/** A `<agent>/<tool>` argument, split at its first `/` (agent ids have none; a tool name may). */
export interface ToolTarget {
	readonly agentId: string;
	readonly tool: string;
}

/**
 * Parses `<agent>/<tool>` (or `<agent>/*` when `star` allows it), or throws
 * `error[USAGE]` with an example; the registry checks the names themselves.
 */
export function parseToolTarget(
	value: string,
	options: { readonly star?: boolean } = {},
): ToolTarget {
	const slash = value.indexOf('/');
	if (slash <= 0 || slash === value.length - 1 || value.length > 512) {
		throw new AgentSpaceError(
			`"${printableTarget(value)}" is not a tool: expected <agent>/<tool>${options.star === true ? ' or <agent>/*' : ''}`,
			{
				code: 'USAGE',
				hint: `name it as agentspace tools list shows it, e.g. files/read_file${options.star === true ? " (or 'files/*' for every tool of the agent)" : ''}`,
			},
		);
	}
	const target = { agentId: value.slice(0, slash), tool: value.slice(slash + 1) };
	if (target.tool === '*' && options.star !== true) {
		throw new AgentSpaceError(`"${printableTarget(value)}" names every tool: name one`, {
			code: 'USAGE',
			hint: 'e.g. files/read_file (agentspace tools list shows them)',
		});
	}
	return target;
}

function printableTarget(value: string): string {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
	return value.slice(0, 80).replace(/[\u0000-\u001f\u007f]/g, '?');
}
