// `npm start`'s step for the OS sandbox's system packages: on Linux, agents
// run inside bubblewrap, with socat bridging the network and ripgrep finding
// files that must stay unwritable. When they are missing, install them where
// this can be done without surprises:
//
//   - as root, or with sudo that needs no password (`sudo -n true`); on a
//     terminal also with sudo that asks for one (the user is there to type it);
//   - with apt-get (Debian, Ubuntu) or dnf (Fedora);
//   - on a terminal only after asking (Enter means yes: the user ran `npm start`
//     to set things up); off a terminal (CI, scripts) without asking.
//
// It always says what it did, or why it could not and the exact command to
// run. It never fails `npm start`: without the tools `agentspace doctor` warns
// and the demo runs the agent with --unsandboxed, audited.
//
// Plain Node with no dependencies: it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';

/** The programs the sandbox needs on Linux and the package (same name on Debian and Fedora) that has each. */
export const SANDBOX_TOOLS = [
	['bwrap', 'bubblewrap'],
	['socat', 'socat'],
	['rg', 'ripgrep'],
];

/** apt-get's exit status for its own errors (a package it cannot locate among them). */
const APT_ERROR = 100;

/** The first executable file `name` in `path`'s absolute directories, or undefined. */
export function findTool(name, path = '') {
	for (const dir of path.split(delimiter)) {
		if (dir === '' || !isAbsolute(dir)) continue;
		try {
			accessSync(join(dir, name), constants.X_OK);
			if (statSync(join(dir, name)).isFile()) return join(dir, name);
		} catch {
			// not in this directory
		}
	}
	return undefined;
}

/** The install command a person would type for `packages` with `manager`. */
export function installCommand(manager, packages) {
	return `sudo ${manager} install ${packages.join(' ')}`;
}

/**
 * Asks `question` on the terminal and resolves with the answer, or undefined
 * when the prompt is closed without one (Ctrl-D, end of input): the caller
 * takes that as no. Ctrl-C ends `npm start` there, exit status 130, saying
 * that nothing was installed. (On Node 20 a closed readline leaves its pending
 * question unsettled: `npm start` exited 13, silently.) The prompt is closed
 * before this resolves: an open readline keeps the terminal in raw mode, which
 * sudo's password prompt must not inherit.
 *
 * @param {string} question
 * @param {{ input?: NodeJS.ReadableStream, output?: NodeJS.WritableStream }} [streams]
 * @returns {Promise<string | undefined>}
 */
export function askOnTerminal(question, streams = {}) {
	const output = streams.output ?? process.stderr;
	const prompt = createInterface({ input: streams.input ?? process.stdin, output });
	return new Promise((resolve) => {
		prompt.once('close', () => resolve(undefined));
		// With a listener, readline reports Ctrl-C here instead of closing.
		prompt.once('SIGINT', () => {
			prompt.close();
			output.write('\n==> interrupted: nothing was installed, and setup stopped\n');
			process.exit(130);
		});
		prompt.question(question, (answer) => {
			resolve(answer);
			prompt.close();
		});
	});
}

/**
 * Installs the sandbox's missing packages when it can (see the top of this file).
 * Returns what happened: `ready` (nothing missing), `installed`, `skipped`
 * (--no-system-packages, or the user said no) or `failed` (with `reason`), plus
 * the `command` a person can run themselves.
 *
 * @param {object} options
 * @param {Record<string, string | undefined>} [options.env] PATH decides what is found and run
 * @param {NodeJS.Platform} [options.platform]
 * @param {number} [options.uid] the effective user id (0 is root)
 * @param {boolean} [options.interactive] stdin and stdout are a terminal
 * @param {(question: string) => Promise<string | undefined>} [options.ask] asks on the terminal (undefined: no answer)
 * @param {boolean} [options.skip] --no-system-packages
 * @param {(line: string) => void} [options.say] progress and results
 * @param {'inherit' | 'pipe'} [options.stdio] where the package manager's output goes
 */
export async function ensureSandboxTools(options = {}) {
	const env = options.env ?? process.env;
	const platform = options.platform ?? process.platform;
	const uid = options.uid ?? process.getuid?.() ?? -1;
	const say = options.say ?? (() => {});
	const stdio = options.stdio ?? 'inherit';
	if (platform !== 'linux') return { status: 'ready' };
	const path = env.PATH ?? '';
	const missingNow = () =>
		SANDBOX_TOOLS.filter(([program]) => findTool(program, path) === undefined);
	const missing = missingNow();
	if (missing.length === 0) return { status: 'ready' };
	const packages = missing.map(([, pkg]) => pkg);
	const programs = missing.map(([program]) => program).join(', ');
	const manager = ['apt-get', 'dnf'].find((name) => findTool(name, path) !== undefined);
	const command = installCommand(manager ?? 'apt-get', packages);
	const anyCommand = manager
		? `\`${command}\``
		: `\`${installCommand('apt-get', packages)}\` (Debian/Ubuntu) or \`${installCommand('dnf', packages)}\` (Fedora)`;
	const result = (status, reason) => {
		say(
			status === 'skipped'
				? `sandbox tools: not installing ${packages.join(' ')} (${reason}); to install them: ${anyCommand}`
				: `sandbox tools: could not install ${packages.join(' ')}: ${reason}; to install them: ${anyCommand}`,
		);
		return { status, reason, command, missing: missing.map(([program]) => program) };
	};
	say(`sandbox tools: ${programs} not found on PATH (agents run inside bubblewrap on Linux)`);
	if (options.skip) return result('skipped', '--no-system-packages');
	if (manager === undefined) return result('failed', 'neither apt-get nor dnf is on PATH');

	// How to become root: already root; sudo without a password; on a
	// terminal, sudo with one (it asks). Anything else needs the user.
	let asRoot;
	if (uid === 0) asRoot = [];
	else if (findTool('sudo', path) === undefined)
		return result('failed', 'this needs root, and sudo is not installed');
	else if (spawnSync('sudo', ['-n', 'true'], { env, stdio: 'ignore' }).status === 0)
		asRoot = ['sudo', '-n'];
	else if (options.interactive) asRoot = ['sudo'];
	else return result('failed', 'this needs root, and sudo asks for a password (not on a terminal)');

	const shown = `${asRoot.length === 0 ? '' : 'sudo '}${manager} install -y ${packages.join(' ')}`;
	if (options.interactive && options.ask) {
		const reply = await options.ask(`Install them now with \`${shown}\`? [Y/n] `);
		// No answer at all (Ctrl-D): nothing is installed without a yes.
		if (reply === undefined) return result('skipped', 'no answer');
		const answer = reply.trim().toLowerCase();
		if (answer !== '' && answer !== 'y' && answer !== 'yes')
			return result('skipped', 'you said no');
	}
	// sudo that asks for a password asks once, before anything runs: a failed
	// login is told as such, not as the package manager's failure (sudo exits 1
	// then too), and never retried.
	if (asRoot.length === 1 && asRoot[0] === 'sudo') {
		const login = spawnSync('sudo', ['-v'], { env, stdio });
		if (login.error || login.status !== 0)
			return result('failed', 'sudo did not grant root (no password, or a wrong one)');
	}
	const run = (args) => {
		// apt-get must not stop to ask about configuration files.
		const full = [...asRoot, 'env', 'DEBIAN_FRONTEND=noninteractive', ...args];
		const outcome = spawnSync(full[0], full.slice(1), { env, stdio });
		return outcome.error ? 127 : (outcome.status ?? 1);
	};
	say(`sandbox tools: running \`${shown}\``);
	let status =
		manager === 'apt-get'
			? run(['apt-get', 'install', '-y', '-qq', ...packages])
			: run(['dnf', 'install', '-y', ...packages]);
	// A fresh Debian/Ubuntu image has no package lists yet: fetch them once and
	// retry. Only then: apt-get exits 100 for its own errors ("Unable to locate
	// package"); any other status (sudo refused, a signal) is not cured by an update.
	if (status === APT_ERROR && manager === 'apt-get') {
		say('sandbox tools: refreshing the package lists (`apt-get update`) and trying again');
		if (run(['apt-get', 'update', '-qq']) === 0)
			status = run(['apt-get', 'install', '-y', '-qq', ...packages]);
	}
	if (status !== 0) return result('failed', `${manager} exited with status ${status}`);
	const still = missingNow();
	if (still.length > 0) {
		return result(
			'failed',
			`${manager} finished, but ${still.map(([program]) => program).join(', ')} still not found on PATH`,
		);
	}
	say(`sandbox tools: installed ${packages.join(' ')} with ${manager}`);
	return { status: 'installed', command, missing: [] };
}
