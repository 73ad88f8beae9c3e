import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createOutput, printable, shouldUseColor, stripAnsi } from './output.js';

function capture(json: boolean, color: boolean, progress = false) {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', (chunk) => (out += chunk));
	stderr.on('data', (chunk) => (err += chunk));
	const output = createOutput({ json, color, progress, stdout, stderr });
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

	it('in --json mode prints records one per line (NDJSON); people get none', () => {
		const json = capture(true, false);
		json.output.record({ a: 1 });
		json.output.record({ b: [2] });
		expect(json.read().out).toBe('{"a":1}\n{"b":[2]}\n');
		const human = capture(false, false);
		human.output.record({ a: 1 });
		expect(human.read().out).toBe('');
	});

	it('draws progress over itself on a terminal only, and clears it', () => {
		const terminal = capture(false, false, true);
		terminal.output.progress('1/2');
		terminal.output.progress('2/2');
		terminal.output.progress(undefined);
		expect(terminal.read().err).toBe('\r\u001b[K1/2\r\u001b[K2/2\r\u001b[K');
		expect(terminal.read().out).toBe('');
		const pipe = capture(false, false, false);
		pipe.output.progress('1/2');
		pipe.output.progress(undefined);
		expect(pipe.read().err).toBe('');
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
		// Trojan Source: direction overrides and isolates, and the marks.
		['\u202enimda\u202c', '\\u{202e}nimda\\u{202c}'],
		['a\u2066b\u2069\u200e\u200f\u061c', 'a\\u{2066}b\\u{2069}\\u{200e}\\u{200f}\\u{61c}'],
		// Invisible format characters that hide inside a name.
		['ad\u200bmin\ufeff', 'ad\\u{200b}min\\u{feff}'],
		['one\u2028two', 'one\\u{2028}two'],
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
