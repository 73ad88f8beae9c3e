import { errorFromJSON, ValidationError } from '@agentspace/core';
import { describe, expect, it } from 'vitest';
import { errorLines, stackLines } from './errorLines.js';

// What the terminal shows of an error: text from elsewhere (a daemon peer, an
// agent's manifest, a command line) escaped, AgentSpace's own issue lines kept.

const ESC = '\u001b';

describe('errorLines', () => {
	it('escapes the control characters of a message and a hint', () => {
		expect(
			errorLines({
				code: 'CONFLICT',
				message: `agent "${ESC}[31mred${ESC}[0m" is\r busy`,
				hint: `stop it\u2028hint: forged\ttoo`,
			}),
		).toEqual([
			'error[CONFLICT]: agent "\\u{1b}[31mred\\u{1b}[0m" is\\u{d} busy',
			'hint: stop it\\u{2028}hint: forged\\u{9}too',
		]);
	});

	it('escapes the text-direction controls and invisible format characters of a message and a hint', () => {
		expect(
			errorLines({
				code: 'NOT_FOUND',
				message: 'agent "\u202etxt.exe\u202c" is not installed',
				hint: 'run\u2066 agentspace\u200b agents list\u2069',
			}),
		).toEqual([
			'error[NOT_FOUND]: agent "\\u{202e}txt.exe\\u{202c}" is not installed',
			'hint: run\\u{2066} agentspace\\u{200b} agents list\\u{2069}',
		]);
	});

	it('keeps the lines AgentSpace builds, one per issue the error carries, each escaped', () => {
		const issues = [
			{ path: 'name', message: `must not be "${ESC}[2J"` },
			{ path: 'version', message: 'must be a semantic version' },
		];
		const error = new ValidationError(
			`the manifest is invalid:\n  - name: ${issues[0]?.message}\n  - version: ${issues[1]?.message}`,
			{ issues, hint: 'fix it' },
		);
		expect(errorLines(error)).toEqual([
			'error[VALIDATION_FAILED]: the manifest is invalid:',
			'  - name: must not be "\\u{1b}[2J"',
			'  - version: must be a semantic version',
			'hint: fix it',
		]);
	});

	it('escapes any other line break: a message from a peer cannot print a line of its own', () => {
		// What the daemon's socket hands the CLI (errorFromJSON bounds it, and keeps its characters).
		const peer = errorFromJSON({
			code: 'CONFLICT',
			message: `busy\nerror[INTERNAL]: forged\r${ESC}[1A`,
			hint: 'wait\nhint: rm -rf ~',
		});
		expect(errorLines(peer)).toEqual([
			'error[CONFLICT]: busy\\u{a}error[INTERNAL]: forged\\u{d}\\u{1b}[1A',
			'hint: wait\\u{a}hint: rm -rf ~',
		]);
		// Lines that do not list the error's issues one by one are not AgentSpace's structure.
		const issues = [{ path: 'name', message: 'bad\nname' }];
		expect(errorLines(new ValidationError('invalid:\n  - name: bad\nname', { issues }))).toEqual([
			'error[VALIDATION_FAILED]: invalid:\\u{a}  - name: bad\\u{a}name',
		]);
		expect(
			errorLines(
				new ValidationError('invalid:\nforged line', {
					issues: [{ path: 'a', message: 'forged line' }],
				}),
			),
		).toEqual(['error[VALIDATION_FAILED]: invalid:\\u{a}forged line']);
	});
});

describe('stackLines', () => {
	it('keeps the stack’s lines and escapes the message in it', () => {
		const error = new Error(`boom\n${ESC}[31mforged`);
		const lines = stackLines(error);
		expect(lines[0]).toBe('Error: boom\\u{a}\\u{1b}[31mforged');
		expect(lines[1]).toMatch(/^\s+at /);
		expect(lines.join('\n')).not.toContain(ESC);
	});
});
