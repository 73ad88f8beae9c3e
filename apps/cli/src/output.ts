import { printableLine } from '@agentspace/core';

/**
 * The one place that writes command output. Human output is tables and lines
 * on stdout; `--json` prints exactly one JSON document on stdout; diagnostics
 * and errors go to stderr. Colour only on a TTY and never when NO_COLOR is set.
 */

/** A column of a human table. */
export interface Column<Row> {
	readonly header: string;
	readonly value: (row: Row) => string;
}

/** Text styles; each is the identity when colour is off. */
export interface Styles {
	bold(text: string): string;
	dim(text: string): string;
	red(text: string): string;
	green(text: string): string;
	yellow(text: string): string;
}

/** What commands write through. */
export interface Output {
	readonly json: boolean;
	readonly style: Styles;
	/** A line of human output on stdout (suppressed in `--json` mode). */
	line(text?: string): void;
	/** A table of rows on stdout (suppressed in `--json` mode). */
	table<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): void;
	/** The JSON document for `--json` mode (ignored otherwise). */
	data(value: unknown): void;
	/**
	 * One JSON document on a line of its own, in `--json` mode (ignored
	 * otherwise): the NDJSON of a command that streams, such as `events tail`.
	 */
	record(value: unknown): void;
	/** A note for people on stderr (progress, warnings), in both modes. */
	note(text: string): void;
	/**
	 * Replaces the progress line on stderr, or clears it (`undefined`). Only on
	 * a terminal: a log file or a pipe gets no half-drawn lines.
	 */
	progress(text: string | undefined): void;
}

/** Where output goes and how it looks. */
export interface OutputOptions {
	readonly json: boolean;
	readonly color: boolean;
	/** Draw progress lines: stderr is a terminal. Default false. */
	readonly progress?: boolean;
	/**
	 * Write notes and progress on stderr. Default true; false when
	 * `AGENTSPACE_LOG` is `error` or `silent` (see cliLogger.ts).
	 */
	readonly notes?: boolean;
	readonly stdout?: NodeJS.WritableStream;
	readonly stderr?: NodeJS.WritableStream;
}

/** True when colour should be used: a TTY, `NO_COLOR` unset, `TERM` not dumb. */
export function shouldUseColor(
	stream: NodeJS.WriteStream,
	env: Readonly<Record<string, string | undefined>>,
): boolean {
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
	if (env.TERM === 'dumb') return false;
	return stream.isTTY === true;
}

function makeStyles(color: boolean): Styles {
	const wrap = (open: number, close: number) => (text: string) =>
		color ? `\u001b[${open}m${text}\u001b[${close}m` : text;
	return {
		bold: wrap(1, 22),
		dim: wrap(2, 22),
		red: wrap(31, 39),
		green: wrap(32, 39),
		yellow: wrap(33, 39),
	};
}

/**
 * `text` safe to print in a terminal: control characters (newlines, escape
 * sequences) shown as `\n`, `\u001b`…, and the line separators and invisible
 * format characters — text-direction overrides, zero-width characters — as
 * `\u{202e}`… (core's `printableLine`). Data such as audit metadata, an
 * agent's manifest or a tool's description may come from agents; it must
 * neither break a table, nor drive the terminal, nor read differently from
 * what it is ("Trojan Source").
 */
export function printable(text: string): string {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
	const controls = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => {
		if (char === '\n') return '\\n';
		if (char === '\t') return '\\t';
		if (char === '\r') return '\\r';
		return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
	});
	return printableLine(controls);
}

/** `text` without colour escapes. */
export function stripAnsi(text: string): string {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
	return text.replace(/\u001b\[[0-9;]*m/g, '');
}

// Visible width, ignoring colour escapes, so coloured cells still line up.
function visibleLength(text: string): number {
	return stripAnsi(text).length;
}

/** Creates the output for one command invocation. */
export function createOutput(options: OutputOptions): Output {
	const stdout = options.stdout ?? process.stdout;
	const stderr = options.stderr ?? process.stderr;
	const style = makeStyles(options.color && !options.json);
	return {
		json: options.json,
		style,
		line(text = '') {
			if (!options.json) stdout.write(`${text}\n`);
		},
		table(rows, columns) {
			if (options.json) return;
			const cells = rows.map((row) => columns.map((column) => column.value(row)));
			const widths = columns.map((column, i) =>
				Math.max(column.header.length, ...cells.map((row) => visibleLength(row[i] ?? ''))),
			);
			const render = (values: readonly string[]) =>
				values
					.map((value, i) =>
						i === values.length - 1
							? value
							: value + ' '.repeat((widths[i] ?? 0) - visibleLength(value)),
					)
					.join('  ')
					.trimEnd();
			stdout.write(`${style.bold(render(columns.map((column) => column.header)))}\n`);
			for (const row of cells) stdout.write(`${render(row)}\n`);
		},
		data(value) {
			if (options.json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
		},
		record(value) {
			if (options.json) stdout.write(`${JSON.stringify(value)}\n`);
		},
		note(text) {
			if (options.notes !== false) stderr.write(`${text}\n`);
		},
		progress(text) {
			// Carriage return and erase-line: each update overwrites the last.
			if (options.progress === true && options.notes !== false) {
				stderr.write(`\r\u001b[K${text ?? ''}`);
			}
		},
	};
}
