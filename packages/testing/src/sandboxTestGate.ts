import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the sandbox's readiness check reports (`sandboxReadiness()` of `@agentspace/agents`). */
export interface SandboxReadinessReport {
	readonly ready: boolean;
	/** The programs the sandbox needs that are missing (`bwrap`, `socat`, `rg`). */
	readonly missing: readonly string[];
	readonly problem?: string;
	/** The command that installs them. */
	readonly hint?: string;
}

/** Whether a test file that needs the OS sandbox runs here, and if not, why. */
export interface SandboxTestGate {
	/** False only on a machine without the sandbox's tools, outside CI. */
	readonly run: boolean;
	/** The missing programs (empty when the sandbox is ready). */
	readonly missing: readonly string[];
	/** What installs them (undefined when the sandbox is ready). */
	readonly hint: string | undefined;
}

/** Options of {@link sandboxTestGate}. */
export interface SandboxTestGateOptions {
	/** The test file asking (`import.meta.url` or a path), named in the skip record. */
	readonly file?: string;
	/** Defaults to `process.env`: reads `CI` and {@link SANDBOX_SKIP_LOG}. */
	readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The environment variable naming the file gated test files append their skip
 * records to. `npm test` (scripts/test.mjs) sets it and prints one summary line
 * from it at the end; a plain `vitest run` leaves it unset and each gated file
 * says on stderr that it skipped.
 */
export const SANDBOX_SKIP_LOG = 'AGENTSPACE_TEST_SANDBOX_SKIPS';

/** True when `env` says this is a CI run (`CI` set to anything but empty, `0` or `false`). */
export function isCi(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
	const value = env.CI?.trim().toLowerCase();
	return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * Decides whether tests that need the OS sandbox run: always where its tools
 * are installed, and always in CI — there a missing tool must fail the run,
 * never quietly skip (CI installs them). Elsewhere (a fresh machine) they are
 * skipped, and the skip is recorded so `npm test` can say once, at the end,
 * what is missing and what installs it. Use with `describe.skipIf(!gate.run)`.
 */
export function sandboxTestGate(
	readiness: SandboxReadinessReport,
	options: SandboxTestGateOptions = {},
): SandboxTestGate {
	const env = options.env ?? process.env;
	const run = readiness.ready || isCi(env);
	const gate: SandboxTestGate = {
		run,
		missing: readiness.missing,
		hint: readiness.ready ? undefined : readiness.hint,
	};
	if (run) return gate;
	const file = options.file?.startsWith('file:') ? fileURLToPath(options.file) : options.file;
	const record: SandboxSkipRecord = {
		...(file === undefined ? {} : { file }),
		missing: [...readiness.missing],
		...(readiness.problem === undefined ? {} : { problem: readiness.problem }),
		...(readiness.hint === undefined ? {} : { hint: readiness.hint }),
	};
	const log = env[SANDBOX_SKIP_LOG];
	if (log !== undefined && log !== '') {
		appendFileSync(log, `${JSON.stringify(record)}\n`);
	} else {
		process.stderr.write(`${describeSkip([record])}\n`);
	}
	return gate;
}

/** One line of the skip log: a test file that skipped its sandbox tests, and why. */
export interface SandboxSkipRecord {
	readonly file?: string;
	readonly missing: readonly string[];
	readonly problem?: string;
	readonly hint?: string;
}

/**
 * The one summary line `npm test` prints after a run in which test files
 * skipped their sandbox tests, or undefined when none did. `reports` are
 * vitest JSON reports (`.vitest-report.json`): from them it counts the
 * skipped tests in the gated files.
 */
export function sandboxSkipSummary(
	logPath: string,
	reports: readonly string[] = [],
): string | undefined {
	if (!existsSync(logPath)) return undefined;
	const records = readFileSync(logPath, 'utf8')
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as SandboxSkipRecord);
	if (records.length === 0) return undefined;
	return describeSkip(records, skippedTestsIn(records, reports));
}

function describeSkip(records: readonly SandboxSkipRecord[], skippedTests?: number): string {
	const files = new Set(records.map((record) => record.file ?? '?'));
	const missing = [...new Set(records.flatMap((record) => record.missing))];
	const hint = records.find((record) => record.hint !== undefined)?.hint;
	const only = files.size === 1 ? [...files][0] : undefined;
	const what =
		skippedTests === undefined || skippedTests === 0
			? only !== undefined
				? `in ${basename(only)}`
				: `in ${files.size} test files`
			: `${skippedTests} test${skippedTests === 1 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'}`;
	const why =
		missing.length > 0
			? `${missing.join(', ')} not found on PATH`
			: (records[0]?.problem ?? 'the sandbox is not ready');
	return `sandbox tests SKIPPED (${what}): ${why}; ${hint ?? 'install the sandbox tools'} — then run the tests again (with CI=true they fail instead of skipping)`;
}

function skippedTestsIn(
	records: readonly SandboxSkipRecord[],
	reports: readonly string[],
): number | undefined {
	const files = new Set(
		records.flatMap((record) => (record.file === undefined ? [] : [record.file])),
	);
	let count = 0;
	let read = false;
	for (const report of reports) {
		if (!existsSync(report)) continue;
		let parsed: { testResults?: { name: string; assertionResults?: { status: string }[] }[] };
		try {
			parsed = JSON.parse(readFileSync(report, 'utf8'));
		} catch {
			continue;
		}
		read = true;
		for (const result of parsed.testResults ?? []) {
			if (!files.has(result.name)) continue;
			count += (result.assertionResults ?? []).filter(
				(test) => test.status === 'skipped' || test.status === 'pending',
			).length;
		}
	}
	return read ? count : undefined;
}
