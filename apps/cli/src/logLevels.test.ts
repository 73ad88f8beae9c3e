import { createTempHome, type TempHome } from '@agentspace/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './testCli.js';

// AGENTSPACE_LOG, as the help advertises it, run through the real CLI. Three
// commands cover the three kinds of stderr line: `config get` on a new home
// writes a note (warn), `agents info` without a database an error with a
// hint, `agents bogus` a usage error from the command parser.

let temp: TempHome;
beforeEach(() => {
	temp = createTempHome('cli-log');
});
afterEach(() => temp.cleanup());

const NOTE = /^note: .*config\.json does not exist yet; showing the defaults$/m;
const ERROR = /^error\[NOT_FOUND\]: no AgentSpace database at /m;
const HINT = /^hint: check --home/m;
const USAGE = /^error\[USAGE\]: unknown command 'bogus'/m;

interface LogLine {
	readonly level: string;
	readonly name: string;
	readonly msg: string;
	readonly [field: string]: unknown;
}

/** The JSON log lines among a run's stderr lines (errors, hints and notes are plain text). */
function logLines(stderr: string): LogLine[] {
	return stderr
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as LogLine);
}

function runAll(level: string | undefined) {
	const env: Record<string, string> = level === undefined ? {} : { AGENTSPACE_LOG: level };
	return {
		note: runCli(temp.home, ['config', 'get'], env),
		error: runCli(temp.home, ['agents', 'info', 'nope'], env),
		usage: runCli(temp.home, ['agents', 'bogus'], env),
	};
}

describe('AGENTSPACE_LOG', () => {
	it.each([undefined, 'warn', 'WARN', 'loud'])(
		'at %j (warn, the default) shows notes and errors, and no log lines',
		(level) => {
			const { note, error, usage } = runAll(level);
			expect(note.status).toBe(0);
			expect(note.stderr).toMatch(NOTE);
			expect(error.status).toBe(3);
			expect(error.stderr).toMatch(ERROR);
			expect(error.stderr).toMatch(HINT);
			expect(usage.status).toBe(2);
			expect(usage.stderr).toMatch(USAGE);
			for (const run of [note, error, usage]) expect(logLines(run.stderr)).toEqual([]);
		},
	);

	it('at info also logs each command as it starts and ends, as JSON lines', () => {
		const { note, error } = runAll('info');
		expect(note.stderr).toMatch(NOTE);
		expect(error.stderr).toMatch(ERROR);
		expect(error.stderr).toMatch(HINT);
		expect(logLines(note.stderr)).toMatchObject([
			{ level: 'info', name: 'agentspace', msg: 'command started', command: 'config get' },
			{ level: 'info', msg: 'command finished', command: 'config get', exitCode: 0 },
		]);
		expect(logLines(error.stderr)).toMatchObject([
			{ level: 'info', msg: 'command started', command: 'agents info' },
			{ level: 'info', msg: 'command finished', command: 'agents info', exitCode: 3 },
		]);
		expect(note.stdout).not.toMatch(/command started/);
	});

	it('at debug also logs the home in use', () => {
		const { note } = runAll('debug');
		expect(note.stderr).toMatch(NOTE);
		const lines = logLines(note.stderr);
		expect(lines.map((line) => line.level)).toEqual(['info', 'debug', 'info']);
		expect(lines[1]).toMatchObject({ msg: 'home', home: temp.home });
	});

	it('at error shows errors and their hints only: no notes', () => {
		const { note, error, usage } = runAll('error');
		expect(note.status).toBe(0);
		expect(note.stderr).toBe('');
		expect(error.status).toBe(3);
		expect(error.stderr).toMatch(ERROR);
		expect(error.stderr).toMatch(HINT);
		expect(usage.status).toBe(2);
		expect(usage.stderr).toMatch(USAGE);
		expect(usage.stderr).toMatch(/^hint: run the command with --help/m);
	});

	it('at silent writes nothing on stderr, with the same exit codes and stdout', () => {
		const { note, error, usage } = runAll('silent');
		for (const run of [note, error, usage]) expect(run.stderr).toBe('');
		expect([note.status, error.status, usage.status]).toEqual([0, 3, 2]);
		expect(note.stdout).toMatch(/^securityMode\s+limited-control$/m);
		const json = runCli(temp.home, ['agents', 'info', 'nope', '--json'], {
			AGENTSPACE_LOG: 'silent',
		});
		expect(json.status).toBe(3);
		expect(json.stderr).toBe('');
		expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
	});
});
