import { spawn, spawnSync } from 'node:child_process';

/** What a finished child process left behind. */
export interface ProcessResult {
	readonly status: number | null;
	readonly signal: NodeJS.Signals | null;
	readonly stdout: string;
	readonly stderr: string;
}

/** Options for {@link runNode}. */
export interface RunNodeOptions {
	/** Replaces the child's environment entirely (PATH is kept so tools resolve). */
	readonly env?: Readonly<Record<string, string | undefined>>;
	readonly cwd?: string;
	readonly input?: string;
	readonly timeoutMs?: number;
}

/**
 * Runs `node <script> ...args` as a real child process and collects its output.
 * The environment is minimal by default so a developer's own AGENTSPACE_* or
 * NO_COLOR settings cannot change what a test sees.
 */
export function runNode(
	script: string,
	args: readonly string[],
	options: RunNodeOptions = {},
): ProcessResult {
	const result = spawnSync(process.execPath, [script, ...args], {
		cwd: options.cwd,
		env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
		input: options.input ?? '',
		encoding: 'utf8',
		timeout: options.timeoutMs ?? 30_000,
	});
	if (result.error) throw result.error;
	return {
		status: result.status,
		signal: result.signal,
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

/**
 * Like {@link runNode} but without blocking: several children run at once
 * (concurrency tests). `args` may start with Node options, e.g. `--input-type=module -e`.
 */
export function runNodeAsync(
	script: string,
	args: readonly string[],
	options: Omit<RunNodeOptions, 'input'> = {},
): Promise<ProcessResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [script, ...args], {
			cwd: options.cwd,
			env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: options.timeoutMs ?? 60_000,
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
		});
		child.on('error', reject);
		child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
	});
}
