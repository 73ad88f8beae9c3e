import { createInterface } from 'node:readline/promises';
import { AgentSpaceError } from '@agentspace/core';
import type { Output } from './output.js';

/**
 * True when a person can answer a question: stdin and stderr (where prompts
 * go) are terminals. Scripts, CI and pipes are not, and must pass flags
 * (`--yes`, `--approve`) instead of being asked.
 */
export function canPrompt(): boolean {
	return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/**
 * Asks one question on the terminal (prompt on stderr) and returns the trimmed
 * answer, or undefined when the user interrupted (Ctrl-C, Ctrl-D): that is no
 * answer at all, which each caller must treat as a refusal — never as an empty
 * answer, which a checklist reads as "none".
 */
export async function ask(question: string): Promise<string | undefined> {
	const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
	try {
		return (await rl.question(question)).trim();
	} catch {
		process.stderr.write('\n');
		return undefined;
	} finally {
		rl.close();
	}
}

/** Asks a yes/no question; anything but y or yes is no. */
export async function confirm(question: string): Promise<boolean> {
	return /^(y|yes)$/i.test((await ask(`${question} [y/N] `)) ?? '');
}

/** A spinner on stderr while `work` runs (only on a terminal; elsewhere just runs it). */
export async function withSpinner<T>(
	output: Output,
	initial: string,
	work: (update: (text: string) => void) => Promise<T>,
): Promise<T> {
	const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
	let text = initial;
	let frame = 0;
	const draw = () => output.progress(`${frames[frame++ % frames.length]} ${text}`);
	draw();
	const timer = setInterval(draw, 80);
	try {
		return await work((next) => {
			text = next;
			draw();
		});
	} finally {
		clearInterval(timer);
		output.progress(undefined);
	}
}

/**
 * Runs long work that starts child processes (git, build steps) with an
 * AbortSignal that Ctrl-C, SIGTERM and SIGHUP trigger. The children run in
 * their own process groups, so the terminal's Ctrl-C does not reach them: the
 * work stops them through the signal and cleans up, and then this throws
 * `INTERRUPTED` (exit 130) instead of leaving them running.
 */
export async function interruptible<T>(
	output: Output,
	work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
	const controller = new AbortController();
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	const onSignal = () => {
		if (!controller.signal.aborted) output.note('\ninterrupted: stopping and cleaning up…');
		controller.abort();
	};
	for (const signal of signals) process.on(signal, onSignal);
	try {
		const result = await work(controller.signal);
		if (controller.signal.aborted) throw interrupted();
		return result;
	} catch (error) {
		throw controller.signal.aborted ? interrupted() : error;
	} finally {
		for (const signal of signals) process.off(signal, onSignal);
	}
}

function interrupted(): AgentSpaceError {
	return new AgentSpaceError(
		'interrupted: what was running was stopped, and nothing half-done was kept',
		{
			code: 'INTERRUPTED',
		},
	);
}
