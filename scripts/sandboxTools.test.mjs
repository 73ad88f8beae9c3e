// Tests of `npm start`'s sandbox-tools step (scripts/sandboxTools.mjs), run by
// `npm test` with node's own test runner (this runs before any dependency is
// installed, so it has none). The package managers and sudo are stand-in
// scripts on a PATH built for each test: installing real packages would change
// the machine the tests run on. Everything else is real: the PATH lookups,
// the processes started, the arguments and environment they get.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ensureSandboxTools, findTool } from './sandboxTools.mjs';

let dir;
let bin;
let calls;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'agentspace-sandbox-tools-'));
	bin = join(dir, 'bin');
	calls = join(dir, 'calls.log');
	writeFileSync(calls, '');
	// Only `env` from the system: the machine's own bwrap, socat and rg must not be found.
	const real = ['/usr/bin/env', '/bin/env'].find((path) => existsSync(path));
	mkdirSync(bin);
	symlinkSync(real, join(bin, 'env'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// A stand-in program: logs its name, arguments and DEBIAN_FRONTEND, then runs `body`.
function program(name, body = 'exit 0') {
	writeFileSync(
		join(bin, name),
		`#!/bin/sh\necho "${name} $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> '${calls}'\n${body}\n`,
	);
	chmodSync(join(bin, name), 0o755);
}
// A package manager whose `install` puts bwrap, socat and rg on PATH.
const INSTALLS = `case "$*" in *install*) for t in bwrap socat rg; do printf '#!/bin/sh\\n' > '${'BIN'}'/$t; /bin/chmod +x '${'BIN'}'/$t; done;; esac`;
const installs = () => INSTALLS.replaceAll("'BIN'", `'${bin}'`);
const called = () =>
	readFileSync(calls, 'utf8')
		.split('\n')
		.filter((line) => line !== '');

async function ensure(options = {}) {
	const lines = [];
	const result = await ensureSandboxTools({
		env: { PATH: bin },
		platform: 'linux',
		uid: 0,
		interactive: false,
		stdio: 'pipe',
		say: (line) => lines.push(line),
		...options,
	});
	return { result, lines };
}

describe('npm start: the sandbox tools', () => {
	it('as root off a terminal (CI), installs the missing packages with apt-get without asking, and says so', async () => {
		program('apt-get', installs());
		const { result, lines } = await ensure();
		assert.equal(result.status, 'installed');
		assert.deepEqual(called(), [
			'apt-get install -y -qq bubblewrap socat ripgrep DEBIAN_FRONTEND=noninteractive',
		]);
		assert.match(lines.at(-1), /installed bubblewrap socat ripgrep with apt-get/);
	});

	it('with dnf (Fedora)', async () => {
		program('dnf', installs());
		const { result } = await ensure();
		assert.equal(result.status, 'installed');
		assert.match(called()[0], /^dnf install -y bubblewrap socat ripgrep/);
	});

	it('refreshes the package lists once when apt-get cannot find the packages (a fresh image)', async () => {
		const updated = join(dir, 'updated');
		program(
			'apt-get',
			`case "$1" in update) : > '${updated}';; install) [ -e '${updated}' ] || exit 100; ${installs()};; esac`,
		);
		const { result } = await ensure();
		assert.equal(result.status, 'installed');
		assert.deepEqual(
			called().map((line) => line.split(' ').slice(0, 2).join(' ')),
			['apt-get install', 'apt-get update', 'apt-get install'],
		);
	});

	it('does not refresh the package lists when apt-get failed otherwise than with its own error (100)', async () => {
		program('apt-get', 'exit 1');
		const { result, lines } = await ensure();
		assert.equal(result.status, 'failed');
		assert.deepEqual(
			called().map((line) => line.split(' ').slice(0, 2).join(' ')),
			['apt-get install'],
		);
		assert.match(lines.at(-1), /apt-get exited with status 1/);
	});

	it('on a terminal, sudo that asks for a password logs in once (sudo -v) before installing', async () => {
		program('sudo', 'case "$1" in -n) exit 1;; -v) exit 0;; esac; exec "$@"');
		program('apt-get', installs());
		const { result } = await ensure({ uid: 1000, interactive: true, ask: async () => 'y' });
		assert.equal(result.status, 'installed');
		assert.deepEqual(called(), [
			'sudo -n true DEBIAN_FRONTEND=',
			'sudo -v DEBIAN_FRONTEND=',
			'sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap socat ripgrep DEBIAN_FRONTEND=',
			'apt-get install -y -qq bubblewrap socat ripgrep DEBIAN_FRONTEND=noninteractive',
		]);
	});

	it('on a terminal, a failed sudo login runs nothing else (no apt-get, no update) and says so', async () => {
		program('sudo', 'case "$1" in -n|-v) exit 1;; esac; exec "$@"');
		program('apt-get', installs());
		const { result, lines } = await ensure({ uid: 1000, interactive: true, ask: async () => '' });
		assert.equal(result.status, 'failed');
		assert.deepEqual(called(), ['sudo -n true DEBIAN_FRONTEND=', 'sudo -v DEBIAN_FRONTEND=']);
		assert.match(
			lines.at(-1),
			/sudo did not grant root.*`sudo apt-get install bubblewrap socat ripgrep`/,
		);
	});

	it('only the packages that are missing', async () => {
		program('socat');
		program('apt-get', installs());
		await ensure();
		assert.match(called()[0], /^apt-get install -y -qq bubblewrap ripgrep /);
	});

	it('not root: through sudo when it needs no password', async () => {
		program('sudo', 'if [ "$1" = -n ]; then shift; fi; [ "$1" = true ] && exit 0; exec "$@"');
		program('apt-get', installs());
		const { result } = await ensure({ uid: 1000 });
		assert.equal(result.status, 'installed');
		assert.deepEqual(called().slice(0, 2), [
			'sudo -n true DEBIAN_FRONTEND=',
			'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap socat ripgrep DEBIAN_FRONTEND=',
		]);
	});

	it('not root, sudo asks for a password, not on a terminal: installs nothing and gives the command', async () => {
		program('sudo', 'exit 1');
		program('apt-get', installs());
		const { result, lines } = await ensure({ uid: 1000 });
		assert.equal(result.status, 'failed');
		assert.deepEqual(called(), ['sudo -n true DEBIAN_FRONTEND=']);
		assert.match(
			lines.at(-1),
			/could not install .*needs root.*`sudo apt-get install bubblewrap socat ripgrep`/,
		);
	});

	it('not root and no sudo: installs nothing and gives the command', async () => {
		program('apt-get', installs());
		const { result, lines } = await ensure({ uid: 1000 });
		assert.equal(result.status, 'failed');
		assert.deepEqual(called(), []);
		assert.match(
			lines.at(-1),
			/sudo is not installed.*`sudo apt-get install bubblewrap socat ripgrep`/,
		);
	});

	it('neither apt-get nor dnf: names both commands', async () => {
		const { result, lines } = await ensure();
		assert.equal(result.status, 'failed');
		assert.match(lines.at(-1), /neither apt-get nor dnf/);
		assert.match(
			lines.at(-1),
			/sudo apt-get install bubblewrap socat ripgrep.*sudo dnf install bubblewrap socat ripgrep/,
		);
	});

	it('a package manager that fails: says how it failed and what to run', async () => {
		program('dnf', 'exit 1');
		const { result, lines } = await ensure();
		assert.equal(result.status, 'failed');
		assert.match(
			lines.at(-1),
			/dnf exited with status 1; to install them: `sudo dnf install bubblewrap socat ripgrep`/,
		);
	});

	it('--no-system-packages: runs nothing, says what to run', async () => {
		program('apt-get', installs());
		const { result, lines } = await ensure({ skip: true });
		assert.equal(result.status, 'skipped');
		assert.deepEqual(called(), []);
		assert.match(
			lines.at(-1),
			/--no-system-packages.*`sudo apt-get install bubblewrap socat ripgrep`/,
		);
	});

	it('on a terminal it asks first: Enter installs, "n" does not', async () => {
		program('apt-get', installs());
		const questions = [];
		const no = await ensure({
			interactive: true,
			ask: async (question) => {
				questions.push(question);
				return 'n';
			},
		});
		assert.equal(no.result.status, 'skipped');
		assert.deepEqual(called(), []);
		assert.match(
			questions[0],
			/Install them now with `apt-get install -y bubblewrap socat ripgrep`\? \[Y\/n\]/,
		);
		const yes = await ensure({ interactive: true, ask: async () => '' });
		assert.equal(yes.result.status, 'installed');
	});

	it('does nothing when the tools are there, or off Linux', async () => {
		for (const tool of ['bwrap', 'socat', 'rg']) program(tool);
		program('apt-get', installs());
		assert.equal((await ensure()).result.status, 'ready');
		rmSync(join(bin, 'bwrap'));
		assert.equal((await ensure({ platform: 'darwin' })).result.status, 'ready');
		assert.deepEqual(called(), []);
	});
});

// The prompt on a real pseudo-terminal (util-linux `script`): readline in raw
// mode, the keys as a person types them.
describe('npm start: the prompt on a terminal', {
	skip: findTool('script', process.env.PATH) === undefined && 'no `script` here',
}, () => {
	/** Runs the step as setup.mjs does, on a terminal, typing `keys` at the prompt. */
	function onTerminal(keys) {
		const harness = join(dir, 'harness.mjs');
		writeFileSync(
			harness,
			`import { askOnTerminal, ensureSandboxTools } from ${JSON.stringify(new URL('./sandboxTools.mjs', import.meta.url).href)};
const result = await ensureSandboxTools({ env: { PATH: ${JSON.stringify(bin)} }, platform: 'linux', uid: 0,
	interactive: true, stdio: 'pipe', say: (line) => process.stderr.write(line + '\\n'), ask: (q) => askOnTerminal(q) });
process.stdout.write('RESULT ' + result.status + '\\n');`,
		);
		return new Promise((resolve, reject) => {
			const child = spawn('script', ['-qec', `'${process.execPath}' '${harness}'`, '/dev/null'], {
				stdio: ['pipe', 'pipe', 'pipe'],
			});
			let output = '';
			let typed = false;
			child.stdout.setEncoding('utf8');
			child.stdout.on('data', (chunk) => {
				output += chunk;
				if (!typed && output.includes('[Y/n]')) {
					typed = true;
					child.stdin.write(keys);
				}
			});
			child.on('error', reject);
			child.on('close', (status) => {
				child.stdin.destroy();
				resolve({ status, output });
			});
		});
	}

	it('Ctrl-D at the prompt is a no: nothing installed, says how to install', async () => {
		program('apt-get', installs());
		const { status, output } = await onTerminal('\u0004');
		assert.equal(status, 0, output);
		assert.match(output, /RESULT skipped/);
		assert.match(
			output,
			/not installing .*\(no answer\).*`sudo apt-get install bubblewrap socat ripgrep`/,
		);
		assert.deepEqual(called(), []);
	});

	it('Ctrl-C at the prompt stops with status 130, saying nothing was installed', async () => {
		program('apt-get', installs());
		const { status, output } = await onTerminal('\u0003');
		assert.equal(status, 130, output);
		assert.match(output, /interrupted: nothing was installed/);
		assert.doesNotMatch(output, /RESULT/);
		assert.deepEqual(called(), []);
	});

	it('Enter at the prompt installs', async () => {
		program('apt-get', installs());
		const { status, output } = await onTerminal('\r');
		assert.equal(status, 0, output);
		assert.match(output, /RESULT installed/);
	});
});
