import { createInterface } from 'node:readline/promises';
import type { Output } from './output.js';

/**
 * True when a person can answer a question: stdin and stderr (where prompts
 * go) are terminals. Scripts, CI and pipes are not, and must pass flags
 * (`--yes`, `--approve`) instead of being asked.
 */
export function canPrompt(): boolean {
	return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** Asks one question on the terminal (prompt on stderr) and returns the trimmed answer. */
export async function ask(question: string): Promise<string> {
	const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
	try {
		return (await rl.question(question)).trim();
	} finally {
		rl.close();
	}
}

/** Asks a yes/no question; anything but y or yes is no. */
export async function confirm(question: string): Promise<boolean> {
	return /^(y|yes)$/i.test(await ask(`${question} [y/N] `));
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
