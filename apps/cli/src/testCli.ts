import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessResult, runNode, runNodeAsync } from '@agentspace/testing';

/** The built CLI, exactly as users run it (`bin/agentspace.js` → `dist/`). */
export const CLI_BIN = fileURLToPath(new URL('../bin/agentspace.js', import.meta.url));

/** Runs the real `agentspace` binary against `home` in a clean environment (optionally in `cwd`). */
export function runCli(
	home: string,
	args: readonly string[],
	env: Record<string, string> = {},
	cwd?: string,
): ProcessResult {
	return runNode(CLI_BIN, ['--home', home, ...args], {
		env,
		...(cwd === undefined ? {} : { cwd }),
	});
}

/** Every file under `dir` whose bytes contain `needle` (a secret must be stored nowhere in a home). */
export function filesContaining(dir: string, needle: string): string[] {
	const found: string[] = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		const stat = statSync(path, { throwIfNoEntry: false });
		if (stat === undefined) continue;
		if (stat.isDirectory()) found.push(...filesContaining(path, needle));
		else if (stat.isFile() && readFileSync(path).includes(needle)) found.push(path);
	}
	return found;
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

/** A CLI process that keeps running (`events tail`), with its output so far. */
export interface RunningCli {
	readonly child: ChildProcess;
	/** Everything written to stdout so far. */
	stdout(): string;
	/** Everything written to stderr so far. */
	stderr(): string;
	/** Resolves once stdout matches `pattern`; rejects after `timeoutMs`, naming what it got. */
	waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<void>;
	/** Resolves when the process has exited. */
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the CLI against `home` in a clean environment without waiting for it to end;
 * its stdin is closed unless `stdin: 'pipe'` (then written through `child.stdin`).
 */
export function spawnCli(
	home: string,
	args: readonly string[],
	env: Record<string, string> = {},
	{ stdin = 'ignore' }: { stdin?: 'ignore' | 'pipe' } = {},
): RunningCli {
	const child = spawn(process.execPath, [CLI_BIN, '--home', home, ...args], {
		env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
		stdio: [stdin, 'pipe', 'pipe'],
		// A child the test forgot, or could not stop, must not outlive the run.
		timeout: 60_000,
		killSignal: 'SIGKILL',
	});
	let out = '';
	let err = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
		out += chunk;
	});
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
		err += chunk;
	});
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal })),
	);
	return {
		child,
		stdout: () => out,
		stderr: () => err,
		exited,
		async waitForStdout(pattern, timeoutMs = 10_000) {
			const deadline = Date.now() + timeoutMs;
			while (!pattern.test(out)) {
				if (Date.now() > deadline || child.exitCode !== null) {
					throw new Error(
						`stdout never matched ${pattern}\nstdout: ${out}\nstderr: ${err}\nexit: ${child.exitCode}`,
					);
				}
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
		},
	};
}
