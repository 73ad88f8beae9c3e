import { describe, expect, it } from 'vitest';
import {
	bwrapOptions,
	createdMountPoints,
	directBwrapArgv,
	splitQuoted,
} from './directBwrapArgv.js';

describe('splitQuoted', () => {
	it('reads back what the library quoted', () => {
		expect(splitQuoted(`bwrap --ro-bind / / --setenv A 'it'"'"'s $x' '' -- sh -c 'a;b'`)).toEqual([
			'bwrap',
			'--ro-bind',
			'/',
			'/',
			'--setenv',
			'A',
			"it's $x",
			'',
			'--',
			'sh',
			'-c',
			'a;b',
		]);
	});

	it('refuses shell syntax outside quotes rather than guess', () => {
		expect(() => splitQuoted('bwrap; rm -rf /')).toThrow(/unexpected ";"/);
		expect(() => splitQuoted("bwrap 'open")).toThrow(/unterminated/);
		expect(() => splitQuoted('bwrap "$HOME"')).toThrow(/double-quoted/);
	});
});

describe('bwrapOptions', () => {
	it('groups options with their values and refuses unknown or incomplete ones', () => {
		expect(bwrapOptions(['--new-session', '--bind', '/a', '/a', '--tmpfs', '/b'])).toEqual([
			['--new-session'],
			['--bind', '/a', '/a'],
			['--tmpfs', '/b'],
		]);
		expect(() => bwrapOptions(['--share-net'])).toThrow(/unexpected bwrap option/);
		expect(() => bwrapOptions(['--bind', '/a'])).toThrow(/unexpected bwrap option/);
	});
});

describe('directBwrapArgv', () => {
	const argv = directBwrapArgv({
		options: [['--ro-bind', '/', '/'], ['--unshare-user'], ['--cap-add', 'CAP_SETFCAP']],
		shell: '/bin/sh',
		cwd: '/w',
		tmpdir: '/w/tmp',
		argv: ['node', "it's", '$(id)'],
		notes: ["note 'one'"],
		seccompFd: 3,
	});

	it('cuts the network, loads the seccomp program and keeps a shell as pid 1', () => {
		const command = argv.indexOf('--');
		const options = argv.slice(0, command);
		for (const option of ['--unshare-net', '--as-pid-1']) expect(options).toContain(option);
		expect(options.join(' ')).toContain('--seccomp 3');
		expect(options.join(' ')).toContain('--setenv TMPDIR /w/tmp --chdir /w');
		// Only the library's seccomp helper needed it.
		expect(options).not.toContain('CAP_SETFCAP');
		expect(argv.slice(command + 1, command + 3)).toEqual(['/bin/sh', '-c']);
		// The agent's words are arguments of the shell, never part of its script.
		expect(argv.slice(-3)).toEqual(['node', "it's", '$(id)']);
		expect(argv[command + 3]).toBe(`printf '%s\\n' 'note '\\''one'\\''' >&2; "$@"; exit $?`);
	});
});

describe('createdMountPoints', () => {
	it('lists the bind and tmpfs targets that do not exist yet, once each', () => {
		const existing = new Set(['/', '/data']);
		expect(
			createdMountPoints(
				[
					['--ro-bind', '/', '/'],
					['--bind', '/data', '/data'],
					['--ro-bind', '/dev/null', '/data/.bashrc'],
					['--ro-bind', '/tmp/empty', '/data/.git'],
					['--ro-bind', '/dev/null', '/data/.bashrc'],
					['--tmpfs', '/hidden'],
					['--setenv', 'A', '/not-a-path'],
				],
				(path) => existing.has(path),
			),
		).toEqual(['/data/.bashrc', '/data/.git', '/hidden']);
	});
});
