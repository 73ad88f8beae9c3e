// The rule for a permission string, on its own: no zod, no catalogue, no
// imports at all. The sandbox host bundles the manifest's permission parser,
// and every sandboxed start loads that bundle; importing the rule from the
// package's root put zod and the whole event catalogue into it (1.17 → 1.94
// MB). So this file is the package's `./permission-string` entry, and the
// catalogue's zod schema (permissionString.ts) builds on it.

/** The longest permission string accepted anywhere, in characters. */
export const MAX_PERMISSION_LENGTH = 4200;

// Control characters (C0, DEL, C1), line and paragraph separators, and the
// invisible direction marks: a permission is shown to a person for approval,
// and none of these may make what is shown differ from what is granted.
const UNPRINTABLE =
	// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
	/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The form `domain:action[:scope]` (the scope may hold anything {@link permissionTextProblem} allows). */
// The action may hold a hyphen: `llm:openai-compatible:<name>` is written
// with the provider where other domains have their action.
export const PERMISSION_SHAPE = /^[a-z]+:[a-z_][a-z_-]*(?::.+)?$/s;

/** What {@link permissionStringProblem} says of text not of the form `domain:action[:scope]`. */
export const PERMISSION_SHAPE_PROBLEM = 'must be "domain:action[:scope]"';

/**
 * Why `text` cannot be a permission's text, or undefined: 1-4200 characters,
 * no control characters or direction marks. Checked before anything quotes
 * the text back to a person.
 */
export function permissionTextProblem(text: unknown): string | undefined {
	if (typeof text !== 'string') return 'must be a string';
	if (text.length === 0 || text.length > MAX_PERMISSION_LENGTH)
		return `must be 1-${MAX_PERMISSION_LENGTH} characters`;
	if (UNPRINTABLE.test(text))
		return 'must not contain control characters (newlines, tabs, escapes) or invisible direction marks';
	return undefined;
}

/**
 * Why `text` is not a permission string, or undefined when it is one: the
 * syntax every layer agrees on — {@link permissionTextProblem}, then the form
 * `domain:action[:scope]`. The manifest parser (`parsePermission` in
 * @agentspace/agents) checks this as well as the vocabulary; the events check
 * this, so whatever the parser accepts, the events accept too.
 */
export function permissionStringProblem(text: unknown): string | undefined {
	const problem = permissionTextProblem(text);
	if (problem !== undefined) return problem;
	return PERMISSION_SHAPE.test(text as string) ? undefined : PERMISSION_SHAPE_PROBLEM;
}
