import {
	AgentSpaceError,
	type AgentSpaceErrorOptions,
	AuthError,
	ConfigError,
	ConflictError,
	type ErrorCode,
	type FieldIssue,
	isErrorCode,
	NotFoundError,
	PermissionDeniedError,
	ValidationError,
	VaultError,
} from './errors.js';

/**
 * An error as `AgentSpaceError.toJSON()` writes it (and `--json` prints it):
 * what crosses a process boundary, such as the daemon's socket.
 */
export interface ErrorJSON {
	readonly code: string;
	readonly message: string;
	readonly hint?: string | undefined;
	readonly issues?: readonly FieldIssue[] | undefined;
}

// errorFromJSON is fed by another process (a socket peer): what it copies is
// bounded, so a peer cannot hand the CLI a megabyte message or a million issues.

/** The longest message kept; longer ones are cut and end with `…`. */
export const MAX_ERROR_MESSAGE_CHARS = 4096;
/** The longest hint kept. */
export const MAX_ERROR_HINT_CHARS = 1024;
/** The most issues kept; past it the last one kept says how many were left out. */
export const MAX_ERROR_ISSUES = 100;
/** The longest issue path or issue message kept. */
export const MAX_ISSUE_TEXT_CHARS = 512;
// An unknown code is quoted into the message: short, it names the code; long, it is noise.
const MAX_UNKNOWN_CODE_CHARS = 64;

type ErrorClass = new (message: string, options?: AgentSpaceErrorOptions) => AgentSpaceError;

// The codes that have their own class; every other known code is a bare
// AgentSpaceError carrying it (the guards and exit codes read the code).
const CLASS_BY_CODE: Partial<Record<ErrorCode, ErrorClass>> = {
	CONFIG_INVALID: ConfigError,
	VALIDATION_FAILED: ValidationError,
	NOT_FOUND: NotFoundError,
	CONFLICT: ConflictError,
	PERMISSION_DENIED: PermissionDeniedError,
	AUTH_FAILED: AuthError,
	VAULT_ERROR: VaultError,
};

/**
 * Rebuilds the error another process serialised with `toJSON()`: the subclass
 * its code belongs to (`NOT_FOUND` → `NotFoundError`, `AUTH_FAILED` →
 * `AuthError`, …), any other known code as an `AgentSpaceError` carrying it,
 * with hint and issues kept. An unknown code (a newer peer, or garbage)
 * becomes `INTERNAL` with the code named in the message. Every field is
 * checked at run time and bounded ({@link MAX_ERROR_MESSAGE_CHARS},
 * {@link MAX_ERROR_HINT_CHARS}, {@link MAX_ERROR_ISSUES}): the input comes
 * from a peer, not from this process.
 */
export function errorFromJSON(json: ErrorJSON): AgentSpaceError {
	const raw = json as Partial<Record<keyof ErrorJSON, unknown>>;
	let message =
		typeof raw.message === 'string'
			? cut(raw.message, MAX_ERROR_MESSAGE_CHARS)
			: 'the error came without a message';
	const options: { -readonly [K in keyof AgentSpaceErrorOptions]: AgentSpaceErrorOptions[K] } = {};
	if (typeof raw.hint === 'string') options.hint = cut(raw.hint, MAX_ERROR_HINT_CHARS);
	const issues = boundedIssues(raw.issues);
	if (issues.length > 0) options.issues = issues;

	const code = raw.code;
	if (!isErrorCode(code)) {
		const named =
			typeof code === 'string'
				? JSON.stringify(cut(code, MAX_UNKNOWN_CODE_CHARS))
				: `of type ${code === null ? 'null' : typeof code}`;
		message = `${message} (unknown error code ${named})`;
		return new AgentSpaceError(message, { ...options, code: 'INTERNAL' });
	}
	const ErrorClass = CLASS_BY_CODE[code];
	return ErrorClass === undefined
		? new AgentSpaceError(message, { ...options, code })
		: new ErrorClass(message, options);
}

function boundedIssues(value: unknown): FieldIssue[] {
	if (!Array.isArray(value)) return [];
	const issues: FieldIssue[] = [];
	let overflow = 0;
	for (const item of value as unknown[]) {
		const issue = item as Partial<Record<keyof FieldIssue, unknown>> | null;
		// A malformed issue is dropped: there is nothing in it to show.
		if (
			typeof issue !== 'object' ||
			issue === null ||
			typeof issue.path !== 'string' ||
			typeof issue.message !== 'string'
		) {
			continue;
		}
		if (issues.length === MAX_ERROR_ISSUES) {
			overflow += 1;
			continue;
		}
		issues.push({
			path: cut(issue.path, MAX_ISSUE_TEXT_CHARS),
			message: cut(issue.message, MAX_ISSUE_TEXT_CHARS),
		});
	}
	if (overflow > 0) {
		// The last slot says what was left out, so the list never looks complete when it is not.
		issues[MAX_ERROR_ISSUES - 1] = {
			path: '(more)',
			message: `${overflow + 1} more issues not shown`,
		};
	}
	return issues;
}

/** `text` cut to at most `max` characters (ending in `…` when cut), never inside a surrogate pair. */
function cut(text: string, max: number): string {
	if (text.length <= max) return text;
	let end = max - 1;
	const last = text.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end -= 1;
	return `${text.slice(0, end)}…`;
}
