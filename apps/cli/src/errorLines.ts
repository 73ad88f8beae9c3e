import { type FieldIssue, printableLine } from '@agentspace/core';

/** What {@link errorLines} shows of an error: `AgentSpaceError.toJSON()`'s fields. */
export interface ShownError {
	readonly code: string;
	readonly message: string;
	readonly hint?: string | undefined;
	readonly issues?: readonly FieldIssue[] | undefined;
}

/**
 * The lines the terminal shows for an error: `error[CODE]: message`, the
 * lines of the issues the message lists, and `hint: …`. A message or hint
 * may carry text someone else wrote — a daemon peer's answer (errorFromJSON
 * bounds its length, not its characters), an agent's manifest, a command
 * line — so every control character and line separator in it is escaped
 * (`printableLine`): it can neither drive the terminal nor start a line that
 * looks like AgentSpace's own. The one line structure kept is the one
 * AgentSpace builds (see {@link messageLines}).
 */
export function errorLines(error: ShownError): string[] {
	const [summary, ...details] = messageLines(error.message, error.issues ?? []);
	return [
		`error[${printableLine(error.code)}]: ${summary}`,
		...details,
		...(error.hint === undefined ? [] : [`hint: ${printableLine(error.hint)}`]),
	];
}

/**
 * A message as lines to print, each escaped. AgentSpace writes a message
 * with several problems as a summary and then one indented line per issue
 * the error carries (`formatIssues`): exactly that shape is kept as lines.
 * Any other line break — one inside an issue, a message cut short, a peer's
 * own — is escaped with the rest, and the message is one line.
 */
export function messageLines(message: string, issues: readonly FieldIssue[]): string[] {
	const [summary = '', ...details] = message.split('\n');
	const listsIssues =
		details.length > 0 &&
		details.length === issues.length &&
		details.every(
			(line, index) => /^\s/.test(line) && line.includes((issues[index] as FieldIssue).message),
		);
	return listsIssues
		? [printableLine(summary), ...details.map(printableLine)]
		: [printableLine(message)];
}

/**
 * An error's stack as lines to print (at `debug`, for a bug report): the
 * stack's own lines, with its message escaped as one line like any other
 * and every line escaped.
 */
export function stackLines(error: Error): string[] {
	const head = `${error.name}: ${error.message}`;
	const raw = error.stack ?? head;
	const stack = raw.startsWith(head)
		? `${error.name}: ${printableLine(error.message)}${raw.slice(head.length)}`
		: raw;
	return stack.split('\n').map(printableLine);
}
