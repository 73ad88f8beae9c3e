import { type ErrorCode, isErrorCode } from '@agentspace/core';

/**
 * Exit codes, documented in specs/cli.md. Scripts rely on them: never renumber.
 */
export const ExitCode = {
	Ok: 0,
	/** Unexpected failure (a bug): the message says where to report it. */
	Internal: 1,
	/** Bad command line: unknown command or option, missing or malformed argument. */
	Usage: 2,
	NotFound: 3,
	/** Conflicts with current state, including a database written by a newer AgentSpace. */
	Conflict: 4,
	/** Refused: not allowed, or authentication failed. */
	Denied: 5,
	/** config.json is unreadable or invalid. */
	Config: 6,
	/** An input value is invalid. */
	Validation: 7,
	/** The audit log failed verification (tampering or corruption). */
	Integrity: 8,
	/** The secret store (keychain or its fallback file) failed. */
	Vault: 9,
	/** The database could not be opened. */
	Database: 10,
	/** `doctor` found a problem that stops AgentSpace from working. */
	DoctorFailed: 11,
	/** An external command run for you failed: a git clone, a build step. */
	CommandFailed: 12,
	/** Interrupted by Ctrl-C (SIGINT) or SIGTERM/SIGHUP, after cleaning up: 128 + SIGINT, as shells do. */
	Interrupted: 130,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

// Every error code, named: `satisfies` fails the build when a code is added to
// core without an exit code here, so none can silently exit 1.
const BY_ERROR_CODE = {
	INTERNAL: ExitCode.Internal,
	USAGE: ExitCode.Usage,
	NOT_FOUND: ExitCode.NotFound,
	CONFLICT: ExitCode.Conflict,
	CONCURRENCY_CONFLICT: ExitCode.Conflict,
	DB_SCHEMA_TOO_NEW: ExitCode.Conflict,
	PERMISSION_DENIED: ExitCode.Denied,
	PERMISSION_DRIFT: ExitCode.Denied,
	COMMAND_FAILED: ExitCode.CommandFailed,
	INTERRUPTED: ExitCode.Interrupted,
	AUTH_FAILED: ExitCode.Denied,
	CONFIG_INVALID: ExitCode.Config,
	VALIDATION_FAILED: ExitCode.Validation,
	AUDIT_CHAIN_BROKEN: ExitCode.Integrity,
	AUDIT_HEAD_MISMATCH: ExitCode.Integrity,
	// Tables missing from the file: damage, like a broken audit chain, not a failed open.
	DB_DAMAGED: ExitCode.Integrity,
	VAULT_ERROR: ExitCode.Vault,
	DB_OPEN_FAILED: ExitCode.Database,
} as const satisfies Record<ErrorCode, ExitCodeValue>;

/** The exit code for an error code (a code this build does not know is an internal error). */
export function exitCodeFor(code: string): ExitCodeValue {
	return isErrorCode(code) ? BY_ERROR_CODE[code] : ExitCode.Internal;
}
