import { fileURLToPath } from 'node:url';
import { type ProcessResult, runNode, runNodeAsync } from '@agentspace/testing';

/** The built CLI, exactly as users run it (`bin/agentspace.js` → `dist/`). */
export const CLI_BIN = fileURLToPath(new URL('../bin/agentspace.js', import.meta.url));

/** Runs the real `agentspace` binary against `home` in a clean environment. */
export function runCli(
	home: string,
	args: readonly string[],
	env: Record<string, string> = {},
): ProcessResult {
	return runNode(CLI_BIN, ['--home', home, ...args], { env });
}

/** Runs the CLI with `--json` and parses stdout. */
export function runCliJson<T = Record<string, unknown>>(
	home: string,
	args: readonly string[],
	env: Record<string, string> = {},
): ProcessResult & { json: T } {
	const result = runCli(home, [...args, '--json'], env);
	return { ...result, json: JSON.parse(result.stdout) as T };
}

/** Runs the CLI without blocking, so several can run at once. */
export function runCliAsync(home: string, args: readonly string[]): Promise<ProcessResult> {
	return runNodeAsync(CLI_BIN, ['--home', home, ...args]);
}
