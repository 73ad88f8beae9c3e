/** `ok` works; `warn` works but something later will need attention; `fail` blocks AgentSpace. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of the doctor's report. */
export interface DoctorCheck {
	/** Stable identifier for scripts (`node`, `home`, `database`…). */
	readonly id: string;
	readonly status: CheckStatus;
	/** What was found, for people. */
	readonly detail: string;
	/** What to do about a `warn` or `fail`. */
	readonly hint?: string;
	/** Structured facts for `--json`. */
	readonly data?: Readonly<Record<string, unknown>>;
}

/** Runs one check; never throws (a thrown error becomes a `fail`). */
export type Check = (home: string) => Promise<DoctorCheck> | DoctorCheck;
