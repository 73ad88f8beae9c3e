import { AgentSpaceError } from '@agentspace/core';

/** `tools call`'s argument options. */
export interface ToolArgOptions {
	readonly args?: string;
	readonly arg?: readonly string[];
}

/**
 * The call's arguments: `--args '<json object>'`, or `--arg key=value`
 * repeated (a value that parses as JSON — a number, true, null, a quoted
 * string, an array or object — is that JSON, anything else a string), or
 * `{}` when neither is given. Both at once, bad JSON, a non-object, a
 * malformed or repeated key are `error[USAGE]` with an example.
 */
export function parseToolArgs(options: ToolArgOptions): Record<string, unknown> {
	const pairs = options.arg ?? [];
	if (options.args !== undefined && pairs.length > 0) {
		throw new AgentSpaceError('give the arguments with --args or with --arg, not both', {
			code: 'USAGE',
			hint: `e.g. --args '{"a": 2, "b": 3}' or --arg a=2 --arg b=3`,
		});
	}
	if (options.args !== undefined) return parseArgsJson(options.args);
	const args: Record<string, unknown> = {};
	for (const pair of pairs) {
		const equals = pair.indexOf('=');
		if (equals <= 0) {
			throw new AgentSpaceError(`--arg "${pair.slice(0, 80)}" is not key=value`, {
				code: 'USAGE',
				hint: 'e.g. --arg path=notes.txt --arg limit=10',
			});
		}
		const key = pair.slice(0, equals);
		if (Object.hasOwn(args, key)) {
			throw new AgentSpaceError(`--arg ${key.slice(0, 80)} is given twice`, {
				code: 'USAGE',
				hint: `give each key once; for a list use JSON: --arg ${key.slice(0, 40)}='[1, 2]'`,
			});
		}
		const text = pair.slice(equals + 1);
		let value: unknown = text;
		try {
			value = JSON.parse(text);
		} catch {
			// Not JSON: the text itself (so --arg path=notes.txt needs no quotes).
		}
		args[key] = value;
	}
	return args;
}

function parseArgsJson(text: string): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new AgentSpaceError(`--args is not valid JSON: ${(error as Error).message}`, {
			code: 'USAGE',
			hint: `quote the object for the shell: --args '{"path": "notes.txt"}'`,
		});
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new AgentSpaceError('--args must be a JSON object of named arguments', {
			code: 'USAGE',
			hint: `e.g. --args '{"a": 2, "b": 3}'`,
		});
	}
	return value as Record<string, unknown>;
}
