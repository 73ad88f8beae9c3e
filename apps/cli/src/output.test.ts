import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createOutput, printable, shouldUseColor, stripAnsi } from './output.js';

function capture(json: boolean, color: boolean) {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', (chunk) => (out += chunk));
	stderr.on('data', (chunk) => (err += chunk));
	const output = createOutput({ json, color, stdout, stderr });
	return { output, read: () => ({ out, err }) };
}

describe('createOutput', () => {
	it('aligns table columns, ignoring colour escapes', () => {
		const { output, read } = capture(false, true);
		output.table(
			[
				{ a: 'x', b: output.style.red('red') },
				{ a: 'longer', b: 'plain' },
			],
			[
				{ header: 'A', value: (r) => r.a },
				{ header: 'B', value: (r) => r.b },
			],
		);
		expect(read().out).toContain('\u001b[31m');
		const lines = stripAnsi(read().out).split('\n');
		expect(lines.slice(0, 3)).toEqual(['A       B', 'x       red', 'longer  plain']);
	});

	it('in --json mode prints only the data document on stdout', () => {
		const { output, read } = capture(true, true);
		output.line('human text');
		output.table([{ a: 1 }], [{ header: 'A', value: (r) => String(r.a) }]);
		output.data({ ok: true });
		output.note('progress');
		expect(JSON.parse(read().out)).toEqual({ ok: true });
		expect(read().err).toBe('progress\n');
	});

	it('styles nothing when colour is off', () => {
		const { output } = capture(false, false);
		expect(output.style.bold('x')).toBe('x');
	});
});

describe('printable', () => {
	it.each([
		['plain text', 'plain text'],
		['two\nlines', 'two\\nlines'],
		['tab\there', 'tab\\there'],
		['\u001b[2Jcleared', '\\u001b[2Jcleared'],
		['bell\u0007', 'bell\\u0007'],
		['ünïcode ✓', 'ünïcode ✓'],
	])('%j → %j', (input, expected) => {
		expect(printable(input)).toBe(expected);
	});
});

describe('shouldUseColor', () => {
	const tty = { isTTY: true } as NodeJS.WriteStream;
	const pipe = { isTTY: false } as NodeJS.WriteStream;
	it.each([
		[tty, {}, true],
		[pipe, {}, false],
		[tty, { NO_COLOR: '1' }, false],
		[tty, { NO_COLOR: '' }, true],
		[tty, { TERM: 'dumb' }, false],
	])('stream %o with env %j → %s', (stream, env, expected) => {
		expect(shouldUseColor(stream, env)).toBe(expected);
	});
});
