import { spawn } from 'node:child_process';
import { killProcessGroup } from '../process/killProcessGroup.js';
import { whenExited } from '../process/whenExited.js';
import type { BuildStep } from './planBuild.js';

/** How a step ended. */
export interface StepOutcome {
	readonly exitCode: number | null;
	readonly signal: string | null;
	readonly timedOut: boolean;
	/** Set when the step could not start at all (command not found…). */
	readonly startError?: string;
}

/** Options of {@link runStep}. */
export interface RunStepOptions {
	readonly cwd: string;
	readonly env: NodeJS.ProcessEnv;
	readonly timeoutMs: number;
	/** Each complete line of output as it arrives. */
	readonly onLine: (stream: 'stdout' | 'stderr', line: string) => void;
	/** Grace between SIGTERM and SIGKILL when the step times out. */
	readonly killGraceMs?: number;
	/** How long output may keep arriving after the step exits (default 1 s). */
	readonly drainMs?: number;
	/** Aborting stops the step like a timeout does (SIGTERM, then SIGKILL). */
	readonly signal?: AbortSignal | undefined;
}

/**
 * Runs one step as an argv (no shell) in its own process group, so a timeout
 * takes down everything the step started, not just its first process.
 */
export function runStep(step: BuildStep, options: RunStepOptions): Promise<StepOutcome> {
	return new Promise((resolve) => {
		const child = spawn(step.command, step.args, {
			cwd: options.cwd,
			env: options.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let timedOut = false;
		let killTimer: NodeJS.Timeout | undefined;
		const killGroup = (signal: NodeJS.Signals) => killProcessGroup(child.pid, signal);
		const stop = () => {
			killGroup('SIGTERM');
			killTimer ??= setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 2000);
		};
		const timer = setTimeout(() => {
			timedOut = true;
			stop();
		}, options.timeoutMs);
		// Interrupted (Ctrl-C at the CLI): the step is in its own group, so it must be told.
		options.signal?.addEventListener('abort', stop, { once: true });
		if (options.signal?.aborted === true) stop();
		for (const stream of ['stdout', 'stderr'] as const) {
			let pending = '';
			const source = child[stream];
			source.setEncoding('utf8');
			source.on('data', (chunk: string) => {
				pending += chunk;
				const lines = pending.split(/\r?\n/);
				pending = lines.pop() ?? '';
				for (const line of lines) options.onLine(stream, line);
				// A "line" without an end must not grow without bound.
				if (pending.length > 64 * 1024) {
					options.onLine(stream, pending);
					pending = '';
				}
			});
			source.on('end', () => {
				if (pending !== '') options.onLine(stream, pending);
			});
		}
		let settled = false;
		const settle = (outcome: StepOutcome) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			options.signal?.removeEventListener('abort', stop);
			if (killTimer !== undefined) clearTimeout(killTimer);
			resolve(outcome);
		};
		child.on('error', (error: NodeJS.ErrnoException) => {
			// A spawn failure may never be followed by 'close'.
			settle({
				exitCode: null,
				signal: null,
				timedOut,
				startError:
					error.code === 'ENOENT'
						? `command not found: ${step.command} (a path is taken from the checkout, a name from PATH)`
						: `cannot start ${step.command}: ${error.message}`,
			});
		});
		whenExited(child, options.drainMs ?? 1000, (code, signal, held) => {
			if (held) {
				options.onLine(
					'stderr',
					'[agentspace: a process that left the step’s process group still holds its output open; no longer reading it]',
				);
			}
			settle({ exitCode: code, signal, timedOut });
		});
	});
}
