import type { z } from 'zod';
import type { FieldIssue } from './errors.js';

/** What every validator returns: the value, or every problem found (never just the first). */
export type ValidationResult<T> =
	| { readonly ok: true; readonly value: T }
	| { readonly ok: false; readonly errors: readonly FieldIssue[] };

/** Renders a Zod issue path as `a.b[0].c`; the empty path is `(root)`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const segment of path) {
		if (typeof segment === 'number') out += `[${segment}]`;
		else out += out === '' ? String(segment) : `.${String(segment)}`;
	}
	return out === '' ? '(root)' : out;
}

/** Flattens a Zod error into field issues, expanding unknown keys so each one is named. */
export function issuesFromZod(error: z.ZodError): FieldIssue[] {
	const issues: FieldIssue[] = [];
	for (const issue of error.issues) {
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys) {
				issues.push({ path: formatIssuePath([...issue.path, key]), message: 'unknown field' });
			}
			continue;
		}
		issues.push({ path: formatIssuePath(issue.path), message: issue.message });
	}
	return issues;
}

/** Runs a Zod schema and returns a {@link ValidationResult} instead of throwing. */
export function validateWith<S extends z.ZodType>(
	schema: S,
	input: unknown,
): ValidationResult<z.output<S>> {
	const parsed = schema.safeParse(input);
	if (parsed.success) return { ok: true, value: parsed.data };
	return { ok: false, errors: issuesFromZod(parsed.error) };
}

/** One line per issue, `path: message`, for error messages. */
export function formatIssues(issues: readonly FieldIssue[]): string {
	return issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n');
}
