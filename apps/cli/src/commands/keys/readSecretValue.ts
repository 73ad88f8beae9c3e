import { ValidationError } from '@agentspace/core';

/** The most a piped value may be (a secret is at most 64 KiB; more is a mistake). */
const MAX_PIPED_BYTES = 1024 * 1024;

/**
 * Reads a key or secret value, never from the command line (it would land in
 * the shell's history and the process list): from a prompt with echo off
 * when stdin is a terminal, else all of stdin. One trailing newline (as
 * `echo` adds) is dropped; `trim` drops surrounding whitespace as well (keys
 * never contain any). An empty answer is returned as ''.
 */
export async function readSecretValue(prompt: string, trim: boolean): Promise<string> {
	const raw = process.stdin.isTTY === true ? await promptHidden(prompt) : await readAllStdin();
	const value = raw.replace(/\r?\n$/, '');
	return trim ? value.trim() : value;
}

async function readAllStdin(): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of process.stdin) {
		size += (chunk as Buffer).length;
		if (size > MAX_PIPED_BYTES) {
			throw new ValidationError('more than 1 MiB on stdin', {
				hint: 'pipe the value alone, e.g. printf %s "$KEY" | agentspace keys add anthropic',
			});
		}
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** A prompt on stderr whose answer is not echoed (raw mode: each key handled here). */
function promptHidden(prompt: string): Promise<string> {
	const stdin = process.stdin;
	// Echo goes off before the prompt shows: a key pasted as soon as it
	// appears must not be echoed by the terminal.
	stdin.setRawMode(true);
	process.stderr.write(prompt);
	return new Promise((resolve, reject) => {
		let value = '';
		const finish = (error?: Error) => {
			stdin.setRawMode(false);
			stdin.pause();
			stdin.off('data', onData);
			process.stderr.write('\n');
			if (error === undefined) resolve(value);
			else reject(error);
		};
		const onData = (chunk: string) => {
			for (const char of chunk) {
				if (char === '\r' || char === '\n' || char === '\u0004') return finish();
				if (char === '\u0003') {
					return finish(new ValidationError('cancelled', { hint: 'nothing was stored' }));
				}
				if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
				else value += char;
			}
		};
		stdin.setEncoding('utf8');
		stdin.resume();
		stdin.on('data', onData);
	});
}

/** Refuses a value given as an extra argument (never echoing it). */
export function refuseValueArgument(extra: number, usage: string): void {
	if (extra > 0) {
		throw new ValidationError(
			'a key or secret is never taken as an argument (it would stay in the shell history and the process list)',
			{
				hint: `type it at the prompt, or pipe it: ${usage}`,
			},
		);
	}
}
