/**
 * One base error with a stable `code` and a `hint` (what to do next), tiny
 * subclasses and type guards. Only the CLI entry turns these into messages and
 * exit codes; libraries throw them.
 */

/** A single problem with one field of an input, named by its path (`apiEndpoint.port`, `scanRoots[0]`). */
export interface FieldIssue {
	readonly path: string;
	readonly message: string;
}

/**
 * Every stable error code, at run time (exit-code tables, `errorFromJSON`,
 * tests iterate it). Scripts match on these, so never rename one.
 */
export const ERROR_CODES = [
	'INTERNAL',
	'USAGE',
	'CONFIG_INVALID',
	'VALIDATION_FAILED',
	'NOT_FOUND',
	'CONFLICT',
	'CONCURRENCY_CONFLICT',
	'PERMISSION_DENIED',
	'AUTH_FAILED',
	'VAULT_ERROR',
	'DB_SCHEMA_TOO_NEW',
	'DB_OPEN_FAILED',
	'AUDIT_CHAIN_BROKEN',
	/** The audit log no longer holds a head someone kept (`audit verify --expect`): history was rewritten. */
	'AUDIT_HEAD_MISMATCH',
	/** The database is missing tables or is otherwise damaged: a finding, not a bug. */
	'DB_DAMAGED',
	/** The manifest changed after its permissions were approved: re-enable before running. */
	'PERMISSION_DRIFT',
	/** An external command AgentSpace ran for the user (git, a build step) failed. */
	'COMMAND_FAILED',
	/** The user interrupted a long operation (Ctrl-C); it was stopped and cleaned up. */
	'INTERRUPTED',
] as const;

/** Stable error codes: scripts match on these, so never rename one (see {@link ERROR_CODES}). */
export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** True when `value` is one of the {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
	return typeof value === 'string' && KNOWN_CODES.has(value);
}

/** Options every AgentSpace error accepts. */
export interface AgentSpaceErrorOptions {
	/** Overrides the subclass's default code. */
	readonly code?: ErrorCode;
	/** What the user should do next. */
	readonly hint?: string;
	/** Every field problem, for validation-style failures. */
	readonly issues?: readonly FieldIssue[];
	readonly cause?: unknown;
}

// A brand instead of `instanceof`: bundles and duplicated installs can hold
// two copies of this class, and an error from one copy must still be
// recognised by the other (the CLI bundles each command separately).
const BRAND = Symbol.for('agentspace.error');

/** Base class of every error AgentSpace throws on purpose. */
export class AgentSpaceError extends Error {
	// Each subclass sets its name explicitly rather than from `new.target.name`:
	// bundlers may rename classes, and the name shows in stack traces. The
	// `is…` guards compare codes, not names: a bare AgentSpaceError with code
	// CONFLICT is a conflict, and so is one rebuilt from the daemon's answer.
	override readonly name: string = 'AgentSpaceError';
	readonly [BRAND] = true;
	readonly code: ErrorCode;
	readonly hint: string | undefined;
	readonly issues: readonly FieldIssue[];

	constructor(message: string, options: AgentSpaceErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.code = options.code ?? 'INTERNAL';
		this.hint = options.hint;
		this.issues = options.issues ?? [];
	}

	/** A plain object for `--json` output and structured logs. */
	toJSON(): { code: ErrorCode; message: string; hint?: string; issues?: readonly FieldIssue[] } {
		return {
			code: this.code,
			message: this.message,
			...(this.hint === undefined ? {} : { hint: this.hint }),
			...(this.issues.length === 0 ? {} : { issues: this.issues }),
		};
	}
}

/** The config file is unreadable or invalid. */
export class ConfigError extends AgentSpaceError {
	override readonly name = 'ConfigError';

	constructor(message: string, options: AgentSpaceErrorOptions = {}) {
		super(message, { code: 'CONFIG_INVALID', ...options });
	}
}

/** An input (argument, file, payload) failed validation; `issues` lists every problem. */
export class ValidationError extends AgentSpaceError {
	override readonly name = 'ValidationError';

	constructor(message: string, options: AgentSpaceErrorOptions = {}) {
		super(message, { code: 'VALIDATION_FAILED', ...options });
	}
}

/** The named thing does not exist. */
export class NotFoundError extends AgentSpaceError {
	override readonly name = 'NotFoundError';

	constructor(message: string, options: AgentSpaceErrorOptions = {}) {
		super(message, { code: 'NOT_FOUND', ...options });
	}
}

/** The operation conflicts with current state (already exists, already running, newer schema…). */
export class ConflictError extends AgentSpaceError {
	override readonly name = 'ConflictError';

	constructor(message: string, options: AgentSpaceErrorOptions = {}) {
		super(message, { code: 'CONFLICT', ...options });
	}
}

/** The caller is authenticated but not allowed to do this. */
export class PermissionDeniedError extends AgentSpaceError {
	override readonly name = 'PermissionDeniedError';

	constructor(message: string, options: AgentSpaceErrorOptions = {}) {
		super(message, { code: 'PERMISSION_DENIED', ...options });
	}
}

/** Authentication failed (missing or wrong token). */
export class AuthError extends AgentSpaceError {
	override readonly name = 'AuthError';

	constructor(message: string, options: AgentSpaceErrorOptions = {}) {
		super(message, { code: 'AUTH_FAILED', ...options });
	}
}

/** The secret store (OS keychain or its file fallback) failed. */
export class VaultError extends AgentSpaceError {
	override readonly name = 'VaultError';

	constructor(message: string, options: AgentSpaceErrorOptions = {}) {
		super(message, { code: 'VAULT_ERROR', ...options });
	}
}

/** True for any error AgentSpace threw on purpose (from any copy of this package). */
export function isAgentSpaceError(error: unknown): error is AgentSpaceError {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as Record<symbol, unknown>)[BRAND] === true
	);
}

/**
 * True for an AgentSpace error carrying `code`, whatever its class: the code,
 * not the class, says what went wrong (as emmett's `isInstanceOf(error, code)`).
 * A subclass given a more specific code (a `ConflictError` with
 * `DB_SCHEMA_TOO_NEW`) is recognised by that code.
 */
function isCoded<T extends AgentSpaceError>(error: unknown, code: ErrorCode): error is T {
	return isAgentSpaceError(error) && error.code === code;
}

/** True for an error with code `CONFIG_INVALID` (a {@link ConfigError}, or any AgentSpace error carrying it). */
export function isConfigError(error: unknown): error is ConfigError {
	return isCoded(error, 'CONFIG_INVALID');
}

/** True for an error with code `VALIDATION_FAILED` (a {@link ValidationError}, or any AgentSpace error carrying it). */
export function isValidationError(error: unknown): error is ValidationError {
	return isCoded(error, 'VALIDATION_FAILED');
}

/** True for an error with code `NOT_FOUND` (a {@link NotFoundError}, or any AgentSpace error carrying it). */
export function isNotFoundError(error: unknown): error is NotFoundError {
	return isCoded(error, 'NOT_FOUND');
}

/** True for an error with code `CONFLICT` (a {@link ConflictError}, or any AgentSpace error carrying it). */
export function isConflictError(error: unknown): error is ConflictError {
	return isCoded(error, 'CONFLICT');
}

/** True for an error with code `PERMISSION_DENIED` (a {@link PermissionDeniedError}, or any AgentSpace error carrying it). */
export function isPermissionDeniedError(error: unknown): error is PermissionDeniedError {
	return isCoded(error, 'PERMISSION_DENIED');
}

/** True for an error with code `AUTH_FAILED` (an {@link AuthError}, or any AgentSpace error carrying it). */
export function isAuthError(error: unknown): error is AuthError {
	return isCoded(error, 'AUTH_FAILED');
}

/** True for an error with code `VAULT_ERROR` (a {@link VaultError}, or any AgentSpace error carrying it). */
export function isVaultError(error: unknown): error is VaultError {
	return isCoded(error, 'VAULT_ERROR');
}

/** True when `error` is an AgentSpace error carrying `code`. */
export function hasErrorCode(error: unknown, code: ErrorCode): error is AgentSpaceError {
	return isCoded(error, code);
}
